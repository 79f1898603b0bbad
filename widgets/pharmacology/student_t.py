"""Student's t quantile for confidence intervals, without importing scipy.stats.

scipy.stats costs a kernel about 25 MB and half a second more than the scipy.special function
it uses for this (bench/kernel_footprint.py); the lessons need only the quantile.
"""

from scipy.special import stdtrit


def t_quantile(p: float, dof: float) -> float:
    """The p-quantile of Student's t distribution with ``dof`` degrees of freedom.

    The same number as ``scipy.stats.t.ppf(p, dof)``: e.g. t_quantile(0.975, 2) = 4.303, the
    two-sided 95 % critical value of a t table.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be between 0 and 1 (exclusive), got {p!r}")
    if not dof > 0:
        raise ValueError(f"degrees of freedom must be positive, got {dof!r}")
    return float(stdtrit(dof, p))
