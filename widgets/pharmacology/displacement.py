"""Two ligands competing for one receptor: who holds it, and how that changes as an antagonist arrives.

Pure functions (no UI). Lesson 07 uses them to show precipitated withdrawal as
displacement: naltrexone arriving at receptors held by an agonist in a dependent person.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .receptor_theory import gaddum_occupancy


def competitive_occupancies(agonist, ka, antagonist, kb):
    r"""Fractions of receptors held by an agonist, by a competitive antagonist, and free.

    Gaddum's equation applied to each ligand in turn (both at equilibrium on one site):

    .. math::
        p_A = \frac{[A]/K_A}{1 + [A]/K_A + [B]/K_B},\qquad
        p_B = \frac{[B]/K_B}{1 + [A]/K_A + [B]/K_B},\qquad
        p_\text{free} = 1 - p_A - p_B

    Parameters
    ----------
    agonist, antagonist : float or array_like
        Free concentrations [A] and [B], M (>= 0). Arrays broadcast.
    ka, kb : float or array_like
        Dissociation constants K_A and K_B, M (> 0).

    Returns
    -------
    tuple of (float or ndarray)
        ``(p_agonist, p_antagonist, p_free)``, each in [0, 1], summing to 1.

    References
    ----------
    Gaddum JH (1937) The quantitative effects of antagonistic drugs. J Physiol 89:7P–9P.
    """
    p_a = _checks.as_float_array(gaddum_occupancy(agonist, ka, antagonist, kb), "agonist")
    p_b = _checks.as_float_array(gaddum_occupancy(antagonist, kb, agonist, ka), "antagonist")
    p_free = np.clip(1.0 - p_a - p_b, 0.0, 1.0)
    return (_checks.scalar_or_array(p_a), _checks.scalar_or_array(p_b), _checks.scalar_or_array(p_free))


def arrival_profile(t_h, ka_per_h=3.0, ke_per_h=0.173):
    r"""Shape of a drug's concentration after one oral dose, scaled to a peak of 1.

    The one-compartment, first-order absorption (Bateman) curve, divided by its maximum:

    .. math:: f(t) = \frac{e^{-k_e t} - e^{-k_a t}}{e^{-k_e t_\max} - e^{-k_a t_\max}},
        \qquad t_\max = \frac{\ln(k_a/k_e)}{k_a - k_e}

    The defaults (k_a = 3.0 h⁻¹, k_e = 0.173 h⁻¹, i.e. a 4 h half-life) are the
    illustrative oral-naltrexone set in the project's pharmacology notes (§3c): they give
    t_max ≈ 1 h as in the product information. A simplification: brain concentrations
    lag plasma (lesson 04), and this curve has no such lag.

    Parameters
    ----------
    t_h : float or array_like
        Time after the dose, hours (>= 0).
    ka_per_h, ke_per_h : float
        Absorption and elimination rate constants, per hour (> 0, not equal).

    Returns
    -------
    float or ndarray
        f(t) in [0, 1], equal to 1 at t_max.

    References
    ----------
    Bateman H (1910) Proc Camb Philos Soc 15:423–427 (the two-exponential solution).
    Meyer MC, et al. (1984) J Clin Psychiatry 45(9 Pt 2):15–19 (naltrexone t½ ≈ 4 h).
    """
    t = _checks.concentration(t_h, "t_h")
    ka = float(_checks.positive(ka_per_h, "ka_per_h"))
    ke = float(_checks.positive(ke_per_h, "ke_per_h"))
    if np.isclose(ka, ke):
        raise ValueError("ka_per_h must differ from ke_per_h (the Bateman form divides by their difference)")
    t_max = np.log(ka / ke) / (ka - ke)
    peak = np.exp(-ke * t_max) - np.exp(-ka * t_max)
    return _checks.scalar_or_array(np.clip((np.exp(-ke * t) - np.exp(-ka * t)) / peak, 0.0, 1.0))
