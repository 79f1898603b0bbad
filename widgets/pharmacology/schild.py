"""Schild regression: estimating an antagonist's affinity from dose ratios."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _checks
from .student_t import t_quantile


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


def schild_fit(antagonist, dose_ratios, confidence=0.95, *, log_ratio_cov=None, dof=None, rescale=True):
    r"""Fit the Schild regression to dose ratios measured at several antagonist concentrations.

    .. math:: \log_{10}(r - 1) = n \log_{10}[B] - \log_{10} K_B

    Ordinary least squares of log(r-1) on log[B]. pA2 is the x-intercept,
    pA2 = -log[B] where r = 2. Its confidence interval comes from Fieller's theorem for
    the ratio intercept/slope. A slope that is not different from 1 is the test of simple
    competitive antagonism; only then does pA2 estimate pK_B.

    **Plain mode** (``log_ratio_cov`` not given): the intervals use only the residual scatter
    about the Schild line (n - 2 degrees of freedom) and Student's t. That is the textbook
    calculation, right only when the dose ratios' errors are independent. They are not when the
    ratios come from fitted curves: every ratio is divided by the same control EC50, so the
    control's error (its fit error and the tissue's drift) moves every Schild point together.
    The residuals cannot see that shift, but it moves the intercept, and pA2 by the shift
    divided by the slope (Lew & Angus 1995). With three concentrations the plain pA2 interval
    then covers the truth in about 80 % of experiments, not 95 %.

    **Error-propagating mode** (``log_ratio_cov`` given): the same least-squares line, with the
    covariance of its intercept and slope propagated from the covariance of the points. With
    :math:`V_L` the covariance of the :math:`\log_{10} r_i` (for curve errors :math:`\sigma_i^2` and m
    pooled controls, :math:`V_{L,ik} = \delta_{ik}\sigma_i^2 + \sum_j \sigma_{c,j}^2 / m^2`, see
    :func:`dose_ratio_covariance`), the delta method gives the covariance of
    :math:`y_i = \log_{10}(r_i - 1)` as :math:`V = J V_L J`, :math:`J = \mathrm{diag}(r_i/(r_i - 1))`.
    With X = [1, log[B] - mean] and :math:`\hat\beta = (X^T X)^{-1} X^T y` (the classical line),
    :math:`\mathrm{cov}(\hat\beta) = k\,(X^T X)^{-1} X^T V X (X^T X)^{-1}`, where
    :math:`k = \max(1, \chi^2/(n-2))` (1 with ``rescale=False``), :math:`\chi^2 = e^T V^{-1} e` (Birge's
    ratio: scatter about the line beyond what V allows widens the intervals, never narrows them;
    k = 1 with 2 points). The slope interval is :math:`\hat b \pm t\,\sqrt{\mathrm{cov}_{bb}}`;
    pA2 = a/b (a the intercept at log[B] = mean, then shifted back) has Fieller's interval: the
    values ρ with :math:`(a - \rho b)^2 \le t^2 (v_{aa} - 2\rho v_{ab} + \rho^2 v_{bb})`, bounded only
    when :math:`b^2 > t^2 v_{bb}` (Fieller 1954; the inverse-prediction interval of Draper & Smith
    1998, §3.2, with a general covariance). t is Student's with ``dof`` degrees of freedom (the
    degrees of freedom of the variance estimate in ``log_ratio_cov``), or the normal quantile when
    ``dof`` is None (a known covariance). The slope-1 pK_B stays the mean of log(r - 1) - log[B],
    with variance :math:`k\,1^T V 1 / n^2`.

    Why the least-squares line and not generalised least squares (weights :math:`V^{-1}`): the
    estimates stay those of the Schild plot a student draws and computes by hand, and with three
    or four points of similar error GLS gains little; only the intervals change. Why not a
    bootstrap: this closed form is fast enough for the lessons' loops, and its coverage is
    measured in ``bench/schild_coverage_grid.py`` (at least 93 % in every configuration there).

    Parameters
    ----------
    antagonist : array_like
        Antagonist concentrations [B], M (each > 0: a zero concentration has no logarithm;
        the control curve is the reference for the dose ratios, not a Schild point).
    dose_ratios : array_like
        Dose ratios r = EC50(with antagonist) / EC50(control), each > 1.
    confidence : float, default 0.95
        Confidence level of the intervals.
    log_ratio_cov : array_like, optional
        n x n covariance matrix of the log10 dose ratios (log10 units squared), for example from
        :func:`dose_ratio_covariance`. Given, the intervals propagate it (see above).
    dof : int, optional
        Degrees of freedom of the variance estimate behind ``log_ratio_cov`` (Student's t);
        None takes the normal quantile. Only with ``log_ratio_cov``.
    rescale : bool, default True
        With ``log_ratio_cov``: widen the covariance by Birge's ratio k (above). False when the
        covariance was itself estimated from the same scatter (``analyse_schild`` does this), which
        a second rescaling would count twice.

    Returns
    -------
    SchildResult

    References
    ----------
    Arunlakshana O, Schild HO (1959) Br J Pharmacol Chemother 14:48–58.
    doi:10.1111/j.1476-5381.1959.tb00928.x
    Fieller EC (1954) Some problems in interval estimation. J R Stat Soc B 16:175–185.
    Draper NR, Smith H (1998) Applied regression analysis, 3rd ed., Wiley: §3.2 (inverse
    prediction).
    Lew MJ, Angus JA (1995) Analysis of competitive agonist–antagonist interactions by
    nonlinear regression. Trends Pharmacol Sci 16:328–337. doi:10.1016/S0165-6147(00)89066-5
    """
    b = np.atleast_1d(_checks.as_float_array(antagonist, "antagonist")).ravel()
    r = np.atleast_1d(_checks.as_float_array(dose_ratios, "dose_ratios")).ravel()
    if b.size != r.size:
        raise ValueError(f"antagonist and dose_ratios must have the same length, got {b.size} and {r.size}")
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

    if log_ratio_cov is not None:
        return _schild_gls(b, r, log_ratio_cov, confidence, dof, rescale)
    if dof is not None:
        raise ValueError("dof goes with log_ratio_cov (the degrees of freedom of its variance estimate)")

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


def dose_ratio_covariance(var_antagonist, var_controls):
    r"""Covariance matrix of log10 dose ratios measured against the mean of shared controls.

    Dose ratio i is :math:`\log r_i = L_i - \bar L_c` with :math:`\bar L_c` the mean log EC50 of
    m control curves. With independent curve errors (each curve's fit variance plus the
    tissue's drift variance),
    :math:`\mathrm{cov}(\log r_i, \log r_k) = \delta_{ik}\,\sigma_i^2 + \sum_j \sigma_{c,j}^2 / m^2`:
    the control term is common to every ratio.

    Parameters
    ----------
    var_antagonist : array_like
        Variance of each antagonist curve's log10 EC50 (fit error squared plus drift variance).
    var_controls : array_like
        Variance of each control curve's log10 EC50, same meaning.

    Returns
    -------
    numpy.ndarray, shape (n, n)
    """
    va = np.atleast_1d(np.asarray(var_antagonist, dtype=float)).ravel()
    vc = np.atleast_1d(np.asarray(var_controls, dtype=float)).ravel()
    if vc.size == 0:
        raise ValueError("dose_ratio_covariance needs at least one control variance")
    if not (np.isfinite(va).all() and np.isfinite(vc).all() and (va >= 0).all() and (vc >= 0).all()):
        raise ValueError("variances must be finite and >= 0")
    return np.diag(va) + float(vc.sum()) / vc.size**2


def _schild_gls(b, r, log_ratio_cov, confidence, dof, rescale=True):
    """schild_fit's error-propagating mode: the least-squares line, its covariance from the points'."""
    n = b.size
    cov_l = np.asarray(log_ratio_cov, dtype=float)
    if cov_l.shape != (n, n) or not np.isfinite(cov_l).all():
        raise ValueError(f"log_ratio_cov must be a finite {n} x {n} matrix, got shape {cov_l.shape}")
    if dof is not None and not (dof >= 1):
        raise ValueError(f"dof must be >= 1, got {dof}")
    x = np.log10(b)
    y = np.log10(r - 1.0)
    xbar = float(x.mean())
    if np.ptp(x) == 0:
        raise ValueError("schild_fit needs at least 2 different antagonist concentrations")
    jac = r / (r - 1.0)  # d log10(r - 1) / d log10 r
    v = cov_l * np.outer(jac, jac)
    v = 0.5 * (v + v.T)
    if np.linalg.eigvalsh(v).min() <= 1e-14 * max(1.0, float(np.trace(v))):
        raise ValueError("log_ratio_cov must be positive definite (every point needs some error)")
    w = np.linalg.inv(v)
    design = np.column_stack([np.ones(n), x - xbar])
    # the classical least-squares line; its covariance propagated from V (the sandwich form)
    bread = np.linalg.inv(design.T @ design)
    a, slope = (float(v_) for v_ in bread @ design.T @ y)
    if slope == 0:
        raise ValueError("Schild slope is 0: the dose ratio does not change with [B]")
    cov_beta = bread @ design.T @ v @ design @ bread
    resid = y - design @ np.array([a, slope])
    chi2 = float(resid @ w @ resid)
    k = max(1.0, chi2 / (n - 2)) if n > 2 and rescale else 1.0
    cov_beta = cov_beta * k
    alpha = 1.0 - confidence
    q = t_quantile(1 - alpha / 2, dof) if dof is not None else t_quantile(1 - alpha / 2, 1e6)
    pA2 = a / slope - xbar
    half = q * math.sqrt(cov_beta[1, 1])
    slope_ci = (slope - half, slope + half)
    ratio_ci = _fieller_ratio_ci(a, slope, cov_beta, q)
    pa2_ci = None if ratio_ci is None else (ratio_ci[0] - xbar, ratio_ci[1] - xbar)
    # slope fixed at 1: log(r - 1) - log[B] = pK_B at every point; their mean, variance 1'V1/n^2
    d = y - x
    pkb1 = float(d.mean())
    e1 = d - pkb1
    k1 = max(1.0, float(e1 @ w @ e1) / (n - 1)) if n > 1 and rescale else 1.0
    half1 = q * math.sqrt(float(v.sum()) / n**2 * k1)
    return SchildResult(
        slope=float(slope),
        slope_ci=(float(slope_ci[0]), float(slope_ci[1])),
        pA2=float(pA2),
        pA2_ci=pa2_ci,
        pkb_slope1=pkb1,
        pkb_slope1_ci=(pkb1 - half1, pkb1 + half1),
        n_points=int(n),
    )


def _fieller_ratio_ci(a, b, cov, q):
    """Fieller's interval for a/b given cov of (a, b) and quantile q; None when unbounded."""
    vaa, vab, vbb = float(cov[0, 0]), float(cov[0, 1]), float(cov[1, 1])
    c2 = b * b - q * q * vbb
    if c2 <= 0:
        return None  # the slope's own interval reaches 0: the set is not a bounded interval
    c1 = a * b - q * q * vab
    c0 = a * a - q * q * vaa
    disc = c1 * c1 - c2 * c0
    if disc <= 0:  # cannot happen with c2 > 0 and a positive definite cov; guard against rounding
        return None
    root = math.sqrt(disc)
    return (float((c1 - root) / c2), float((c1 + root) / c2))


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


# -- global (whole-curve) Schild analysis --------------------------------------------------
@dataclass(frozen=True)
class GlobalSchildFit:
    """Result of :func:`global_schild_fit`.

    Attributes
    ----------
    pkb, pkb_ci : float, tuple[float, float]
        pK_B = -log10 K_B with the Schild slope fixed at 1 (Gaddum's equation), and its
        confidence interval (95 % by default).
    slope, slope_ci : float, tuple[float, float] or None
        Schild slope from the fit with the slope free, and its interval (None with fewer than
        2 different antagonist concentrations).
    pa2, pa2_ci : float, tuple[float, float] or None
        The x-intercept of that free-slope fit (equals pK_B when the slope is 1).
    log_ec50_control, top, hill : float
        The control curve's fitted log10 EC50 (M), and the maximum and Hill slope shared by
        every curve.
    residual_sd : float
        SD of the points about their curves (same unit as the responses).
    drift_sd : float
        The curve-to-curve SD of log EC50 the error model assumed.
    n_curves, n_points : int
    """

    pkb: float
    pkb_ci: tuple[float, float]
    slope: float
    slope_ci: tuple[float, float] | None
    pa2: float
    pa2_ci: tuple[float, float] | None
    log_ec50_control: float
    top: float
    hill: float
    residual_sd: float
    drift_sd: float
    n_curves: int
    n_points: int

    @property
    def kb(self) -> float:
        """K_B (M) from ``pkb``."""
        return 10.0 ** (-self.pkb)


_LN10 = np.log(10.0)


def _log_shift(log_b, p, slope):
    """log10(1 + ([B]·10^p)^slope), 0 for the control ([B] = 0: log_b = -inf)."""
    z = np.where(np.isfinite(log_b), slope * (np.where(np.isfinite(log_b), log_b, 0.0) + p), -np.inf)
    return np.logaddexp(0.0, z * _LN10) / _LN10


def global_schild_fit(curves, antagonist, drift_sd, confidence=0.95, bottom=0.0, fit_slope=True):
    r"""Fit every concentration–response curve at once with Gaddum's equation built in.

    Each curve i is a logistic with one maximum and one Hill slope for all curves, and
    its log EC50 moved by the antagonist (the "Gaddum/Schild EC50 shift" model):

    .. math:: \log EC_{50,i} = \log EC_{50,\text{control}}
              + \log_{10}\!\left(1 + \left([B]_i\, 10^{pA_2}\right)^{s}\right) + u_i,
              \qquad u_i \sim N(0, \sigma_d^2)

    with the Schild slope s either fixed at 1 (then pA2 is pK_B) or free. The control EC50 is
    a fitted parameter, and each curve's own drift u_i (the tissue's sensitivity wanders from
    one curve to the next) is a random effect with the known SD ``drift_sd``: the fit is the
    penalised least-squares (Laplace) form of a nonlinear mixed model, minimising
    :math:`\sum (y - f)^2/\hat\sigma^2 + \sum u_i^2/\sigma_d^2`. The point SD
    :math:`\hat\sigma` is estimated first, from the fit with a free EC50 per curve. Intervals are
    Wald intervals (Student's t) from the inverse of that objective's Gauss–Newton Hessian, which
    for a linear model equals the fixed-effect covariance of the mixed model (Henderson's
    equations).
    Because the control curve's own drift is in the error model, the interval accounts for
    every dose ratio sharing one control, which the classical Schild regression cannot see.

    Parameters
    ----------
    curves : sequence of (conc, response) pairs
        One pair of equal-length arrays per curve: agonist concentrations (M, >= 0) and
        responses. At least one curve must be a control.
    antagonist : array_like
        Antagonist concentration of each curve, M (0 = control).
    drift_sd : float
        SD (log10 units) of the curve-to-curve drift of the agonist's potency (>= 0; 0 leaves
        the drift out of the error model, which makes the intervals too narrow when it exists).
    confidence : float, default 0.95
    bottom : float, default 0
        Response with no agonist (not fitted).
    fit_slope : bool, default True
        False skips the free-slope fit (``slope``, ``pa2`` and their intervals are then NaN and
        None), for speed when only pK_B is needed.

    Returns
    -------
    GlobalSchildFit

    References
    ----------
    Lew MJ, Angus JA (1995) Analysis of competitive agonist–antagonist interactions by
    nonlinear regression. Trends Pharmacol Sci 16:328–337. doi:10.1016/S0165-6147(00)89066-5
    Gaddum JH (1937) J Physiol 89:7P–9P. Henderson CR (1975) Biometrics 31:423–447.
    """
    b = np.atleast_1d(_checks.as_float_array(antagonist, "antagonist")).astype(float).ravel()
    if len(curves) != b.size:
        raise ValueError(f"curves and antagonist must have the same length, got {len(curves)} and {b.size}")
    if not (np.isfinite(b).all() and (b >= 0).all()):
        raise ValueError("antagonist concentrations must be finite and >= 0 (0 = control)")
    if not (b == 0).any():
        raise ValueError("a global Schild fit needs at least one control curve (antagonist 0)")
    if np.unique(b[b > 0]).size < 1:
        raise ValueError("a global Schild fit needs at least one curve with antagonist")
    d = float(_checks.non_negative(drift_sd, "drift_sd"))
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    xs, ys, idx = [], [], []
    for i, pair in enumerate(curves):
        conc, resp = (np.atleast_1d(np.asarray(v, dtype=float)).ravel() for v in pair)
        if conc.size != resp.size:
            raise ValueError(f"curve {i + 1}: concentrations and responses differ in length")
        if not (np.isfinite(resp).all() and np.isfinite(conc).all() and (conc >= 0).all()):
            raise ValueError(f"curve {i + 1}: concentrations must be finite and >= 0, responses finite")
        with np.errstate(divide="ignore"):
            xs.append(np.log10(conc))
        ys.append(resp)
        idx.append(np.full(conc.size, i))
    x, y, k = np.concatenate(xs), np.concatenate(ys), np.concatenate(idx)
    n_curves = b.size
    if y.size < n_curves + 3:
        raise ValueError(f"too few points for a global fit: {y.size} points for {n_curves} curves")
    with np.errstate(divide="ignore"):
        log_b = np.log10(b)
    finite_x = x[np.isfinite(x)]
    lo_x, hi_x = finite_x.min() - 3, finite_x.max() + 3
    peak = float(y.max())
    if peak <= bottom:
        raise ValueError("no response above baseline: the curves cannot be fitted")

    def curve(ell, top, hill):
        return bottom + (top - bottom) / (1.0 + 10.0 ** (np.clip(hill * (ell[k] - x), -300, 300)))

    # Analytic derivatives for the fits below (finite differences cost a model evaluation per
    # parameter, and lesson 03 runs a hundred of these fits).
    def curve_partials(ell, top, hill):
        """Per point: d curve / d (its curve's log EC50), d maximum, d Hill slope."""
        g = 1.0 / (1.0 + 10.0 ** np.clip(hill * (ell[k] - x), -300, 300))
        dz = -(top - bottom) * _LN10 * g * (1.0 - g)  # d curve / d (hill (ell - x)); 0 at [A] = 0
        return dz * hill, g, dz * np.where(np.isfinite(x), ell[k] - np.where(np.isfinite(x), x, 0.0), 0.0)

    def free_jacobian(q):
        dell, dtop, dhill = curve_partials(q[:n_curves], q[-2], q[-1])
        jac = np.zeros((y.size, n_curves + 2))
        jac[np.arange(y.size), k] = dell
        jac[:, -2], jac[:, -1] = dtop, dhill
        return jac

    # 1. a free log EC50 per curve, shared maximum and Hill slope: the point SD and start values.
    ell0 = np.array([_first_half_crossing(x[k == i], y[k == i], bottom, peak, hi_x) for i in range(n_curves)])
    free = _least_squares(
        lambda q: curve(q[:n_curves], q[-2], q[-1]) - y,
        np.r_[ell0, peak, 1.0],
        (np.r_[np.full(n_curves, lo_x), 1e-6, 0.2], np.r_[np.full(n_curves, hi_x), 2 * abs(peak) + 1, 6.0]),
        free_jacobian,
    )
    dof = y.size - (n_curves + 2)
    sigma = float(np.sqrt(np.sum(free.fun**2) / dof)) if dof > 0 else float("nan")
    if not sigma > 0:
        raise ValueError("the curves leave no residual scatter to estimate the noise from")
    ell_free, top0, hill0 = free.x[:n_curves], free.x[-2], free.x[-1]
    c0 = float(np.mean(ell_free[b == 0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_each = np.log10(np.maximum(10.0 ** (ell_free[b > 0] - c0) - 1.0, 0.1)) - log_b[b > 0]
    p0 = float(np.median(p_each))
    p_bounds = (float(-log_b[b > 0].max() - 5), float(-log_b[b > 0].min() + 5))
    p0 = float(np.clip(p0, p_bounds[0] + 0.1, p_bounds[1] - 0.1))
    # Student's t on the residual degrees of freedom (every curve's drift counted as a parameter),
    # the usual choice for nonlinear regression; with about 50 of them it is close to the normal.
    z = t_quantile(0.5 + confidence / 2, max(y.size - n_curves - 5, 1))

    # 2. the Gaddum/Schild model, slope fixed at 1 and free; drift as a random effect per curve.
    def fit(slope_free):
        n_fixed = 5 if slope_free else 4
        n_u = n_curves if d > 0 else 0

        def parts(q):
            c, p, top, hill = q[0], q[1], q[2], q[3]
            s = q[4] if slope_free else 1.0
            u = q[n_fixed:] if n_u else 0.0
            return c + _log_shift(log_b, p, s) + u, top, hill

        def residuals(q):
            ell, top, hill = parts(q)
            r = (curve(ell, top, hill) - y) / sigma
            return np.r_[r, q[n_fixed:] / d] if n_u else r

        def jacobian(q):
            ell, top, hill = parts(q)
            dell, dtop, dhill = curve_partials(ell, top, hill)
            s = q[4] if slope_free else 1.0
            # d shift / d pA2 and d slope per curve (0 for the controls)
            finite = np.isfinite(log_b)
            lb = np.where(finite, log_b, 0.0)
            h = np.where(finite, 1.0 / (1.0 + 10.0 ** np.clip(-s * (lb + q[1]), -300, 300)), 0.0)
            columns = [dell, dell * (h * s)[k], dtop, dhill] + (
                [dell * (h * (lb + q[1]))[k]] if slope_free else []
            )
            jac = np.zeros((y.size + n_u, n_fixed + n_u))
            jac[: y.size, :n_fixed] = np.column_stack(columns) / sigma
            if n_u:
                jac[np.arange(y.size), n_fixed + k] = dell / sigma
                jac[y.size + np.arange(n_u), n_fixed + np.arange(n_u)] = 1.0 / d
            return jac

        start = np.r_[c0, p0, top0, hill0, [1.0] if slope_free else [], np.zeros(n_u)]
        lower = np.r_[lo_x, p_bounds[0], 1e-6, 0.2, [0.2] if slope_free else [], np.full(n_u, -10 * d)]
        upper = np.r_[
            hi_x, p_bounds[1], 2 * abs(peak) + 1, 6.0, [5.0] if slope_free else [], np.full(n_u, 10 * d)
        ]
        res = _least_squares(residuals, start, (lower, upper), jacobian)
        cov = _inverse(res.jac.T @ res.jac)
        return res.x, np.sqrt(np.maximum(np.diag(cov), 0.0))

    q1, se1 = fit(slope_free=False)
    pkb, pkb_ci = float(q1[1]), (float(q1[1] - z * se1[1]), float(q1[1] + z * se1[1]))
    slope = pa2 = float("nan")
    slope_ci = pa2_ci = None
    if fit_slope and np.unique(b[b > 0]).size >= 2:
        qs, ses = fit(slope_free=True)
        slope, pa2 = float(qs[4]), float(qs[1])
        if np.isfinite(ses[4]):
            slope_ci = (slope - z * float(ses[4]), slope + z * float(ses[4]))
        if np.isfinite(ses[1]):
            pa2_ci = (pa2 - z * float(ses[1]), pa2 + z * float(ses[1]))
    return GlobalSchildFit(
        pkb=pkb,
        pkb_ci=pkb_ci,
        slope=slope,
        slope_ci=slope_ci,
        pa2=pa2,
        pa2_ci=pa2_ci,
        log_ec50_control=float(q1[0]),
        top=float(q1[2]),
        hill=float(q1[3]),
        residual_sd=sigma,
        drift_sd=d,
        n_curves=int(n_curves),
        n_points=int(y.size),
    )


def _first_half_crossing(x, y, bottom, peak, fallback):
    """log concentration of the first point at or above half the largest response (a start value)."""
    half = bottom + 0.5 * (peak - bottom)
    above = np.flatnonzero((y >= half) & np.isfinite(x))
    return float(x[above[0]]) if above.size else float(fallback)


def _least_squares(fun, start, bounds, jac="2-point"):
    from scipy import optimize

    lower, upper = (np.asarray(v, dtype=float) for v in bounds)
    start = np.clip(start, lower + 1e-9 * (upper - lower), upper - 1e-9 * (upper - lower))
    # Unbounded Levenberg–Marquardt first (MINPACK, several times faster than the bounded
    # trust-region method); its answer stands when it lies within the bounds.
    res = optimize.least_squares(fun, start, jac=jac, method="lm", x_scale="jac", max_nfev=2000)
    if not (res.success and np.all((res.x >= lower) & (res.x <= upper))):
        res = optimize.least_squares(fun, start, jac=jac, bounds=(lower, upper), x_scale="jac", max_nfev=2000)
    if not res.success and res.status <= 0:
        raise ValueError(f"the global curve fit did not converge: {res.message}")
    return res


def _inverse(m):
    try:
        return np.linalg.inv(m)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(m)
