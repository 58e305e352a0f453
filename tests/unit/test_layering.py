"""The layers stay apart: core/ is pure Python, store/ never reaches into the UI.

A user relies on this indirectly: the command line and scripts work without loading Textual,
and the case logic can be tested and reused without a terminal. Importing a module must not
do any work either (no folders or files appear just because a module was imported).
"""

from __future__ import annotations

import ast
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import secondview

PACKAGE_DIR = Path(secondview.__file__).parent

# Run in a fresh interpreter: this test process has most likely imported textual already.
PROBE = r"""
import importlib, json, pkgutil, sys
names = []
for package in ("secondview.core", "secondview.store"):
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        importlib.import_module(info.name)
        names.append(info.name)
loaded = sorted(sys.modules)
print(json.dumps({"imported": names, "loaded": loaded}))
"""


def _modules_of(subpackage: str) -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(
            [str(PACKAGE_DIR / subpackage)], f"secondview.{subpackage}."
        )
    ]


def _probe(tmp_path: Path) -> dict[str, list[str]]:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "SECONDVIEW_DATA_DIR": str(home / "sv-data"),
        "SECONDVIEW_CACHE_DIR": str(home / "sv-cache"),
        "SECONDVIEW_CONFIG_DIR": str(home / "sv-config"),
        "SECONDVIEW_CASES": str(home / "sv-cases"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # Importing did no work: nothing was created in the home, data or working folders.
    assert list(home.iterdir()) == []
    return json.loads(result.stdout)


def test_core_and_store_import_without_textual_or_ui(tmp_path: Path) -> None:
    report = _probe(tmp_path)
    imported = set(report["imported"])
    # Every module of both packages was really imported (the probe cannot pass vacuously).
    assert set(_modules_of("core")) <= imported
    assert set(_modules_of("store")) <= imported
    assert {"secondview.core.model", "secondview.core.replica", "secondview.store.storage"} <= (
        imported
    )
    loaded = report["loaded"]
    assert [m for m in loaded if m == "textual" or m.startswith("textual.")] == []
    assert [m for m in loaded if m.startswith("secondview.ui")] == []
    assert [m for m in loaded if m == "secondview.cli"] == []


def _imported_names(path: Path, module: str) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return _names_imported_by(tree, module, is_package=path.name == "__init__.py")


def _names_imported_by(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module the statements of ``tree`` (in ``module``) import, at any depth."""
    names: set[str] = set()
    package = module if is_package else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                names.add(target)
                names.update(f"{target}.{alias.name}" for alias in node.names)
            else:
                names.add(node.module or "")
    return names


def _files_of(subpackage: str) -> list[tuple[Path, str]]:
    root = PACKAGE_DIR / subpackage
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((path, ".".join(["secondview", *parts])))
    return out


def _forbidden(names: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)}


def test_core_imports_nothing_from_store_ui_or_textual_even_inside_functions() -> None:
    files = _files_of("core")
    assert len(files) >= 3
    for path, module in files:
        bad = _forbidden(
            _imported_names(path, module),
            ("textual", "rich", "secondview.store", "secondview.ui", "secondview.cli"),
        )
        assert not bad, f"{path} imports {sorted(bad)}"


def test_store_imports_nothing_from_ui_or_textual_even_inside_functions() -> None:
    files = _files_of("store")
    assert len(files) >= 3
    for path, module in files:
        bad = _forbidden(
            _imported_names(path, module),
            ("textual", "rich", "secondview.ui", "secondview.cli"),
        )
        assert not bad, f"{path} imports {sorted(bad)}"


def test_the_static_check_sees_relative_imports() -> None:
    # The checks above would pass vacuously if relative imports were not resolved.
    names = _imported_names(PACKAGE_DIR / "store" / "storage.py", "secondview.store.storage")
    assert "secondview.core.registers" in names
    assert "secondview.core" in names


# -- the UI never touches files itself (DESIGN.md, "Layout": widgets ask store/) -------------

FILE_CALLS = ("read_bytes", "write_bytes", "read_text", "write_text", "atomic_write")
"""Calls (as a name or a method) that read or write a file: store/'s job, never ui/'s."""

UI_FILE_EXCEPTIONS: dict[str, str] = {}
"""``module:call`` -> why a UI module may do that itself. None are needed today."""


def _file_calls(path: Path) -> list[str]:
    """Each call in ``path`` that reads or writes a file: ``call (line N)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        what = ""
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("open", *FILE_CALLS):
                what = func.id
            elif isinstance(func, ast.Attribute):
                if func.attr in FILE_CALLS:
                    what = func.attr
                elif func.attr == "replace" and isinstance(func.value, ast.Name) and (
                    func.value.id == "os"
                ):
                    what = "os.replace"
                elif func.attr == "open" and isinstance(func.value, ast.Name) and (
                    func.value.id in ("os", "io", "builtins", "codecs")
                ):
                    what = f"{func.value.id}.open"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
            node.value.id == "shutil"
        ):
            what = f"shutil.{node.attr}"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                node.module or ""]
            names = [a.name for a in node.names]
            if "shutil" in modules:
                what = "import shutil"
            elif isinstance(node, ast.ImportFrom) and "atomic_write" in names:
                what = "import atomic_write"
        if what:
            found.append(f"{what} (line {node.lineno})")
    return found


