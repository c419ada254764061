"""The import directions of ARCHITECTURE.md, checked on the source (no module is imported)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RULES: list[tuple[str, tuple[str, ...]]] = [
    ("bot/runninghub", ("telegram", "storage", "handlers", "bot.services", "aiosqlite")),
    ("bot/services", ("telegram", "handlers", "bot.i18n")),
    ("bot/poller.py", ("telegram", "handlers", "bot.i18n")),
    ("bot/commands", ("telegram", "storage", "handlers", "bot.services", "httpx", "pydantic")),
    ("bot/i18n", ("telegram", "storage", "handlers", "bot.services", "httpx", "pydantic")),
    ("bot/errors.py", ("telegram", "storage", "handlers", "httpx", "pydantic")),
    ("handlers", ("storage", "bot.runninghub.client", "aiosqlite", "httpx")),
    ("bot/sandbox", ("handlers", "storage.database", "storage.tasks")),
]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(("where", "forbidden"), RULES)
def test_package_never_imports_what_it_must_not(where: str, forbidden: tuple[str, ...]) -> None:
    """Each layer imports only what ARCHITECTURE.md allows it."""
    target = ROOT / where
    files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    assert files
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in sorted(_imports(path))
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]
    assert not bad


def test_only_the_composition_root_imports_handlers() -> None:
    """Outside handlers/, only bot/app.py and bot/wiring.py import handlers."""
    importers = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if any(n == "handlers" or n.startswith("handlers.") for n in _imports(path))
    }
    assert importers <= {"bot/app.py", "bot/wiring.py"}
