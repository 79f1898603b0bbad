"""Argument checks shared by the science core.

Every public model function validates its inputs here so that bad input raises a
``ValueError`` naming the argument and the allowed range, instead of returning NaN
or a silently wrong number.
"""

from __future__ import annotations

import numpy as np


def as_float_array(value, name: str) -> np.ndarray:
    """Convert ``value`` to a float array, or raise a ValueError naming ``name``."""
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a number or an array of numbers, got the text {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not be NaN")
    return arr


def concentration(value, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """A concentration: finite (unless ``allow_inf``) and >= 0."""
    arr = as_float_array(value, name)
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0 (a concentration), got a minimum of {arr.min():g}")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} must be finite")
    return arr


def positive(value, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """A strictly positive constant such as a dissociation constant or a Hill slope."""
    arr = as_float_array(value, name)
    if (arr <= 0).any():
        raise ValueError(f"{name} must be > 0, got {arr.min():g}")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} must be finite")
    return arr


def non_negative(value, name: str) -> np.ndarray:
    """A finite quantity >= 0 (e.g. the transducer ratio tau)."""
    arr = as_float_array(value, name)
    if (arr < 0).any() or np.isinf(arr).any():
        raise ValueError(f"{name} must be finite and >= 0, got {arr.min():g}")
    return arr


def scalar_or_array(result: np.ndarray):
    """Return a Python float for 0-d results so scalars stay scalars."""
    return float(result) if np.ndim(result) == 0 else result
