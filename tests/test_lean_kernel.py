"""A lean kernel: `import widgets` loads nothing heavy; a lesson loads what it uses when it uses it.

Each check runs a fresh interpreter, so modules other tests imported do not hide a regression.
bench/kernel_footprint.py measures the memory and time this saves.
"""

import json
import subprocess
import sys

import pytest

import widgets
import widgets.pharmacology

HEAVY = ["scipy.stats", "scipy.optimize", "pandas"]


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_widgets_loads_no_scipy_stats_optimize_or_pandas():
    loaded = _loaded_after("import widgets, widgets.pharmacology")
    assert not loaded & set(HEAVY), f"`import widgets` loaded {sorted(loaded & set(HEAVY))}"
    assert "plotly" not in loaded and "ipywidgets" not in loaded


def test_lesson_02_imports_leave_scipy_out():
    loaded = _loaded_after(
        "from widgets import BindingExplorer, format_molar, load_table, "
        "pharmacology as ph, show_references\nph.occupancy, ph.operational_effect"
    )
    assert "scipy.stats" not in loaded and "scipy.optimize" not in loaded


def test_schild_and_organ_bath_fits_do_not_need_scipy_stats():
    loaded = _loaded_after(
        "from widgets import pharmacology as ph\nph.run_schild_experiment(1, 1e-8, 10.0, 1e-9, [1e-9, 1e-8])"
    )
    assert "scipy.optimize" in loaded, "the probe did not fit anything"
    assert "scipy.stats" not in loaded


@pytest.mark.parametrize("module", [widgets, widgets.pharmacology])
def test_every_exported_name_resolves(module):
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    assert set(module.__all__) <= set(dir(module))


def test_unknown_name_is_a_clear_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'NoSuchWidget'"):
        widgets.NoSuchWidget  # noqa: B018


def test_t_quantile_matches_published_t_table():
    from widgets.pharmacology.student_t import t_quantile

    # Two-sided 95 % critical values of Student's t (any statistics t table).
    for dof, critical in [(1, 12.706), (2, 4.303), (5, 2.571), (30, 2.042)]:
        assert t_quantile(0.975, dof) == pytest.approx(critical, abs=5e-4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        t_quantile(1.5, 3)
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_quantile(0.9, 0)
