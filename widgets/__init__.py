"""Interactive widgets and the science core for the opioid receptor / naltrexone lessons.

Lessons import only the names listed in ``__all__``. The science lives in
:mod:`widgets.pharmacology`, which has no UI imports.
"""

from . import pharmacology
from .affinity_explorer import AffinityExplorer, ligand_profile
from .binding_explorer import BindingExplorer
from .data_tables import DataFileError, load_table
from .references import show_references
from .reward_circuit_widget import RewardCircuit
from .setup_check import check_setup
from .signalling_cascade import SignallingCascade
from .units import format_molar, parse_concentration
from .widget_check import WidgetCheck
from .dosing_timeline import DosingTimeline
from .pet_comparison import PetComparison
from .extinction_simulator import ExtinctionSimulator
from .evidence_forest import EvidenceForest
from .displacement_simulator import DisplacementSimulator
from .organ_bath_widget import OrganBath
from .quiz import Quiz
from .quiz_bank import check_answer, load_questions
from .ui import show_tables_in_full

show_tables_in_full()  # lessons' tables show whole cells, wrapped, instead of "..."

__all__ = [
    "AffinityExplorer",
    "SignallingCascade",
    "BindingExplorer",
    "DataFileError",
    "WidgetCheck",
    "check_setup",
    "format_molar",
    "ligand_profile",
    "load_table",
    "parse_concentration",
    "pharmacology",
    "show_references",
    "DosingTimeline",
    "PetComparison",
    "ExtinctionSimulator",
    "EvidenceForest",
    "DisplacementSimulator",
    "RewardCircuit",
    "OrganBath",
    "Quiz",
    "load_questions",
    "check_answer",
]
