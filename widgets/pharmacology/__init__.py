"""The science core: receptor-theory models as plain functions over numbers and arrays.

Never imports ipywidgets or plotly, so it can be used and tested without Jupyter.
Concentrations are molar unless a name says otherwise.

Names are imported on first use (module ``__getattr__``, PEP 562), so a lesson that needs only
receptor theory does not load scipy.optimize, scipy.stats or pandas.
"""

from importlib import import_module

# submodule -> the names it exports here
_MODULES = {
    "receptor_theory": [
        "DEFAULT_TAU",
        "RECEPTORS",
        "cheng_prusoff_ki",
        "dose_ratio",
        "gaddum_occupancy",
        "occupancy",
        "operational_ec50",
        "operational_effect",
    ],
    "schild": ["GlobalSchildFit", "SchildResult", "dose_ratio_covariance", "global_schild_fit", "schild_fit"],
    "analyse": ["SchildReport", "analyse_schild", "curves_table"],
    "naltrexone": [
        "NaltrexoneModel",
        "blockade_halftime_h",
        "naltrexone_model",
        "naltrexone_profile",
        "simulate_naltrexone",
    ],
    "naltrexone_report": [
        "citation",
        "compare_mechanisms",
        "compare_naltrexone_with_published",
        "readable_table",
    ],
    "naltrexone_fit": ["mor_occupancy_band", "parameter_spread", "parameter_uncertainty"],
    "gi_signalling": ["GiParameters", "GiState", "gi_cascade", "lif_rate_hz"],
    "learning": ["STRATEGIES", "ExtinctionCourse", "extinction_course", "rescorla_wagner"],
    "clinical": ["BINARY_MEASURES", "number_needed_to_treat", "treated_risk"],
    "displacement": ["arrival_profile", "competitive_occupancies"],
    "reward_circuit": ["CircuitParameters", "CircuitResult", "alcohol_level", "simulate_reward_circuit"],
    "organ_bath": [
        "BATH_DRUGS",
        "BathNoise",
        "CANDIDATES",
        "DOSES_M",
        "HillFit",
        "SchildExperiment",
        "bath_parameters",
        "bath_parameters_table",
        "bath_response",
        "competition_binding",
        "dose_ratios",
        "drug_model",
        "fit_hill",
        "fitted_dose_ratio",
        "half_log_doses",
        "hidden_antagonist",
        "hill_response",
        "receptors_left",
        "run_schild_experiment",
        "simulate_curve",
        "student_seed",
        "two_agonist_effect",
    ],
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    try:
        submodule = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
