"""Imports flow one way: core <- accounts <- statutes <- assessments <- discussions <-
reportcards <- api (DESIGN.md §2; discussions, the threads on goals, and the read-only API
came later). A package may import the ones before it, never one after it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["core", "accounts", "statutes", "assessments", "discussions", "reportcards", "api"]
MODULES = [
    (layer, path)
    for layer in LAYERS
    for path in sorted((ROOT / layer).rglob("*.py"))
    if "migrations" not in path.parts
]


def imported_packages(path: Path) -> set[str]:
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


@pytest.mark.parametrize(
    ("layer", "path"), MODULES, ids=[str(path.relative_to(ROOT)) for _, path in MODULES]
)
def test_it_imports_only_the_layers_below(layer, path):
    above = LAYERS[LAYERS.index(layer) + 1 :]
    assert imported_packages(path).isdisjoint(above)
