"""Small display helpers shared by the widgets (keeps messages and labels consistent)."""

from __future__ import annotations

import html
import math
import weakref

from .theme import TEXT_COLOURS


def message_area():
    """An ``ipywidgets.HTML`` for a widget's messages, announced politely by screen readers.

    The browser side (static/a11y.js) makes it a ``role=status`` live region, so a note such as
    "Washed. Curve 2 ..." is read out when it appears; problems inside it (:func:`alert_html`)
    are ``role=alert`` and interrupt.
    """
    import ipywidgets as ipw

    area = ipw.HTML()
    area.add_class("ol-message")
    return area


def alert_html(text: str) -> str:
    """HTML for a visible, screen-reader-announced problem message ('' clears it).

    Widgets put this in a :func:`message_area` above their figure when an input is bad,
    instead of raising into the notebook. The text colour is the dark vermillion of
    ``theme.TEXT_COLOURS`` (5.2:1 on white; plain Okabe–Ito vermillion is 3.87:1).
    """
    if not text:
        return ""
    return (
        f'<div role="alert" style="color:{TEXT_COLOURS["vermillion"]};font-weight:bold">'
        f"{html.escape(text)}</div>"
    )


def in_sentence(name: str) -> str:
    """A drug name as written inside a sentence: 'Morphine' -> 'morphine', 'β-Endorphin' ->
    'β-endorphin'; an acronym such as 'DAMGO' and an amino acid in brackets ('[Leu]enkephalin')
    stay as they are."""
    for i, ch in enumerate(name):
        if ch.isupper():
            in_brackets = name.rfind("[", 0, i) > name.rfind("]", 0, i)
            nxt = name[i + 1 : i + 2]
            return name[:i] + ch.lower() + name[i + 1 :] if nxt.islower() and not in_brackets else name
    return name


def sentence(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower-case units like nM)."""
    return text[:1].upper() + text[1:]


def snapped_note(typed_M: float, used_label: str, steps_of: str = "the slider's steps") -> str:
    """The sentence a typed-concentration box shows when it moved its slider to a nearby step."""
    from ..data_access.units import format_molar

    return f"{format_molar(typed_M)} is not one of {steps_of}; using the nearest, {used_label}."


# slider -> (the grid step it was put on, the value typed, both in the slider's unit)
_TYPED_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def slider_value(slider) -> float:
    """The value a widget computes with: the one typed in the slider's box while the slider
    stays on the step nearest it (``as_typed`` in :func:`log_slider_snap`), else the slider's."""
    typed = _TYPED_VALUES.get(slider)
    if typed is not None and math.isclose(slider.value, typed[0], rel_tol=1e-9):
        return typed[1]
    return slider.value


def log_slider_snap(slider, slider_per_molar: float = 1.0, as_typed: bool = False):
    """A ``snap`` for :func:`follow_typed_concentration` and a ``FloatLogSlider``.

    The slider in the browser only takes values on its grid (``min`` + k × ``step`` in log10),
    and moves a typed 3 nM to 3.2 nM by itself (with ``continuous_update`` on, it sends the step
    back to the kernel); this does the same in the kernel. With ``as_typed`` the slider goes to
    the nearest step but the widget computes with the value as typed (read it with
    :func:`slider_value`), so 3 nM stays 3 nM; otherwise a note says when the value shown changes.
    """
    from ..data_access.units import format_molar

    def snap(value_M: float) -> tuple[float, str]:
        if value_M <= 0:
            used = 10.0**slider.min
        else:
            k = round((math.log10(value_M * slider_per_molar) - slider.min) / slider.step)
            used = 10.0 ** min(max(slider.min + k * slider.step, slider.min), slider.max)
        used_M = used / slider_per_molar
        if as_typed and value_M > 0:
            _TYPED_VALUES[slider] = (used, value_M * slider_per_molar)
            return used, ""
        _TYPED_VALUES.pop(slider, None)
        if value_M > 0 and format_molar(used_M) == format_molar(value_M):
            return used, ""
        return used, snapped_note(value_M, format_molar(used_M))

    return snap


