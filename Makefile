VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test lint typecheck unit emulator sandbox run bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy bot handlers storage

unit: $(STAMP)
	$(VENV)/bin/coverage run -m pytest
	$(VENV)/bin/coverage report

test: lint typecheck unit

emulator: $(STAMP)
	$(VENV)/bin/runninghub-bot emulator

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .coverage
