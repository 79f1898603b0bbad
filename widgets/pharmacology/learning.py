"""Associative learning: the Rescorla–Wagner rule and a pharmacological-extinction course.

Pure functions over numbers and numpy arrays (no UI imports). Used by lesson 06 to
contrast drinking while naltrexone blunts the reward ("targeted" use, the extinction
hypothesis of Sinclair 2001) with taking naltrexone during abstinence only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks

STRATEGIES = ("targeted", "abstinent", "untreated")


def _fraction(value, name: str, *, allow_zero: bool = True) -> float:
    arr = _checks.as_float_array(value, name)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    low_ok = arr >= 0 if allow_zero else arr > 0
    if not (low_ok and arr <= 1):
        bound = "0 <= " if allow_zero else "0 < "
        raise ValueError(f"{name} must satisfy {bound}{name} <= 1, got {float(arr):g}")
    return float(arr)


def rescorla_wagner(outcomes, learning_rate, v0=0.0):
    r"""Associative strength after each trial under the Rescorla–Wagner rule (one cue).

    .. math:: V_{n+1} = V_n + \alpha\beta\,(\lambda_n - V_n)

    ``V`` is the strength of the learned cue → outcome association; ``λ_n`` is the
    reinforcement on trial *n* (the size of the reward that followed the cue), and
    ``αβ`` the product of cue salience and reinforcer learning rate. With a single cue
    the summed prediction of the original rule is just ``V``.

    Parameters
    ----------
    outcomes : array_like
        Reinforcement λ on each trial (>= 0; 1 = the full, unblocked reward, 0 = none).
    learning_rate : float
        αβ, in (0, 1].
    v0 : float, default 0.0
        Associative strength before the first trial (finite).

    Returns
    -------
    ndarray
        ``len(outcomes) + 1`` values: V before the first trial, then after each trial.

    References
    ----------
    Rescorla RA, Wagner AR (1972) A theory of Pavlovian conditioning: variations in the
    effectiveness of reinforcement and nonreinforcement. In: Black AH, Prokasy WF (eds)
    Classical Conditioning II: Current Research and Theory. Appleton-Century-Crofts,
    New York, pp 64–99.
    """
    lam = _checks.non_negative(outcomes, "outcomes").ravel()
    rate = _fraction(learning_rate, "learning_rate", allow_zero=False)
    start = _checks.as_float_array(v0, "v0")
    if start.ndim != 0 or not np.isfinite(start):
        raise ValueError(f"v0 must be a single finite number, got {v0!r}")
    values = np.empty(lam.size + 1)
    values[0] = float(start)
    for i, target in enumerate(lam):
        values[i + 1] = values[i] + rate * (target - values[i])
    return values


@dataclass(frozen=True)
class ExtinctionCourse:
    """Week-by-week result of :func:`extinction_course` (arrays share the week axis)."""

    week: np.ndarray  # 0, 1, ..., weeks
    strength: np.ndarray  # learned drinking response V at the start of each week, 0..1
    occasions: np.ndarray  # drinking occasions during each week (last value is nan: no week follows)
    on_drug: np.ndarray  # bool: the week lies inside the treatment period
    strategy: str


def extinction_course(
    weeks,
    strategy,
    *,
    treatment_weeks=12,
    reward_blocked=0.5,
    learning_rate=0.1,
    occasions_per_week=4.0,
    v0=1.0,
    occasions_follow_strength=True,
) -> ExtinctionCourse:
    r"""Learned drinking response over weeks for three ways of using (or not using) naltrexone.

    Each drinking occasion is one Rescorla–Wagner trial (:func:`rescorla_wagner`) in which
    the cues of drinking are followed by alcohol's reward λ. Weekly update, for ``n``
    occasions in a week with the same λ (the rule applied ``n`` times, closed form):

    .. math:: V_{w+1} = \lambda + (V_w - \lambda)(1 - \alpha\beta)^{n_w}

    Strategies during the treatment weeks:

    * ``"targeted"``: drinking continues with naltrexone on board, so the reward is
      blunted, λ = 1 − ``reward_blocked``, and V extinguishes towards it;
    * ``"abstinent"``: naltrexone taken while not drinking: no occasions, no trials, and
      V does not change (there is nothing for the drug to block);
    * ``"untreated"``: drinking with the full reward, λ = 1.

    After ``treatment_weeks`` everyone drinks off the drug (λ = 1). If
    ``occasions_follow_strength``, the occasions in week *w* are ``occasions_per_week × V_w``
    (a stronger learned response means more drinking), otherwise a constant
    ``occasions_per_week`` (which may be fractional: the closed form allows it).

    Simplifications: one cue and one outcome; the rule has no spontaneous recovery,
    renewal or rapid reacquisition, all of which real extinction shows (so it is
    optimistic about how long extinction lasts); ``reward_blocked`` is an illustrative
    single number, not a measured fraction of alcohol's reward.

    Parameters
    ----------
    weeks : int
        Length of the simulation, weeks (1 to 520).
    strategy : {"targeted", "abstinent", "untreated"}
    treatment_weeks : int, default 12
        Weeks on naltrexone from week 0 (0 to ``weeks``).
    reward_blocked : float, default 0.5
        Fraction of alcohol's reward removed while naltrexone is on board, 0..1.
    learning_rate : float, default 0.1
        αβ per drinking occasion, in (0, 1].
    occasions_per_week : float, default 4.0
        Drinking occasions per week at full strength (0 to 21).
    v0 : float, default 1.0
        Learned response at week 0, 0..1 (1 = fully learned, at the full reward).
    occasions_follow_strength : bool, default True

    Returns
    -------
    ExtinctionCourse

    References
    ----------
    Rescorla RA, Wagner AR (1972), as in :func:`rescorla_wagner`.
    Sinclair JD (2001) Evidence about the use of naltrexone and for different ways of
    using it in the treatment of alcoholism. Alcohol Alcohol 36(1):2–10.
    doi:10.1093/alcalc/36.1.2
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    n_weeks = _whole_number(weeks, "weeks", 1, 520)
    n_treat = _whole_number(treatment_weeks, "treatment_weeks", 0, n_weeks)
    blocked = _fraction(reward_blocked, "reward_blocked")
    rate = _fraction(learning_rate, "learning_rate", allow_zero=False)
    occ = _checks.non_negative(occasions_per_week, "occasions_per_week")
    if occ.ndim != 0 or occ > 21:
        raise ValueError(
            f"occasions_per_week must be a single number from 0 to 21, got {occasions_per_week!r}"
        )
    per_week = float(occ)
    v = _fraction(v0, "v0")

    strength = np.empty(n_weeks + 1)
    occasions = np.full(n_weeks + 1, np.nan)
    strength[0] = v
    keep = 1.0 - rate
    for w in range(n_weeks):
        on_drug = w < n_treat
        n = per_week * strength[w] if occasions_follow_strength else per_week
        if on_drug and strategy == "abstinent":
            n = 0.0
        lam = 1.0 - blocked if (on_drug and strategy == "targeted") else 1.0
        occasions[w] = n
        strength[w + 1] = lam + (strength[w] - lam) * keep**n
    week = np.arange(n_weeks + 1)
    return ExtinctionCourse(
        week=week, strength=strength, occasions=occasions, on_drug=week < n_treat, strategy=strategy
    )


def _whole_number(value, name: str, low: int, high: int) -> int:
    arr = _checks.as_float_array(value, name)
    if arr.ndim != 0 or not np.isfinite(arr) or float(arr) != int(arr) or not low <= int(arr) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return int(arr)