def follow_typed_concentration(
    text_box,
    slider,
    message,
    lo_M: float,
    hi_M: float,
    slider_per_molar: float = 1.0,
    snap=None,
    on_same_step=None,
):
    """Move ``slider`` to the concentration typed in ``text_box`` ("2 nM", "500 pM", "1e-9").

    A value that does not parse or lies outside ``lo_M``..``hi_M`` leaves the slider where it
    is and shows why in ``message`` (an ``ipywidgets.HTML``); emptying the box clears it.
    ``slider_per_molar`` converts molar to the slider's unit (1e9 for a slider in nM). For a
    slider with fixed steps, ``snap(value_M)`` returns ``(slider_value, note)``: the step to use
    and a sentence saying so (shown in ``message``), or ``""`` when the value was a step
    (:func:`log_slider_snap` makes one for a ``FloatLogSlider``). ``on_same_step()`` is called
    when a typed value leaves the slider where it was (the widget may still need to redraw: a
    value used as typed differs from the step).

    An error about the box is forgotten (box and message emptied) once the slider moves by other
    means, and when the caller calls the returned ``forget()`` (say, after another control
    changed what the box was about): it would otherwise stay under controls it no longer fits.
    """
    from ..data_access.units import format_molar, parse_concentration

    wrong = [False]  # the message shows an error about what is in the box

    def show(text: str, error: bool) -> None:
        wrong[0] = error
        message.value = text

    def on_change(change) -> None:
        text = change["new"].strip()
        if not text:
            show("", False)  # an emptied box has nothing wrong with it
            return
        try:
            value = parse_concentration(text)
        except ValueError as err:
            show(alert_html(sentence(str(err))), True)
            return
        if not lo_M <= value <= hi_M:
            show(
                alert_html(
                    f"{text} is outside the range shown ({format_molar(lo_M)} to "
                    f"{format_molar(hi_M)}); the slider was not moved."
                ),
                True,
            )
            return
        show("", False)
        before = slider.value
        if snap is None:
            slider.value = value * slider_per_molar
        else:
            slider.value, note = snap(value)
            message.value = html.escape(note)
        if on_same_step is not None and slider.value == before:
            on_same_step()

    def forget(_change=None) -> None:
        if wrong[0]:
            text_box.value = ""  # clears the message too (on_change)

    text_box.observe(on_change, "value")
    slider.observe(forget, "value")
    return forget


def follow_typed_log_concentration(
    text_box, slider, message, slider_per_molar: float = 1.0, as_typed: bool = False, on_same_step=None
):
    """:func:`follow_typed_concentration` for a ``FloatLogSlider``: the range is the slider's own,
    and a typed value goes to the slider's nearest step, saying so when the value shown changes
    (:func:`log_slider_snap`), as the slider in the browser would move it there silently. With
    ``as_typed`` the widget uses the value as typed instead (read with :func:`slider_value`;
    ``on_same_step`` redraws it when the slider did not move)."""
    # A typed end of the range ("10 pM" for a slider from 10**-11 M) is in range even when
    # 10**min / slider_per_molar rounds a hair above it.
    slack = 1 + 1e-9
    if as_typed:

        def forget_typed(change) -> None:  # the slider moved away: the typed value no longer applies
            typed = _TYPED_VALUES.get(slider)
            if typed is not None and not math.isclose(change["new"], typed[0], rel_tol=1e-9):
                del _TYPED_VALUES[slider]

        slider.observe(forget_typed, "value")
    return follow_typed_concentration(
        text_box,
        slider,
        message,
        10.0**slider.min / slider_per_molar / slack,
        10.0**slider.max / slider_per_molar * slack,
        slider_per_molar,
        snap=log_slider_snap(slider, slider_per_molar, as_typed),
        on_same_step=on_same_step,
    )


def show_answer(*values) -> None:
    """Display a solution's result folded away, behind "Show the result".

    Solution cells run with Run All (they must, so CI proves they work), and JupyterLab shows
    the output of a cell it has just run even when the cell's output is marked collapsed; a
    plain ``print`` would put the answer right under the exercise. Values are joined like
    ``print`` does.
    """
    from IPython.display import HTML, display

    text = html.escape(" ".join(str(v) for v in values))
    display(
        HTML(
            '<details class="ol-answer"><summary>Show the result</summary>'
            f'<pre style="margin:0.3em 0 0 1em">{text}</pre></details>'
        )
    )
