"""The layers between apps hold (docs/decisions/0003-app-layers.md), and the tool that holds them can fail.

`make quality` runs import-linter over the real tree; these tests prove that it refuses an upward import (so the
contract is not vacuous) and that no app reaches another from inside a function, outside `AppConfig.ready()`.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.clock_free  # reads no clock: CI's frozen-date runs skip it (.ci/run)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "civicdesk"


def _app(path):
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def _imported_apps(node):
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [node.module]
    elif isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        return []
    return [name.split(".")[1] for name in names if name.startswith("civicdesk.") and name.count(".") >= 1]


def test_apps_reach_each_other_from_module_level_only_except_in_app_ready():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        app = _app(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py":
                continue  # AppConfig.ready(): the models are not loaded when apps.py is imported.
            for node in ast.walk(function):
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {function.name}() imports civicdesk.{target}"
                    for target in _imported_apps(node)
                    if target != app
                ]
    assert found == []


def test_import_linter_refuses_an_upward_import(tmp_path):
    """A copy of the tree where the kernel imports staffing: lint-imports must exit non-zero and name the layer."""
    shutil.copytree(
        PACKAGE, tmp_path / "civicdesk", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    roles = tmp_path / "civicdesk" / "kernel" / "roles.py"
    roles.write_text(roles.read_text(encoding="utf-8") + "\nfrom civicdesk.staffing import scoring  # noqa\n")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0, result.stdout
    assert "Apps import only the layers below them BROKEN" in result.stdout
    assert "civicdesk.kernel.roles -> civicdesk.staffing.scoring" in result.stdout


APPS = ("assistant", "community", "core", "geo", "handbook", "hotline", "servicedesk", "staffing")


def test_every_app_follows_the_app_template():
    """docs/architecture.md, "Inside an app": the same file names for the same roles in every app."""
    for app in APPS:
        folder = PACKAGE / app
        assert (folder / "views").is_dir() and not (folder / "views.py").exists(), (
            f"{app}: views go in views/"
        )
        assert not list(folder.glob("views_*.py")), f"{app}: views go in views/"
        assert (folder / "panels.py").is_file(), f"{app}: menu entries and home cards go in panels.py"
        assert "def register(" in (folder / "panels.py").read_text(encoding="utf-8"), app
        assert not (folder / "dashboard.py").exists() and not (folder / "access.py").exists(), app
        assert not (folder / "services" / "permissions.py").exists(), (
            f"{app}: permissions.py at the app's top"
        )
        ready = (folder / "apps.py").read_text(encoding="utf-8")
        assert "panels.register()" in ready and "registry.add_nav" not in ready, app
        if "registry.add_demo" in ready:
            assert "demo.load" in ready and (folder / "demo.py").is_file(), (
                f"{app}: the demo loader is demo.load"
            )


# docs/architecture.md's diagram, as data: which app imports which (directly). When this changes, the diagram does.
DIAGRAM = {
    "staffing": {
        "core",
        "geo",
        "kernel",
        "servicedesk",
        "hotline",
        "community",
    },  # servicedesk and hotline through their queries only
    "community": {"hotline", "servicedesk", "handbook", "core", "geo", "kernel"},
    "hotline": {"assistant", "handbook", "core", "geo", "kernel"},
    "assistant": {"handbook", "core", "kernel"},
    "servicedesk": {"handbook", "core", "geo", "kernel"},
    "handbook": {"core", "kernel"},
    "core": {"geo", "kernel"},
    "geo": {"kernel"},
    "kernel": set(),
}


def test_the_architecture_diagram_matches_the_import_graph():
    import grimp

    graph = grimp.build_graph("civicdesk", cache_dir=None)
    found = {
        app: {
            other
            for other in DIAGRAM
            if other != app
            and graph.direct_import_exists(
                importer=f"civicdesk.{app}", imported=f"civicdesk.{other}", as_packages=True
            )
        }
        for app in DIAGRAM
    }
    assert found == DIAGRAM
    diagram = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for app, imported in DIAGRAM.items():
        line = next(line for line in diagram.splitlines() if f"{app} →" in line or f"{app}  " in line[:26])
        assert all(other in line for other in imported), (app, line)
