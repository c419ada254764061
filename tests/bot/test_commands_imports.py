"""Tests that bot.commands and bot.i18n import only the standard library and themselves."""

import ast
import sys
from pathlib import Path

import pytest

import bot.commands
import bot.i18n


@pytest.mark.parametrize("package", [bot.commands, bot.i18n])
def test_package_imports_only_stdlib_and_itself(package: object) -> None:
    """Every import in the package names a stdlib module or the package's own modules."""
    own = getattr(package, "__name__", "")
    directory = Path(getattr(package, "__file__", "")).parent
    foreign = []
    for path in directory.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                if name.split(".")[0] not in sys.stdlib_module_names and not (
                    name == own or name.startswith(own + ".")
                ):
                    foreign.append(f"{path.name}: {name}")
    assert foreign == []
