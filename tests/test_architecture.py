"""The layers the package promises, read from the source with ``ast`` (nothing is imported):

1. no widget module imports another widget module;
2. a lesson takes science only from ``widgets.pharmacology``: from a widget module it imports the
   widget and nothing else (no constants, models or helpers living beside a widget);
3. no import circle among the modules of widgets/ (imports inside functions count too).

A *widget module* defines a lesson widget: a name that ``widgets`` exports to the lessons
(``_EXPORTS`` in widgets/__init__.py) and that is a class, or a function returning one, in a module
that imports a UI library. Shared display machinery (figure_transport, ui, circuit_diagram)
exports no lesson widget, so widgets may use it.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "widgets"
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
UI = {"ipywidgets", "anywidget", "plotly"}

# Import circles that exist today and are being removed elsewhere: each entry names its branch.
# An entry that is no longer a circle fails test_no_import_circle, so the list cannot go stale.
KNOWN_CIRCLES: set[tuple[str, str]] = set()  # none left; an entry here needs its reason


# -- reading the source ------------------------------------------------------------------------
def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    rel = ROOT.joinpath(*dotted.split("."))
    return rel.with_suffix(".py").is_file() or (rel / "__init__.py").is_file()


def _imports(source: str, module: str = "", is_package: bool = False) -> set[tuple[str, str | None]]:
    """(module, name) for each import in ``source``: ``from m import n`` gives (m.n, None) when m.n
    is a module of this repository, else (m, n); ``import m`` gives (m, None). Relative imports
    are resolved against ``module`` (a package when ``is_package``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {(alias.name, None) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(
                    package[: len(package) - (node.level - 1)] + ([node.module] if node.module else [])
                )
            else:
                base = node.module
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add((child, None) if _is_module(child) else (base, alias.name))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add((node.args[0].value, None))  # import_module("widgets.x"): an import all the same
    return found


def _package_imports() -> dict[str, set[tuple[str, str | None]]]:
    """Every module of widgets/ -> what it imports."""
    return {
        _module_name(path): _imports(
            path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
        )
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _exports() -> dict[str, str]:
    """Public name of ``widgets`` -> the module that defines it (widgets/__init__.py ``_EXPORTS``)."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "_EXPORTS" for t in node.targets):
            table = ast.literal_eval(node.value)
            return {name: f"widgets.{sub}" if sub else f"widgets.{name}" for name, sub in table.items()}
    raise AssertionError("widgets/__init__.py has no _EXPORTS table")


def _widgets_exported(imports: dict) -> dict[str, str]:
    """The lesson widgets: name -> widget module, for each name ``widgets`` exports that is a class
    defined in a module importing a UI library, or a function there that returns a widget class
    defined beside it (``report_plot`` -> ``ReportPanel``)."""
    found = {}
    for name, module in _exports().items():
        if module not in imports or not any(m.split(".")[0] in UI for m, _ in imports[module]):
            continue
        tree = ast.parse(ROOT.joinpath(*module.split(".")).with_suffix(".py").read_text(encoding="utf-8"))
        classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        returns = getattr(functions.get(name), "returns", None)
        built = classes.get(returns.id) if isinstance(returns, ast.Name) else None
        if name in classes or (built is not None and built.bases):
            found[name] = module
    return found


def _lesson_code(path: Path) -> str:
    """The code cells of a lesson, IPython magics and shell lines left out."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines += [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


# -- the three rules, as functions a test can feed a counter-example --------------------------
def widget_to_widget(imports: dict, widget_modules: set[str]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module in widget_modules
        for target, _ in imports.get(module, ())
        if target in widget_modules and target != module
    )


def science_outside_pharmacology(code: str, lesson_widgets: dict[str, str]) -> list[str]:
    """Names a lesson's code takes from a widget module other than its widgets."""
    exports, widget_modules = _exports(), set(lesson_widgets.values())
    bad = []
    for module, name in sorted(_imports(code), key=str):
        source = exports.get(name, module) if module == "widgets" else module
        if source in widget_modules and name not in lesson_widgets:
            bad.append(f"{name or '(the module)'} from {source}")
    return bad


def circles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _graph(imports: dict) -> dict[str, set[str]]:
    return {m: {t for t, _ in targets if t in imports and t != m} for m, targets in imports.items()}


# -- the tests ----------------------------------------------------------------------------------
IMPORTS = _package_imports()
WIDGETS = _widgets_exported(IMPORTS)


def test_the_widget_modules_are_found():
    # If the detection broke, the rules below would pass over an empty set.
    assert {"OrganBath", "BindingExplorer", "SignallingCascade", "DosingTimeline", "report_plot"} <= set(
        WIDGETS
    )
    assert "widgets.display.figure_transport" not in WIDGETS.values()


def test_no_widget_module_imports_another():
    assert widget_to_widget(IMPORTS, set(WIDGETS.values())) == []


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lessons_take_science_only_from_pharmacology(lesson):
    assert science_outside_pharmacology(_lesson_code(lesson), WIDGETS) == []


def test_no_import_circle():
    found = set(circles(_graph(IMPORTS)))
    assert found - KNOWN_CIRCLES == set()
    assert KNOWN_CIRCLES - found == set(), "a known circle is gone: delete its entry from KNOWN_CIRCLES"


def test_each_rule_sees_a_breach():
    planted = dict(IMPORTS)
    planted["widgets.lesson_widgets.signalling_cascade"] = _imports(
        "from .binding_explorer import CONC_GRID_M", "widgets.lesson_widgets.signalling_cascade"
    )
    assert widget_to_widget(planted, set(WIDGETS.values())) == [
        "widgets.lesson_widgets.signalling_cascade imports widgets.lesson_widgets.binding_explorer"
    ]
    code = "from widgets import OrganBath, load_table\nfrom widgets.lesson_widgets.organ_bath_widget import OrganBath, MAX_CURVES"
    assert science_outside_pharmacology(code, WIDGETS) == [
        "MAX_CURVES from widgets.lesson_widgets.organ_bath_widget"
    ]
    assert science_outside_pharmacology("import widgets.lesson_widgets.binding_explorer", WIDGETS) == [
        "(the module) from widgets.lesson_widgets.binding_explorer"
    ]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [("a", "b", "c")]


# -- the folders show the layers (widgets/README.md) ------------------------------------------
FOLDERS = {"pharmacology", "data_access", "display", "lesson_widgets", "classroom_tools"}


def test_the_folders_are_the_layers():
    """widgets/ holds only its public face and the five folders; every lesson widget lives in
    lesson_widgets/, and every module there defines one (so the layout alone tells them apart)."""
    top = {p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file()}
    assert top == {"__init__.py"} | FOLDERS
    widget_modules = set(WIDGETS.values())
    assert {m for m in widget_modules if not m.startswith("widgets.lesson_widgets.")} == set()
    in_folder = {_module_name(p) for p in (PACKAGE / "lesson_widgets").glob("[!_]*.py")}
    assert in_folder == widget_modules, (
        f"modules in lesson_widgets/ without a lesson widget: {in_folder - widget_modules}"
    )


def test_a_module_is_still_found_under_its_old_name():
    """A student's saved lesson or a hub's server config may still say ``widgets.ui`` or
    ``widgets.server_settings`` (their places before the folders); they get the same module."""
    import importlib

    import widgets

    for old, new in widgets._MOVED.items():
        assert PACKAGE.joinpath(*new.split(".")).with_suffix(".py").is_file(), new
        assert not (PACKAGE / f"{old}.py").exists(), f"{old}.py is back at the top: drop it from _MOVED"
    assert importlib.import_module("widgets.ui") is importlib.import_module("widgets.display.ui")
    from widgets.server_settings import _jupyter_server_extension_points  # noqa: PLC0415

    assert _jupyter_server_extension_points() == [{"module": "widgets.classroom_tools.server_settings"}]
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("widgets.no_such_module")
    # the module keeps its own name's spec, so a reload (%autoreload) still works on it
    theme = importlib.import_module("widgets.theme")
    assert theme.__spec__.name == "widgets.display.theme"
    assert importlib.reload(theme) is theme


def test_an_old_module_name_still_runs_as_a_command():
    """`python -m widgets.data_tables`, as an older pre-commit config or guide wrote it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "widgets.data_tables"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "data tables match" in done.stdout, done.stderr[-800:]


def test_nothing_below_the_lesson_widgets_imports_one():
    """The layers point one way: science, data access, display and the classroom tools never import
    a lesson widget module (``import_module("...")`` with a written name counts too)."""
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in IMPORTS.items()
        if not module.startswith("widgets.lesson_widgets") and module != "widgets"
        for target, _ in targets
        if target.startswith("widgets.lesson_widgets.")
    )
    assert upward == []
    planted = _imports(
        'import_module("widgets.lesson_widgets.schild_report")', "widgets.pharmacology.analyse"
    )
    assert ("widgets.lesson_widgets.schild_report", None) in planted
