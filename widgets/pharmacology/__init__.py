"""The science core: receptor-theory models as plain functions over numbers and arrays.

Never imports ipywidgets or plotly, so it can be used and tested without Jupyter.
Concentrations are molar unless a name says otherwise.
"""

from .receptor_theory import (
    cheng_prusoff_ki,
    dose_ratio,
    gaddum_occupancy,
    occupancy,
    operational_ec50,
    operational_effect,
)
from .schild import GlobalSchildFit, SchildResult, global_schild_fit, schild_fit
from .naltrexone import (
    NaltrexoneModel,
    blockade_halftime_h,
    compare_naltrexone_with_published,
    naltrexone_model,
    naltrexone_profile,
    simulate_naltrexone,
)
from .gi_signalling import GiParameters, GiState, gi_cascade, lif_rate_hz
from .learning import STRATEGIES, ExtinctionCourse, extinction_course, rescorla_wagner
from .clinical import BINARY_MEASURES, number_needed_to_treat, treated_risk
from .displacement import arrival_profile, competitive_occupancies
from .reward_circuit import CircuitParameters, CircuitResult, alcohol_level, simulate_reward_circuit
from .organ_bath import (
    BathNoise,
    HillFit,
    SchildExperiment,
    bath_response,
    competition_binding,
    dose_ratios,
    fit_hill,
    half_log_doses,
    hill_response,
    receptors_left,
    run_schild_experiment,
    simulate_curve,
    student_seed,
    two_agonist_effect,
)

__all__ = [
    "SchildResult",
    "GlobalSchildFit",
    "global_schild_fit",
    "cheng_prusoff_ki",
    "dose_ratio",
    "gaddum_occupancy",
    "occupancy",
    "operational_ec50",
    "operational_effect",
    "schild_fit",
    "NaltrexoneModel",
    "blockade_halftime_h",
    "compare_naltrexone_with_published",
    "naltrexone_model",
    "naltrexone_profile",
    "simulate_naltrexone",
    "GiParameters",
    "GiState",
    "gi_cascade",
    "lif_rate_hz",
    "STRATEGIES",
    "ExtinctionCourse",
    "extinction_course",
    "rescorla_wagner",
    "BINARY_MEASURES",
    "number_needed_to_treat",
    "treated_risk",
    "arrival_profile",
    "competitive_occupancies",
    "CircuitParameters",
    "CircuitResult",
    "alcohol_level",
    "simulate_reward_circuit",
    "BathNoise",
    "HillFit",
    "SchildExperiment",
    "bath_response",
    "competition_binding",
    "dose_ratios",
    "fit_hill",
    "half_log_doses",
    "hill_response",
    "receptors_left",
    "run_schild_experiment",
    "simulate_curve",
    "student_seed",
    "two_agonist_effect",
]
