"""The naltrexone report lives in its own module, and the model, fit and report form no import circle."""

import ast
from pathlib import Path

from widgets import pharmacology as ph

PACKAGE = Path(__file__).resolve().parents[1] / "widgets" / "pharmacology"
MODULES = ("naltrexone", "naltrexone_fit", "naltrexone_report")


def _imports(module: str) -> set[str]:
    """The sibling modules of widgets.pharmacology that ``module`` imports, anywhere in its source
    (inside functions too: a deferred import still makes a circle)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("widgets.pharmacology."):
            found.add(node.module.split(".")[2])
    return found & set(MODULES)


def test_no_import_circle_between_model_fit_and_report():
    graph = {m: _imports(m) for m in MODULES}
    assert graph["naltrexone"] == set(), graph  # the model imports neither the fit nor the report
    assert graph["naltrexone_fit"] == {"naltrexone"}, graph
    assert "naltrexone_report" not in graph["naltrexone_fit"]
    assert graph["naltrexone_report"] >= {"naltrexone", "naltrexone_fit"}


def test_the_import_check_can_fail(tmp_path, monkeypatch):
    """The AST reader sees a deferred relative import (the kind that made the old circle)."""
    (tmp_path / "naltrexone.py").write_text("def f():\n    from .naltrexone_fit import model_quantities\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path)
    assert _imports("naltrexone") == {"naltrexone_fit"}


def test_public_names_still_exported_from_the_package():
    from widgets.pharmacology import naltrexone_report

    for name in ("compare_naltrexone_with_published", "compare_mechanisms", "citation", "readable_table"):
        assert getattr(ph, name) is getattr(naltrexone_report, name)
        assert name in ph.__all__
