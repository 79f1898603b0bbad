"""Classical receptor theory: occupancy, competitive antagonism and the operational model.

Pure functions over floats and numpy arrays. Concentrations are molar unless a name says
otherwise; any consistent unit works as long as a concentration and its dissociation
constant share it. Bad input raises ``ValueError`` naming the argument.
"""

from __future__ import annotations

import numpy as np

from . import _checks

# The opioid receptors the models and the data name, in the one order figures and tables list them.
RECEPTORS = ("MOR", "DOR", "KOR")

# Illustrative transducer ratios (tau of the operational model) per kind of ligand at MOR: teaching
# values, not measurements. tau depends on the tissue (receptor density, coupling) as much as on
# the drug.
DEFAULT_TAU = {"full agonist": 10.0, "partial agonist": 1.0, "antagonist": 0.0, "inverse agonist": 0.0}


def occupancy(conc, kd, hill=1.0):
    r"""Fractional receptor occupancy by one ligand (Hill–Langmuir equation).

    .. math:: p = \frac{[A]^{n_H}}{[A]^{n_H} + K_D^{n_H}}

    With ``hill=1`` this is the law of mass action for a single site (Langmuir/Clark).

    Parameters
    ----------
    conc : float or array_like
        Free ligand concentration, M (>= 0).
    kd : float or array_like
        Equilibrium dissociation constant, M (> 0).
    hill : float, default 1.0
        Hill coefficient n_H (> 0). 1 for simple bimolecular binding.

    Returns
    -------
    float or ndarray
        Fraction of receptors occupied, in [0, 1].

    References
    ----------
    Hill AV (1910) J Physiol 40:iv–vii. Langmuir I (1918) J Am Chem Soc 40:1361–1403.
    Clark AJ (1926) J Physiol 61:530–546.
    """
    a = _checks.concentration(conc, "conc")
    k = _checks.positive(kd, "kd")
    n = _checks.positive(hill, "hill")
    # Written as 1 / (1 + (K/A)^n) to stay finite for very small and very large ratios.
    with np.errstate(divide="ignore"):
        ratio = np.where(a > 0, (k / np.where(a > 0, a, 1.0)) ** n, np.inf)
    return _checks.scalar_or_array(1.0 / (1.0 + ratio))


def dose_ratio(antagonist, kb):
    r"""Schild dose ratio produced by a competitive antagonist.

    .. math:: r = \frac{[A']}{[A]} = 1 + \frac{[B]}{K_B}

    ``r`` is how many times more agonist is needed for the same effect when the antagonist
    is present at ``antagonist`` (it holds for any agonist and any response, which is why
    Schild analysis can estimate K_B from functional experiments).

    Parameters
    ----------
    antagonist : float or array_like
        Antagonist concentration [B], M (>= 0).
    kb : float or array_like
        Antagonist equilibrium dissociation constant K_B, M (> 0).

    Returns
    -------
    float or ndarray
        Dose ratio, >= 1.

    References
    ----------
    Arunlakshana O, Schild HO (1959) Some quantitative uses of drug antagonists.
    Br J Pharmacol Chemother 14:48–58. doi:10.1111/j.1476-5381.1959.tb00928.x
    """
    b = _checks.concentration(antagonist, "antagonist")
    k = _checks.positive(kb, "kb")
    return _checks.scalar_or_array(1.0 + b / k)


def gaddum_occupancy(agonist, ka, antagonist, kb):
    r"""Agonist occupancy in the presence of a competitive antagonist (Gaddum equation).

    .. math:: p_A = \frac{[A]}{[A] + K_A (1 + [B]/K_B)}

    Both ligands bind reversibly to the same site and are at equilibrium.

    Parameters
    ----------
    agonist : float or array_like
        Agonist concentration [A], M (>= 0).
    ka : float or array_like
        Agonist dissociation constant K_A, M (> 0).
    antagonist : float or array_like
        Antagonist concentration [B], M (>= 0).
    kb : float or array_like
        Antagonist dissociation constant K_B, M (> 0).

    Returns
    -------
    float or ndarray
        Fraction of receptors occupied by the agonist, in [0, 1].

    References
    ----------
    Gaddum JH (1937) The quantitative effects of antagonistic drugs. J Physiol 89:7P–9P.
    """
    a = _checks.concentration(agonist, "agonist")
    k = _checks.positive(ka, "ka")
    apparent_ka = k * dose_ratio(antagonist, kb)
    return _checks.scalar_or_array(a / (a + apparent_ka))


