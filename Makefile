VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test lint typecheck unit emulator sandbox run bench clean

# Create the virtual environment and install the project with its dev extra (once per
# change of pyproject.toml).
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	if [ -x $(VENV)/bin/hadolint ]; then $(VENV)/bin/hadolint Dockerfile; fi

typecheck: $(STAMP)
	$(VENV)/bin/mypy bot handlers storage bench

unit: $(STAMP)
	$(VENV)/bin/coverage run -m pytest
	$(VENV)/bin/coverage report

test: lint typecheck unit

# Try the bot offline: the real bot, the RunningHub emulator and a fake Telegram in one process.
sandbox: $(STAMP)
	$(VENV)/bin/runninghub-bot sandbox

# Run the bot for real with the settings in .env.
run: $(STAMP)
	$(VENV)/bin/runninghub-bot run

emulator: $(STAMP)
	$(VENV)/bin/runninghub-bot emulator

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .coverage sandbox-out
