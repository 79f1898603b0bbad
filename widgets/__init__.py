"""Interactive widgets and the science core for the opioid receptor / naltrexone lessons.

Lessons import only the names listed in ``__all__``. The science lives in
:mod:`widgets.pharmacology`, which has no UI imports.

Names are imported when a lesson first uses them (module ``__getattr__``, PEP 562): ``import
widgets`` stays light, and a lesson's kernel holds only what that lesson needs (scipy.stats,
scipy.optimize and pandas are large; bench/kernel_footprint.py measures it).
"""

import sys
from importlib import import_module
from importlib.util import find_spec, spec_from_loader

# name -> submodule that defines it ("" means the name is the submodule itself). The folders are
# the layers of widgets/README.md: lesson_widgets, display, data_access, pharmacology (science),
# classroom_tools.
_EXPORTS = {
    "AffinityExplorer": "lesson_widgets.affinity_explorer",
    "ligand_profile": "data_access.affinities",
    "ligand_names": "data_access.affinities",
    "with_ligand_names": "data_access.affinities",
    "BindingExplorer": "lesson_widgets.binding_explorer",
    "DataFileError": "data_access.data_tables",
    "load_table": "data_access.data_tables",
    "reference_label": "data_access.data_tables",
    "show_references": "data_access.references",
    "show_table": "display.table_display",
    "RewardCircuit": "lesson_widgets.reward_circuit_widget",
    "check_setup": "classroom_tools.setup_check",
    "SignallingCascade": "lesson_widgets.signalling_cascade",
    "format_molar": "data_access.units",
    "parse_concentration": "data_access.units",
    "WidgetCheck": "lesson_widgets.widget_check",
    "DosingTimeline": "lesson_widgets.dosing_timeline",
    "PetComparison": "lesson_widgets.pet_comparison",
    "ExtinctionSimulator": "lesson_widgets.extinction_simulator",
    "EvidenceForest": "lesson_widgets.evidence_forest",
    "DisplacementSimulator": "lesson_widgets.displacement_simulator",
    "OrganBath": "lesson_widgets.organ_bath_widget",
    "ExperimentAnalyser": "lesson_widgets.schild_report",
    "report_plot": "lesson_widgets.schild_report",
    "show_warnings": "display.table_display",
    "Quiz": "lesson_widgets.quiz",
    "check_answer": "data_access.quiz_bank",
    "load_questions": "data_access.quiz_bank",
    "representative_ki_nM": "data_access.affinities",
    "show_answer": "display.ui",
    "pharmacology": "",
}

__all__ = list(_EXPORTS)


# Where each module lived before widgets/ was arranged in folders (December 2026). A student's
# saved copy of a lesson (nbgitpuller keeps a student's edited notebook) or a hub's server config
# written then may still import the old name: ``import widgets.ui`` gives widgets.display.ui.
_MOVED = {
    "data_tables": "data_access.data_tables",
    "affinities": "data_access.affinities",
    "quiz_bank": "data_access.quiz_bank",
    "references": "data_access.references",
    "units": "data_access.units",
    "figure_transport": "display.figure_transport",
    "figure_checks": "display.figure_checks",
    "circuit_diagram": "display.circuit_diagram",
    "theme": "display.theme",
    "ui": "display.ui",
    "table_display": "display.table_display",
    "concentration_control": "display.concentration_control",
    "widget_check": "lesson_widgets.widget_check",
    "affinity_explorer": "lesson_widgets.affinity_explorer",
    "signalling_cascade": "lesson_widgets.signalling_cascade",
    "binding_explorer": "lesson_widgets.binding_explorer",
    "organ_bath_widget": "lesson_widgets.organ_bath_widget",
    "dosing_timeline": "lesson_widgets.dosing_timeline",
    "pet_comparison": "lesson_widgets.pet_comparison",
    "reward_circuit_widget": "lesson_widgets.reward_circuit_widget",
    "evidence_forest": "lesson_widgets.evidence_forest",
    "extinction_simulator": "lesson_widgets.extinction_simulator",
    "displacement_simulator": "lesson_widgets.displacement_simulator",
    "quiz": "lesson_widgets.quiz",
    "schild_report": "lesson_widgets.schild_report",
    "classroom": "classroom_tools.classroom",
    "answer_check": "classroom_tools.answer_check",
    "server_settings": "classroom_tools.server_settings",
    "notebook_format": "classroom_tools.notebook_format",
    "setup_check": "classroom_tools.setup_check",
}


class _MovedModuleFinder:
    """Resolves ``widgets.<old name>`` to the module's new place (a meta path finder, PEP 451)."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        package, _, old = fullname.rpartition(".")
        if package != __name__ or old not in _MOVED:
            return None
        # the new file as its origin, so `python -m widgets.<old name>` has a __file__
        spec = spec_from_loader(
            fullname, _MovedModuleFinder, origin=find_spec(_MovedModuleFinder._new_name(fullname)).origin
        )
        spec.has_location = True
        return spec

    @staticmethod
    def _new_name(fullname: str) -> str:
        return f"{__name__}.{_MOVED[fullname.rpartition('.')[2]]}"

    @staticmethod
    def create_module(spec):
        module = import_module(_MovedModuleFinder._new_name(spec.name))
        spec.loader_state = module.__spec__  # importlib writes the old name's spec over it next
        return module

    @staticmethod
    def exec_module(module):
        # Already executed under its new name; give it back that name's spec, so that
        # importlib.reload (and %autoreload) keep working on it.
        module.__spec__ = module.__spec__.loader_state

    @staticmethod
    def get_code(fullname):
        """For ``python -m widgets.<old name>`` (runpy): the new module's code, run as __main__."""
        new = _MovedModuleFinder._new_name(fullname)
        return find_spec(new).loader.get_code(new)


if not any(type(f) is type and f.__name__ == "_MovedModuleFinder" for f in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder)  # once, even if this package is reloaded


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
    """In a running IPython, show DataFrames as the lessons' accessible tables (widgets.display.table_display)
    and show every widget Box holding a figure or a quiz with its still picture (widgets.display.figure_transport).

    Registered by type name, so nothing heavy is imported until such an object is shown.
    """
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
    from .display.figure_transport import display_with_face, register_static_faces

    register_static_faces()
    display_with_face(box)


def _dataframe_html(frame) -> str:
    from .display.table_display import dataframe_html

    return dataframe_html(frame)


_register_table_display()
