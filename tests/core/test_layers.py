"""Lower layers never import higher ones: ``lib`` imports no app, and the task modules and
the services that queue their tasks do not import each other (checked on the source, so an
import inside a function counts too; imports for type checking only do not)."""

from __future__ import annotations

import ast
from pathlib import Path

import preceptor

ROOT = Path(preceptor.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    """Every ``preceptor.*`` module the file imports, at the top or inside a function."""
    module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0]
    found = set()
    tree = ast.parse(path.read_text())
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("preceptor.")}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)


def test_lib_imports_no_app() -> None:
    offenders = {
        _module(path): sorted(
            name for name in _imports(path) if not name.startswith("preceptor.lib")
        )
        for path in (ROOT / "lib").rglob("*.py")
    }
    assert {m: names for m, names in offenders.items() if names} == {}


def _mutual(a: str, b: str) -> bool:
    graph = {
        name: _imports(ROOT.parent / Path(*name.split(".")).with_suffix(".py")) for name in (a, b)
    }
    return b in graph[a] and a in graph[b]


def test_email_sending_and_its_task_do_not_import_each_other() -> None:
    assert not _mutual("preceptor.core.tasks", "preceptor.lib.emails")


def test_simulation_services_and_their_task_do_not_import_each_other() -> None:
    assert not _mutual("preceptor.smartpick.services", "preceptor.smartpick.tasks")


def test_no_two_modules_import_each_other() -> None:
    # The review's three two-file circles (core/tasks - lib/emails, notify/models -
    # notify/sources, smartpick/services - smartpick/tasks), and any new one.
    graph = {
        _module(path): _imports(path)
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
    }
    pairs = sorted(
        (a, b) for a, deps in graph.items() for b in deps if a < b and a in graph.get(b, set())
    )
    assert pairs == []