def test_ui_modules_do_no_file_io_of_their_own() -> None:
    files = _files_of("ui")
    assert len(files) >= 10
    bad = []
    for path, module in files:
        for call in _file_calls(path):
            if f"{module}:{call.split(' (')[0]}" not in UI_FILE_EXCEPTIONS:
                bad.append(f"{path.relative_to(PACKAGE_DIR)}: {call}")
    assert not bad, "ui/ reads or writes files itself (move it behind store/):\n" + "\n".join(bad)


def test_the_file_io_scan_sees_what_it_looks_for(tmp_path: Path) -> None:
    # The check above would pass vacuously if the scan missed these forms.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, shutil\n"
        "from ..store.storage import atomic_write\n"
        "def f(p):\n"
        "    open(p)\n"
        "    p.read_bytes(); p.write_text('x'); p.read_text(); p.write_bytes(b'')\n"
        "    atomic_write(p, b''); os.replace(p, p); shutil.copy(p, p)\n"
        "    'a'.replace('a', 'b')\n",
        encoding="utf-8",
    )
    calls = [c.split(" (")[0] for c in _file_calls(sample)]
    assert sorted(calls) == sorted([
        "import shutil", "import atomic_write", "open", "read_bytes", "write_text",
        "read_text", "write_bytes", "atomic_write", "os.replace", "shutil.copy",
    ])


# -- no import cycles, anywhere (a function-level or TYPE_CHECKING import counts too) ------------


def _module_graph() -> dict[str, set[str]]:
    """secondview's modules -> the secondview modules each imports, at any depth (inside
    functions and ``if TYPE_CHECKING:`` blocks too). A package stands for its __init__."""
    files = dict((module, path) for path, module in _files_of(""))
    return {
        module: {n for n in _imported_names(path, module) if n in files and n != module}
        for module, path in files.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a loop (the strongly
    connected components of more than one module), each sorted, in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_module_imports_another_in_a_circle() -> None:
    graph = _module_graph()
    assert len(graph) >= 50 and "secondview.ui.widgets.list_pane" in graph
    cycles = _cycles(graph)
    assert not cycles, "modules that import each other (directly or round a loop):\n" + "\n".join(
        " <-> ".join(group) for group in cycles)


def test_the_cycle_check_sees_cycles_through_functions_and_type_checking(tmp_path: Path) -> None:
    # The check above would pass vacuously if it missed the imports that hide a cycle.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("def f():\n    from . import b\n", encoding="utf-8")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import C\n",
        encoding="utf-8")
    (package / "c.py").write_text("from .a import f\n", encoding="utf-8")
    (package / "d.py").write_text("from .a import f\n", encoding="utf-8")
    graph = {
        f"pkg.{name}": {n for n in _imported_names(package / f"{name}.py", f"pkg.{name}")
                        if n in {"pkg.a", "pkg.b", "pkg.c", "pkg.d"}}
        for name in "abcd"
    }
    assert _cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert _cycles({"x": {"y"}, "y": set()}) == []


# -- widgets sit below screens: they open no screen and read no file --------------------------

TYPE_ONLY_STORE_IMPORTS: set[str] = set()
"""Widgets that name a store type in annotations only (``if TYPE_CHECKING:``): CaseSummary,
until it moves to core (issue 17, the store's slice)."""


def _type_checking_imports(path: Path, module: str) -> set[str]:
    """The modules imported only under ``if TYPE_CHECKING:`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    inside: list[ast.stmt] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside += node.body
    return _names_imported_by(ast.Module(body=inside, type_ignores=[]), module,
                              is_package=path.name == "__init__.py")


def test_widgets_and_the_kit_import_no_screen_and_nothing_from_the_store() -> None:
    files = _files_of("ui/widgets") + _files_of("ui/kit")
    assert len(files) >= 15
    bad = []
    for path, module in files:
        names = _imported_names(path, module)
        screens = _forbidden(names, ("secondview.ui.screens", "secondview.ui.app"))
        store = _forbidden(names, ("secondview.store",))
        if module in TYPE_ONLY_STORE_IMPORTS:
            store -= _type_checking_imports(path, module)
        if screens or store:
            bad.append(f"{module}: {sorted(screens | store)}")
    assert not bad, "widgets reach up to screens or down to files:\n" + "\n".join(bad)


def test_the_kit_knows_nothing_of_cases() -> None:
    # The kit's widgets are generic: Textual and Rich only, and each other.
    for path, module in _files_of("ui/kit"):
        outside = {n for n in _forbidden(_imported_names(path, module), ("secondview",))
                   if not n.startswith("secondview.ui.kit")}
        assert not outside, f"{module} imports {sorted(outside)}"


def test_widgets_never_read_their_screen_by_name() -> None:
    # A widget finds its screen's state through a bound reactive or a message, never by
    # looking an attribute up on whatever screen it is in.
    bad = []
    for path, module in _files_of("ui/widgets") + _files_of("ui/kit"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("getattr", "hasattr") and node.args
                    and ast.unparse(node.args[0]) == "self.screen"):
                bad.append(f"{module}: line {node.lineno}: {ast.unparse(node)}")
    assert not bad, "\n".join(bad)
