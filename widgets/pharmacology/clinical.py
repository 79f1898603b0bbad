"""Absolute risks and the number needed to treat (NNT) from trial effect measures.

Pure functions, no UI. Lesson 06 uses them to explain what a published NNT means and
why a risk ratio gives a different NNT at a different baseline risk.
"""

from __future__ import annotations

import numpy as np

from . import _checks

BINARY_MEASURES = ("risk difference", "risk ratio")


def treated_risk(control_risk, estimate, measure):
    r"""Risk of the outcome on treatment, from the risk on control and an effect measure.

    * risk ratio RR: :math:`p_1 = p_0 \cdot RR` (assumes the ratio carries over to this
      baseline risk, the usual assumption when applying a pooled RR);
    * risk difference RD: :math:`p_1 = p_0 + RD` (assumes the absolute difference carries
      over, which is less often true), clipped to 0..1.

    Parameters
    ----------
    control_risk : float or array_like
        p0, the risk of the outcome without the treatment (placebo), 0..1.
    estimate : float
        The risk ratio (> 0) or risk difference (-1..1).
    measure : {"risk ratio", "risk difference"}

    Returns
    -------
    float or ndarray
        p1, 0..1.

    References
    ----------
    Laupacis A, Sackett DL, Roberts RS (1988) An assessment of clinically useful measures
    of the consequences of treatment. N Engl J Med 318(26):1728–1733.
    """
    p0 = _checks.as_float_array(control_risk, "control_risk")
    if ((p0 < 0) | (p0 > 1)).any():
        raise ValueError("control_risk must be between 0 and 1 (a proportion)")
    if measure == "risk ratio":
        rr = _checks.positive(estimate, "estimate")
        p1 = np.clip(p0 * rr, 0.0, 1.0)
    elif measure == "risk difference":
        rd = _checks.as_float_array(estimate, "estimate")
        if ((rd < -1) | (rd > 1)).any():
            raise ValueError("estimate must be between -1 and 1 for a risk difference")
        p1 = np.clip(p0 + rd, 0.0, 1.0)
    else:
        raise ValueError(f"measure must be one of {BINARY_MEASURES}, got {measure!r}")
    return _checks.scalar_or_array(p1)


def number_needed_to_treat(control_risk, treated_risk_):
    r"""Number needed to treat for one more person to benefit: NNT = 1 / (p0 − p1).

    For an outcome to be avoided (relapse), benefit means p1 < p0. Returns ``inf``
    when the treatment does not lower the risk (no benefit: the NNT is undefined).

    Parameters
    ----------
    control_risk, treated_risk_ : float or array_like
        p0 and p1, 0..1.

    Returns
    -------
    float or ndarray
        NNT (>= 1), or inf.

    References
    ----------
    Laupacis A, Sackett DL, Roberts RS (1988) N Engl J Med 318(26):1728–1733.
    """
    p0 = _checks.as_float_array(control_risk, "control_risk")
    p1 = _checks.as_float_array(treated_risk_, "treated_risk_")
    for arr, name in ((p0, "control_risk"), (p1, "treated_risk_")):
        if ((arr < 0) | (arr > 1)).any():
            raise ValueError(f"{name} must be between 0 and 1 (a proportion)")
    arr_ = p0 - p1
    with np.errstate(divide="ignore"):
        nnt = np.where(arr_ > 0, 1.0 / np.where(arr_ > 0, arr_, 1.0), np.inf)
    return _checks.scalar_or_array(nnt)
