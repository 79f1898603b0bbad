"""One concentration control: a slider, the value it shows, an "or type it" box and a range check.

Six widgets ask for a concentration this way (lesson 01's explorer, lesson 02's binding explorer,
the Gi/o cascade, the organ bath, the reward circuit and the displacement simulator). Typing
"2 nM" moves the slider (to its nearest step, saying so when the value shown changes, or, with
``as_typed``, using the value as typed); text that cannot be read or a value outside the
slider's range leaves the slider where it is and says why in the widget's message area
(``role="alert"``, :func:`widgets.display.ui.alert_html`); the error goes once the slider moves by other
means. ``tests/test_concentration_controls.py`` runs one contract over every widget that has one.

Usage::

    self.concentration = ConcentrationControl.log_slider(
        "Concentration", value_M, -12, -5, self.message,
        on_change=lambda _: self._refresh(), style={"description_width": "110px"},
        width="420px", box_width="300px",
    )
    ipw.VBox([self.concentration.row, self.concentration.box, self.message])
"""

from __future__ import annotations

import ipywidgets as ipw

from .ui import follow_typed_concentration, follow_typed_log_concentration, slider_value

TYPED_BOX_DESCRIPTION = "or type it"


class ConcentrationControl:
    """A concentration slider with its value label and a box to type a value into.

    Parameters
    ----------
    slider : ipywidgets.FloatLogSlider or ipywidgets.SelectionSlider
        The slider. A log slider's range is its own; a selection slider (fixed steps) needs
        ``range_M`` and ``snap``.
    message : ipywidgets.HTML
        The widget's message area (:func:`widgets.display.ui.message_area`), where problems show.
    placeholder, box_width, style :
        The typed box's example text, width and description style.
    on_change : callable, optional
        Observer of the slider's value, registered before the box's own (a widget's redraw).
    label : bool
        Whether the control has an ``ipywidgets.HTML`` label beside the slider (the widget
        writes the value into it; ``row`` holds both).
    slider_per_molar : float
        Slider units per molar (1e9 for a slider in nM).
    as_typed : bool
        Use a typed value as typed, not the slider's nearest step (read it with ``value_M``).
    on_same_step : callable, optional
        Called when a typed value leaves the slider where it was (to redraw an ``as_typed`` value).
    range_M, snap :
        For a selection slider: the typed values allowed, and ``snap(value_M) -> (step, note)``.
    """

    def __init__(
        self,
        slider,
        message,
        *,
        box_width: str,
        style: dict,
        placeholder: str = "e.g. 10 nM, 0.5 µM",
        on_change=None,
        label: bool = True,
        slider_per_molar: float = 1.0,
        as_typed: bool = False,
        on_same_step=None,
        range_M: tuple[float, float] | None = None,
        snap=None,
    ):
        self.slider = slider
        self.message = message
        self.slider_per_molar = slider_per_molar
        self.as_typed = as_typed
        self.label = ipw.HTML() if label else None
        self.row = ipw.HBox([slider, self.label]) if label else slider
        self.box = ipw.Text(
            description=TYPED_BOX_DESCRIPTION,
            placeholder=placeholder,
            continuous_update=False,
            style=style,
            layout={"width": box_width},
        )
        if on_change is not None:
            slider.observe(on_change, "value")
        if isinstance(slider, ipw.FloatLogSlider):
            self.forget = follow_typed_log_concentration(
                self.box, slider, message, slider_per_molar, as_typed=as_typed, on_same_step=on_same_step
            )
        else:
            if range_M is None or snap is None:
                raise ValueError("a slider with fixed steps needs range_M and snap")
            self.forget = follow_typed_concentration(
                self.box, slider, message, *range_M, slider_per_molar, snap=snap, on_same_step=on_same_step
            )

    @classmethod
    def log_slider(
        cls,
        description: str,
        value: float,
        min_log: float,
        max_log: float,
        message,
        *,
        width: str,
        step: float = 0.05,
        continuous_update: bool = True,
        **options,
    ) -> ConcentrationControl:
        """A control around a new ``FloatLogSlider`` from ``10**min_log`` to ``10**max_log`` in
        steps of ``step`` (log10), with no readout (the label shows the value, in units);
        ``options`` as for the class."""
        slider = ipw.FloatLogSlider(
            description=description,
            value=value,
            base=10,
            min=min_log,
            max=max_log,
            step=step,
            readout=False,
            continuous_update=continuous_update,
            style=options["style"],
            layout={"width": width},
        )
        return cls(slider, message, **options)

    @property
    def value_M(self) -> float:
        """The concentration (M) the widget computes with: a value used as typed, else the slider's."""
        return slider_value(self.slider) / self.slider_per_molar

    @property
    def disabled(self) -> bool:
        return self.slider.disabled

    @disabled.setter
    def disabled(self, value: bool) -> None:
        self.slider.disabled = self.box.disabled = bool(value)
