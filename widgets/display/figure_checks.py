"""Checks for a figure update before it is sent: trace keys, property names and values.

A :class:`~widgets.display.figure_transport.LivePlot` names each trace by its plotly ``uid`` (a stable
key given where the figure is built), and an update addresses traces by that key. Before an
update changes anything, every property name and value in it is checked the way plotly's own
``Figure`` checks them, with plotly's own validators: a misspelt name (``"yy"``) or a value of
the wrong kind raises ``ValueError`` naming the trace, the property and what was received.

Fast enough for every slider step (the update path's budget is 1.5 ms in the kernel): no plotly
object is built per update. The walk follows plotly's validators down nested dicts (``marker``,
``line``) and lists of dicts (``shapes``, ``annotations``) and checks each leaf with its
validator's ``validate_coerce``; what it looks up (validators, blank objects for their valid
names) is cached per property path.
"""

from __future__ import annotations

import difflib
from functools import cache

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.basevalidators import CompoundArrayValidator, CompoundValidator, DataArrayValidator


class UnknownTrace(KeyError):
    """An update or a read named a trace key the figure does not have."""

    def __init__(self, key, known: list[str]):
        self.key, self.known = key, known
        super().__init__(key)

    def __str__(self) -> str:
        near = difflib.get_close_matches(str(self.key), self.known, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        keys = f"its keys: {', '.join(map(repr, self.known))}" if self.known else "it has no named traces"
        return f"no trace with key {self.key!r} in this figure ({keys}){hint}"


def trace_index(traces: list[dict]) -> dict[str, int]:
    """``{uid: position}`` of the traces that have a ``uid``; a key used twice is an error."""
    index: dict[str, int] = {}
    for position, trace in enumerate(traces):
        key = trace.get("uid")
        if key is None:
            continue
        if key in index:
            raise ValueError(f"two traces have the key (uid) {key!r}: positions {index[key]} and {position}")
        index[key] = position
    return index


@cache
def _blank_trace(trace_type: str):
    return go.Figure(data=[{"type": trace_type}]).data[0]


@cache
def _blank_layout():
    return go.Layout()


# What _check does with a property's value, by its validator.
_DATA, _COMPOUND, _COMPOUND_LIST, _POINTS_OK, _PLAIN = range(5)
_ARRAYS = (np.ndarray, list, tuple)
_LOOKUPS: dict[tuple[int, str], tuple | None] = {}


def _lookup(obj, name):
    """(kind, validator, blank child object or None) for property ``name`` of ``obj`` (a cached
    blank object, so its id is a stable key); None if there is no such property."""
    key = (id(obj), name)
    if key not in _LOOKUPS:
        _LOOKUPS[key] = _find(obj, name) if isinstance(name, str) else None
    return _LOOKUPS[key]


def _find(obj, name: str):
    """Layout subplot names (``xaxis2``) use their first axis's validator."""
    base = name
    if name not in obj._valid_props:
        match = obj._subplot_re_match(name) if hasattr(obj, "_subplot_re_match") else None
        if not match:
            return None
        base = match.group(1)
    validator = obj._get_validator(base)
    if isinstance(validator, CompoundValidator):
        return _COMPOUND, validator, validator.data_class()
    if isinstance(validator, CompoundArrayValidator):
        return _COMPOUND_LIST, validator, validator.data_class()
    if isinstance(validator, DataArrayValidator):
        return _DATA, validator, None
    return (_POINTS_OK if getattr(validator, "array_ok", False) else _PLAIN), validator, None


def _check(obj, props: dict, where: tuple) -> None:
    """``where``: the path so far, joined into words only for an error (this runs on every update)."""
    oid = id(obj)
    for name, value in props.items():
        found = _LOOKUPS.get((oid, name)) or _lookup(obj, name)
        if found is None:
            near = difflib.get_close_matches(str(name), sorted(obj._valid_props), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ValueError(f"{_words(where)} has no property {name!r}{hint}")
        kind, validator, child = found
        is_array = isinstance(value, _ARRAYS)
        if kind == _DATA and is_array:
            continue  # per-point data (x, y, error arrays): any array is what plotly takes
        if kind == _COMPOUND and type(value) is dict:
            _check(child, value, (*where, name))
        elif kind == _COMPOUND_LIST and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if type(item) is dict:
                    _check(child, item, (*where, f"{name}[{i}]"))
                else:
                    _coerce(validator, [item], (*where, f"{name}[{i}]"), False)
        else:
            _coerce(validator, value, (*where, name), is_array and kind == _POINTS_OK)


def _words(where: tuple) -> str:
    return ".".join(where)


def _coerce(validator, value, where: tuple, points: bool) -> None:
    try:
        if points:
            _coerce_points(validator, value)
        elif type(value) is str:
            _text(validator, value)
        else:
            validator.validate_coerce(value)
    except ValueError as err:
        first = str(err).strip().splitlines()[0]  # plotly's sentence; its long list of options follows
        raise ValueError(f"{_words(where)}: {first}") from None


def _coerce_points(validator, values) -> None:
    """A per-point array for a property that also takes one value (a marker's colours or sizes):
    its distinct values checked one by one (plotly checks every element, which costs
    milliseconds for 100 colours); numbers by their smallest and largest."""
    arr = values if isinstance(values, np.ndarray) else None
    if arr is None and values and all(isinstance(v, (int, float)) for v in values[:1]):
        arr = np.asarray(values)
    if arr is not None and arr.dtype.kind in "fiub":
        finite = arr[np.isfinite(arr)] if arr.dtype.kind == "f" else arr
        for v in {finite.min(), finite.max()} if finite.size else ():
            validator.validate_coerce(v.item())
        return
    for v in dict.fromkeys(v if isinstance(v, (str, int, float, type(None))) else repr(v) for v in values):
        if type(v) is str:
            _text(validator, v)
        else:
            validator.validate_coerce(v)


# (validator id, text) of words already found good: a slider step repeats the same colours, dash
# styles and anchors, and plotly's regex checks of each cost tens of microseconds. Numbers are
# cheap to check and rarely repeat, so they are not kept.
_GOOD_TEXT: set = set()


def _text(validator, value: str) -> None:
    key = (id(validator), value)
    if key in _GOOD_TEXT:
        return
    validator.validate_coerce(value)
    if len(_GOOD_TEXT) > 10_000:  # names that never repeat must not grow it for ever
        _GOOD_TEXT.clear()
    _GOOD_TEXT.add(key)


def check_trace_update(key: str, trace_type: str, props: dict) -> None:
    """Raise ``ValueError`` naming the first property of ``props`` that a trace of ``trace_type``
    does not have, or whose value plotly would refuse."""
    if not isinstance(props, dict):
        raise TypeError(f"the changes to trace {key!r} must be a dict of properties, got {props!r}")
    _check(_blank_trace(trace_type), props, (f"trace {key!r} ({trace_type})",))


def check_layout_update(layout: dict) -> None:
    """Raise ``ValueError`` naming the first layout property plotly would refuse."""
    _check(_blank_layout(), layout, ("layout",))