def operational_effect(agonist, ka, tau, emax=1.0, n=1.0, antagonist=0.0, kb=float("inf")):
    r"""Response to an agonist in the operational model of agonism (Black & Leff).

    .. math:: E = \frac{E_m \tau^n [A]^n}{([A] + K_A(1 + [B]/K_B))^n + \tau^n [A]^n}

    ``tau`` (the transducer ratio, receptor density over the concentration of occupied
    receptors giving half the system maximum) combines efficacy and receptor reserve.
    For n = 1, EC50 = K_A / (1 + tau) and the maximum is E_m tau / (1 + tau). A competitive
    antagonist scales K_A by the dose ratio 1 + [B]/K_B (Black et al. 1985).

    Parameters
    ----------
    agonist : float or array_like
        Agonist concentration [A], M (>= 0).
    ka : float
        Agonist dissociation constant K_A, M (> 0).
    tau : float
        Transducer ratio (>= 0). 0 gives no response (a neutral antagonist).
    emax : float, default 1.0
        System maximum E_m (> 0).
    n : float, default 1.0
        Slope of the transducer function (> 0).
    antagonist : float, default 0.0
        Competitive antagonist concentration [B], M (>= 0).
    kb : float, default inf
        Antagonist dissociation constant K_B, M (> 0; inf means no antagonist binding).

    Returns
    -------
    float or ndarray
        Response in the units of ``emax``.

    References
    ----------
    Black JW, Leff P (1983) Operational models of pharmacological agonism.
    Proc R Soc Lond B 220:141–162. doi:10.1098/rspb.1983.0093
    Black JW, Leff P, Shankley NP, Wood J (1985) An operational model of pharmacological
    agonism: the effect of E/[A] curve shape on agonist dissociation constant estimation.
    Br J Pharmacol 84:561–571.
    """
    a = _checks.concentration(agonist, "agonist")
    k = _checks.positive(ka, "ka")
    t = _checks.non_negative(tau, "tau")
    em = _checks.positive(emax, "emax")
    slope = _checks.positive(n, "n")
    b = _checks.concentration(antagonist, "antagonist")
    kb_arr = _checks.positive(kb, "kb", allow_inf=True)
    apparent_ka = k * (1.0 + b / kb_arr)
    stimulus = (t * a) ** slope
    denominator = (a + apparent_ka) ** slope + stimulus
    return _checks.scalar_or_array(em * stimulus / denominator)


def operational_ec50(ka, tau):
    r"""Agonist EC50 in the operational model with n = 1: :math:`K_A / (1 + \tau)`.

    References
    ----------
    Black JW, Leff P (1983) Proc R Soc Lond B 220:141–162.
    """
    k = _checks.positive(ka, "ka")
    t = _checks.non_negative(tau, "tau")
    return _checks.scalar_or_array(k / (1.0 + t))


def cheng_prusoff_ki(ic50, radioligand, kd):
    r"""Inhibitor dissociation constant from a competition binding IC50 (Cheng–Prusoff).

    .. math:: K_i = \frac{IC_{50}}{1 + [L]/K_D}

    Valid for a competitive inhibitor, a single site, equilibrium, and no depletion of
    free radioligand (Munson & Rodbard 1988 give the exact correction).

    Parameters
    ----------
    ic50 : float or array_like
        Inhibitor concentration displacing half the specific radioligand binding, M (> 0).
    radioligand : float or array_like
        Free radioligand concentration [L], M (>= 0).
    kd : float or array_like
        Radioligand dissociation constant K_D, M (> 0).

    Returns
    -------
    float or ndarray
        K_i, M.

    References
    ----------
    Cheng Y, Prusoff WH (1973) Biochem Pharmacol 22:3099–3108.
    doi:10.1016/0006-2952(73)90196-2
    """
    i = _checks.positive(ic50, "ic50")
    lig = _checks.concentration(radioligand, "radioligand")
    k = _checks.positive(kd, "kd")
    return _checks.scalar_or_array(i / (1.0 + lig / k))
