"""The storage package imports only the standard library, aiosqlite and cryptography."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import storage

ALLOWED = {"aiosqlite", "cryptography", "storage", "__future__"} | set(sys.stdlib_module_names)


def _imported_roots(source: str) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            roots.add("storage" if node.level else (node.module or "").split(".")[0])
    return roots


def test_storage_imports_only_stdlib_aiosqlite_and_cryptography() -> None:
    """No storage module imports telegram, httpx, pydantic, bot, handlers or anything else."""
    package = Path(storage.__file__).parent
    modules = sorted(package.rglob("*.py"))
    assert len(modules) > 5
    offenders = {
        f"{path.name}: {root}"
        for path in modules
        for root in _imported_roots(path.read_text(encoding="utf-8"))
        if root not in ALLOWED
    }
    assert offenders == set()


def test_the_import_check_sees_forbidden_imports() -> None:
    """The checker flags third-party and sibling packages, including inside functions."""
    source = "import os\nfrom telegram import Bot\ndef f():\n    import bot.app\n    import httpx\n"
    assert _imported_roots(source) - ALLOWED == {"telegram", "bot", "httpx"}
