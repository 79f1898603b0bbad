"""The science core (widgets/pharmacology) and the quiz bank import no UI library, directly or through
the modules of the package they use."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "widgets"
UI = {"ipywidgets", "plotly", "anywidget", "IPython", "traitlets"}


def _imports(path: Path) -> set[str]:
    """Top-level names imported by a module; package-relative imports as 'widgets.<module>'."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module.split(".")[0])
            else:  # from .x / from ..x: resolve against the module's own package
                package = path.parent.relative_to(PACKAGE.parent).parts
                base = package[: len(package) - (node.level - 1)]
                names.add(".".join(base + ((node.module,) if node.module else ())))
    return names


def _module_path(dotted: str) -> Path | None:
    rel = Path(*dotted.split("."))
    for candidate in (PACKAGE.parent / rel.with_suffix(".py"), PACKAGE.parent / rel / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _ui_imports(start: Path) -> list[str]:
    """UI libraries reachable from ``start`` through its package-internal imports (not package __init__s)."""
    seen, found, todo = set(), [], [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            if name.split(".")[0] in UI:
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
            elif (
                name.startswith("widgets.")
                and (target := _module_path(name))
                and target.name != "__init__.py"
            ):
                todo.append(target)
    return found


@pytest.mark.parametrize(
    "path",
    sorted((PACKAGE / "pharmacology").glob("*.py")) + [PACKAGE / "data_access" / "quiz_bank.py"],
    ids=lambda p: p.name,
)
def test_no_ui_library_is_reachable(path):
    assert _ui_imports(path) == []


def test_the_check_sees_a_ui_import():
    assert _ui_imports(PACKAGE / "lesson_widgets" / "binding_explorer.py"), (
        "the import walk should find ipywidgets here"
    )
