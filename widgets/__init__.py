"""Interactive widgets and the science core for the opioid receptor / naltrexone lessons.

Lessons import only the names listed in ``__all__``. The science lives in
:mod:`widgets.pharmacology`, which has no UI imports.
"""

from . import pharmacology
from .binding_explorer import BindingExplorer
from .data_tables import DataFileError, load_table
from .references import show_references
from .setup_check import check_setup
from .units import format_molar, parse_concentration
from .widget_check import WidgetCheck
from .extinction_simulator import ExtinctionSimulator
from .evidence_forest import EvidenceForest
from .displacement_simulator import DisplacementSimulator

__all__ = [
    "BindingExplorer",
    "DataFileError",
    "WidgetCheck",
    "check_setup",
    "format_molar",
    "load_table",
    "parse_concentration",
    "pharmacology",
    "show_references",
    "ExtinctionSimulator",
    "EvidenceForest",
    "DisplacementSimulator",
]
