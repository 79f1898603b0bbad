"""One contract for every concentration control (widgets/display/concentration_control.py), run over every
widget that has one, the way scikit-learn runs one check suite over every estimator.

Each check gets a freshly built widget and one of its controls. A widget with a new control is
covered by adding its class to WIDGETS; a widget-specific behaviour (the organ bath emptying a
box that no longer matches its slider, say) stays in that widget's own tests.
"""

from __future__ import annotations

import html
import math

import ipywidgets as ipw
import pytest

import widgets
from widgets.data_access.units import format_molar, parse_concentration
from widgets.display.concentration_control import ConcentrationControl

# every widget that builds a ConcentrationControl (the last test checks the list is complete)
WIDGETS = [
    getattr(widgets, name)
    for name in (
        "AffinityExplorer",
        "BindingExplorer",
        "DisplacementSimulator",
        "OrganBath",
        "RewardCircuit",
        "SignallingCascade",
    )
]


def controls_of(widget) -> list[tuple[str, ConcentrationControl]]:
    return [(name, c) for name, c in vars(widget).items() if isinstance(c, ConcentrationControl)]


def _cases():
    for cls in WIDGETS:
        names = [name for name, _ in controls_of(cls())]
        assert names, f"{cls.__name__} has no ConcentrationControl"
        for name in names:
            yield pytest.param((cls, name), id=f"{cls.__name__}.{name}")


CASES = list(_cases())


@pytest.fixture(params=CASES)
def case(request):
    cls, name = request.param
    widget = cls()
    return widget, getattr(widget, name)


# -- what a check needs to know about a control's slider -----------------------------------------
def _steps_M(control: ConcentrationControl) -> list[float]:
    """Every value (M) the slider can take."""
    s = control.slider
    if isinstance(s, ipw.SelectionSlider):
        return [float(v) for _, v in s.options]
    n = round((s.max - s.min) / s.step)
    return [10.0 ** (s.min + k * s.step) / control.slider_per_molar for k in range(n + 1)]


def _slider_M(control: ConcentrationControl) -> float:
    return control.slider.value / control.slider_per_molar


def _another_step_M(control: ConcentrationControl) -> float:
    """A non-zero step near the middle of the range, not the one the slider is on."""
    steps = [v for v in _steps_M(control) if v > 0]
    now = _slider_M(control)
    middle = len(steps) // 2
    return next(v for v in steps[middle:] + steps[:middle] if not math.isclose(v, now, rel_tol=1e-6))


def _message(control) -> str:
    return html.unescape(control.message.value)


def _revision(widget) -> int:
    return widget.plot._state["revision"]


# -- the contract ------------------------------------------------------------------------------------
def test_it_is_labelled_for_screen_readers_and_takes_a_value_on_enter(case):
    _, control = case
    assert control.slider.description.strip()  # the slider's accessible name
    assert control.box.description == "or type it"
    assert control.box.placeholder.startswith("e.g. ") and "M" in control.box.placeholder
    assert control.box.continuous_update is False  # a value counts when Enter is pressed


@pytest.mark.parametrize(
    "text, words",
    [
        ("plenty", "Could not read 'plenty'"),
        ("-2 nM", "cannot be negative"),
        ("1e-9", "add a unit"),
        ("1 M", "outside the range shown"),
    ],
)
def test_a_bad_value_leaves_the_slider_and_says_what_is_wrong(case, text, words):
    widget, control = case
    before, drawn = control.slider.value, _revision(widget)
    control.box.value = text
    assert 'role="alert"' in control.message.value
    assert words in _message(control)
    assert control.slider.value == before and _revision(widget) == drawn  # nothing redrawn


def test_the_range_message_names_the_sliders_ends(case):
    _, control = case
    control.box.value = "1 M"
    steps = _steps_M(control)
    lo = format_molar(steps[0]) if steps[0] > 0 else "0 M"
    assert f"({lo} to {format_molar(steps[-1])})" in _message(control)


def test_a_value_on_a_step_moves_the_slider_and_redraws(case):
    widget, control = case
    target, drawn = _another_step_M(control), _revision(widget)
    control.box.value = format_molar(target)
    assert _slider_M(control) == pytest.approx(target, rel=1e-6)
    assert control.value_M == pytest.approx(target, rel=0.02)  # the step, or the value as typed
    assert 'role="alert"' not in control.message.value
    assert _revision(widget) > drawn
    if control.label is not None:
        assert format_molar(control.value_M) in html.unescape(control.label.value)


def _between_steps(control: ConcentrationControl) -> tuple[str, float]:
    """Text of a value between two steps that does not read like its nearest step, and that step."""
    steps = [v for v in _steps_M(control) if v > 0]
    middle = len(steps) // 2
    for a, b in zip(steps[middle:] + steps[:middle], steps[middle + 1 :] + steps[1 : middle + 1]):
        text = format_molar(math.sqrt(a * b) * 1.05)
        typed = parse_concentration(text)
        nearest = min(steps, key=lambda v: abs(math.log(v / typed)))
        if format_molar(nearest) != text:
            return text, nearest
    raise AssertionError("no value between steps found")


def test_a_value_between_steps_goes_to_the_nearest_and_says_so_unless_used_as_typed(case):
    _, control = case
    text, nearest = _between_steps(control)
    control.box.value = text
    assert _slider_M(control) == pytest.approx(nearest, rel=1e-6)
    if control.as_typed:
        assert control.value_M == pytest.approx(parse_concentration(text)) and _message(control) == ""
    else:
        assert control.value_M == pytest.approx(nearest, rel=1e-6)
        note = _message(control)
        assert "using the nearest" in note and note.startswith(text) and format_molar(nearest) in note


def test_an_error_goes_once_the_slider_moves_and_when_the_box_is_emptied(case):
    _, control = case
    control.box.value = "plenty"
    control.slider.value = _another_step_M(control) * control.slider_per_molar
    assert 'role="alert"' not in control.message.value and control.box.value == ""
    control.box.value = "plenty"
    control.box.value = ""
    assert control.message.value == ""


def test_disabling_greys_out_the_slider_and_the_box_together(case):
    _, control = case
    control.disabled = True
    assert control.slider.disabled and control.box.disabled
    control.disabled = False
    assert not control.slider.disabled and not control.box.disabled


def test_the_contract_covers_every_widget_built_with_the_control():
    """A widget that starts using the control joins WIDGETS (and so this contract)."""
    import widgets

    built = {
        cls
        for name in widgets.__all__
        if isinstance(cls := getattr(widgets, name), type)
        and issubclass(cls, ipw.Box)
        and "ConcentrationControl" in (cls.__init__.__code__.co_names + cls.__init__.__code__.co_consts)
    }
    assert built == set(WIDGETS)
