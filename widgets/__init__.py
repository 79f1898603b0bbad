"""Interactive widgets and the science core for the opioid receptor / naltrexone lessons.

Lessons import only the names listed in ``__all__``. The science lives in
:mod:`widgets.pharmacology`, which has no UI imports.

Names are imported when a lesson first uses them (module ``__getattr__``, PEP 562): ``import
widgets`` stays light, and a lesson's kernel holds only what that lesson needs (scipy.stats,
scipy.optimize and pandas are large; bench/kernel_footprint.py measures it).
"""

from importlib import import_module

# name -> submodule that defines it ("" means the name is the submodule itself)
_EXPORTS = {
    "AffinityExplorer": "affinity_explorer",
    "ligand_profile": "affinities",
    "ligand_names": "affinities",
    "with_ligand_names": "affinities",
    "BindingExplorer": "binding_explorer",
    "DataFileError": "data_tables",
    "load_table": "data_tables",
    "reference_label": "data_tables",
    "show_references": "references",
    "show_table": "table_display",
    "RewardCircuit": "reward_circuit_widget",
    "check_setup": "setup_check",
    "SignallingCascade": "signalling_cascade",
    "format_molar": "units",
    "parse_concentration": "units",
    "WidgetCheck": "widget_check",
    "DosingTimeline": "dosing_timeline",
    "PetComparison": "pet_comparison",
    "ExtinctionSimulator": "extinction_simulator",
    "EvidenceForest": "evidence_forest",
    "DisplacementSimulator": "displacement_simulator",
    "OrganBath": "organ_bath_widget",
    "ExperimentAnalyser": "schild_report",
    "report_plot": "schild_report",
    "show_warnings": "table_display",
    "Quiz": "quiz",
    "check_answer": "quiz_bank",
    "load_questions": "quiz_bank",
    "pharmacology": "",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    try:
        submodule = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}") from None
    if not submodule:
        value = import_module(f"{__name__}.{name}")
    else:
        value = getattr(import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


def _register_table_display() -> None:
    """In a running IPython, show DataFrames as the lessons' accessible tables (widgets.table_display)
    and show every widget Box holding a figure or a quiz with its still picture (widgets.figure_transport).

    Registered by type name, so nothing heavy is imported until such an object is shown.
    """
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        html_formatter = shell.display_formatter.formatters["text/html"]
        # pandas 3 says DataFrame lives in "pandas"; earlier versions said "pandas.core.frame".
        for module in ("pandas", "pandas.core.frame"):
            html_formatter.for_type_by_name(module, "DataFrame", _dataframe_html)
        # A Box holding figures is shown as its live view and then its still picture.
        shell.display_formatter.ipython_display_formatter.for_type_by_name(
            "ipywidgets.widgets.widget_box", "Box", _display_box
        )


def _display_box(box):
    from .figure_transport import display_with_face, register_static_faces

    register_static_faces()
    display_with_face(box)


def _dataframe_html(frame) -> str:
    from .table_display import dataframe_html

    return dataframe_html(frame)


_register_table_display()
