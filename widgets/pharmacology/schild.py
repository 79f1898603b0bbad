"""Schild regression: estimating an antagonist's affinity from dose ratios."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from .student_t import t_quantile

from . import _checks


@dataclass(frozen=True)
class SchildResult:
    """Result of :func:`schild_fit`.

    Attributes
    ----------
    slope : float
        Schild slope; about 1 for simple competitive antagonism.
    slope_ci : tuple[float, float] or None
        95 % confidence interval of the slope (None with fewer than 3 concentrations).
    pA2 : float
        -log10 of the antagonist concentration giving a dose ratio of 2 (x-intercept).
        Equals pK_B when the slope is 1.
    pA2_ci : tuple[float, float] or None
        95 % confidence interval of pA2 by Fieller's theorem (None when it is unbounded or
        there are fewer than 3 concentrations).
    pkb_slope1 : float
        pK_B from the regression with the slope fixed at 1 (mean of log(r-1) - log[B]).
    pkb_slope1_ci : tuple[float, float]
        95 % confidence interval of ``pkb_slope1``.
    n_points : int
        Number of (concentration, dose ratio) pairs used.
    """

    slope: float
    slope_ci: tuple[float, float] | None
    pA2: float
    pA2_ci: tuple[float, float] | None
    pkb_slope1: float
    pkb_slope1_ci: tuple[float, float]
    n_points: int

    @property
    def kb(self) -> float:
        """K_B (M) implied by pA2, meaningful when the slope is close to 1."""
        return 10.0 ** (-self.pA2)


def schild_fit(antagonist, dose_ratios, confidence=0.95):
    r"""Fit the Schild regression to dose ratios measured at several antagonist concentrations.

    .. math:: \log_{10}(r - 1) = n \log_{10}[B] - \log_{10} K_B

    Ordinary least squares of log(r-1) on log[B]. pA2 is the x-intercept,
    pA2 = -log[B] where r = 2. Its confidence interval comes from Fieller's theorem for
    the ratio intercept/slope. A slope that is not different from 1 is the test of simple
    competitive antagonism; only then does pA2 estimate pK_B.

    Parameters
    ----------
    antagonist : array_like
        Antagonist concentrations [B], M (each > 0: a zero concentration has no logarithm;
        the control curve is the reference for the dose ratios, not a Schild point).
    dose_ratios : array_like
        Dose ratios r = EC50(with antagonist) / EC50(control), each > 1.
    confidence : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    SchildResult

    References
    ----------
    Arunlakshana O, Schild HO (1959) Br J Pharmacol Chemother 14:48–58.
    doi:10.1111/j.1476-5381.1959.tb00928.x
    Fieller EC (1954) Some problems in interval estimation. J R Stat Soc B 16:175–185.
    """
    b = np.atleast_1d(_checks.as_float_array(antagonist, "antagonist")).ravel()
    r = np.atleast_1d(_checks.as_float_array(dose_ratios, "dose_ratios")).ravel()
    if b.size != r.size:
        raise ValueError(
            f"antagonist and dose_ratios must have the same length, got {b.size} and {r.size}"
        )
    if b.size < 2:
        raise ValueError(f"schild_fit needs at least 2 antagonist concentrations, got {b.size}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    bad_b = np.flatnonzero(~(b > 0) | np.isinf(b))
    if bad_b.size:
        raise ValueError(
            f"antagonist concentrations must be finite and > 0 for a Schild plot "
            f"(log of zero is undefined); bad value {b[bad_b[0]]:g} at position {bad_b[0]}"
        )
    bad_r = np.flatnonzero(~(r > 1) | np.isinf(r))
    if bad_r.size:
        raise ValueError(
            f"dose_ratios must be finite and > 1 (log(r - 1) is undefined otherwise); "
            f"bad value {r[bad_r[0]]:g} at position {bad_r[0]}"
        )

    x = np.log10(b)
    y = np.log10(r - 1.0)
    n = x.size
    xbar, ybar = x.mean(), y.mean()
    sxx = float(((x - xbar) ** 2).sum())
    if sxx == 0:
        raise ValueError("schild_fit needs at least 2 different antagonist concentrations")

    slope = float(((x - xbar) * (y - ybar)).sum() / sxx)
    intercept = ybar - slope * xbar
    if slope == 0:
        raise ValueError("Schild slope is 0: the dose ratio does not change with [B]")
    pA2 = intercept / slope

    # Slope-1 estimate of pK_B: each point gives log(r-1) - log[B] = -log K_B.
    pkb_each = y - x
    pkb1 = float(pkb_each.mean())

    alpha = 1.0 - confidence
    slope_ci = pa2_ci = None
    # n >= 2 is guaranteed above, so the slope-1 estimate always has a t interval.
    t1 = t_quantile(1 - alpha / 2, n - 1)
    half1 = t1 * float(pkb_each.std(ddof=1)) / np.sqrt(n)
    pkb1_ci = (float(pkb1 - half1), float(pkb1 + half1))
    if n >= 3:
        dof = n - 2
        resid = y - (intercept + slope * x)
        s_e = float(np.sqrt((resid**2).sum() / dof))
        t = t_quantile(1 - alpha / 2, dof)
        half = t * s_e / np.sqrt(sxx)
        slope_ci = (float(slope - half), float(slope + half))
        pa2_ci = _fieller_x_intercept_ci(xbar, ybar, slope, s_e, sxx, n, t)

    return SchildResult(
        slope=slope,
        slope_ci=slope_ci,
        pA2=float(pA2),
        pA2_ci=pa2_ci,
        pkb_slope1=pkb1,
        pkb_slope1_ci=pkb1_ci,
        n_points=int(n),
    )


def _fieller_x_intercept_ci(xbar, ybar, slope, s_e, sxx, n, t):
    """Fieller interval for pA2 = -x0, where x0 solves ybar + slope (x0 - xbar) = 0.

    Draper & Smith's inverse-prediction interval for a known response (y0 = 0).
    Returns None when the slope is not significantly different from 0 (g >= 1), since
    the interval is then unbounded.
    """
    g = (t * s_e) ** 2 / (slope**2 * sxx)
    if g >= 1:
        return None
    dx = -ybar / slope  # x0 - xbar
    spread = (t * s_e / abs(slope)) * np.sqrt(dx**2 / sxx + (1 - g) / n)
    lo = xbar + (dx - spread) / (1 - g)
    hi = xbar + (dx + spread) / (1 - g)
    # The interval is centred on xbar + dx/(1-g), not on x0, as Fieller's theorem gives.
    return (float(-hi), float(-lo))
