"""The shared typed-concentration box: moves its slider, or explains why not and leaves it."""

import ipywidgets as ipw
import pytest

from widgets.display.ui import follow_typed_concentration


@pytest.fixture
def controls():
    box, message = ipw.Text(), ipw.HTML()
    slider = ipw.FloatLogSlider(value=1.0, base=10, min=-2, max=2)  # in nM
    follow_typed_concentration(box, slider, message, 1e-11, 1e-7, slider_per_molar=1e9)
    return box, slider, message


def test_a_valid_concentration_moves_the_slider_in_its_own_unit(controls):
    box, slider, message = controls
    box.value = "25 nM"
    assert slider.value == pytest.approx(25.0)
    assert message.value == ""


@pytest.mark.parametrize(
    "text, words", [("lots", "lots"), ("-3 nM", "cannot be negative"), ("1 mM", "outside the range")]
)
def test_bad_text_leaves_the_slider_and_says_why(controls, text, words):
    box, slider, message = controls
    box.value = text
    assert slider.value == 1.0
    assert 'role="alert"' in message.value and words in message.value.lower()


def test_a_good_value_after_a_bad_one_clears_the_message(controls):
    box, slider, message = controls
    box.value = "lots"
    box.value = "500 pM"
    assert slider.value == pytest.approx(0.5) and message.value == ""


def test_clearing_the_box_after_a_bad_value_clears_the_message(controls):
    box, slider, message = controls
    box.value = "1e99 M"
    assert "outside the range" in message.value
    box.value = ""
    assert message.value == "" and slider.value == 1.0


def test_a_log_slider_snap_moves_to_the_nearest_step_and_says_so_only_when_it_shows():
    from widgets.display.ui import log_slider_snap

    box, message = ipw.Text(), ipw.HTML()
    slider = ipw.FloatLogSlider(value=1e-9, base=10, min=-12, max=-5, step=0.05)  # in M
    follow_typed_concentration(box, slider, message, 1e-12, 1e-5, snap=log_slider_snap(slider))
    box.value = "3 nM"
    assert slider.value == pytest.approx(10**-8.5)
    assert message.value == "3 nM is not one of the slider&#x27;s steps; using the nearest, 3.2 nM."
    box.value = "2 nM"  # the nearest step is 1.995 nM, which reads "2 nM"
    assert slider.value == pytest.approx(10**-8.7) and message.value == ""


@pytest.mark.parametrize(
    "text, hint",
    [
        ("5 NM", "did you mean 5 nM? the prefix n (nano) is lower-case"),
        ("5nm", "did you mean 5 nM? molar is a capital M"),
        ("2 UM", "did you mean 2 uM?"),
        ("3 MM", "did you mean 3 mM? the prefix m (milli)"),
    ],
)
def test_a_unit_in_the_wrong_case_names_the_wrong_letter(text, hint):
    from widgets.data_access.units import parse_concentration

    with pytest.raises(ValueError) as err:
        parse_concentration(text)
    assert hint in str(err.value)
    if text == "5 NM":
        assert "capital M" not in str(err.value)  # the M is right: the N is the slip


@pytest.mark.parametrize(
    "text, hint",
    [
        ("5", "add a unit"),
        ("1e-9", "add a unit"),
        ("5nm", "capital M"),
        ("50 mg", "not a dose"),
        ("-5 nM", "cannot be negative"),
        ("abc", "type a number and a unit"),
    ],
)
def test_a_concentration_that_cannot_be_read_says_what_to_type(text, hint):
    from widgets.data_access.units import parse_concentration

    with pytest.raises(ValueError, match=hint):
        parse_concentration(text)


def test_a_log_slider_box_takes_its_range_from_the_slider_and_snaps():
    from widgets.display.ui import follow_typed_log_concentration

    box, message = ipw.Text(), ipw.HTML()
    slider = ipw.FloatLogSlider(value=1.0, base=10, min=-2, max=2, step=0.1)  # in nM
    follow_typed_log_concentration(box, slider, message, slider_per_molar=1e9)
    box.value = "10 pM"  # the bottom end of the slider, however 10**-2 / 1e9 rounds
    assert slider.value == pytest.approx(0.01) and message.value == ""
    box.value = "150 nM"
    assert "outside the range shown (10 pM to 100 nM)" in message.value
    box.value = "6 nM"
    assert slider.value == pytest.approx(10**0.8)
    assert message.value == "6 nM is not one of the slider&#x27;s steps; using the nearest, 6.3 nM."


@pytest.mark.parametrize(
    "name, inside",
    [
        ("Morphine", "morphine"),
        ("β-Endorphin", "β-endorphin"),
        ("6β-Naltrexol", "6β-naltrexol"),
        ("DAMGO", "DAMGO"),
        ("[Leu]enkephalin", "[Leu]enkephalin"),  # amino acid abbreviations keep their capital
        ("[Met]enkephalin", "[Met]enkephalin"),
    ],
)
def test_a_ligand_name_inside_a_sentence(name, inside):
    from widgets.display.ui import in_sentence

    assert in_sentence(name) == inside


def test_the_affinity_explorers_summary_keeps_leu_enkephalin_capitalised():
    from widgets import AffinityExplorer

    explorer = AffinityExplorer(focus="leu_enkephalin")
    assert "[Leu]enkephalin (agonist)" in explorer.plot.summary


@pytest.mark.parametrize(
    "x, digits, text",
    [
        (0.224, 3, "0.224"),
        (12.2, 3, "12.2"),
        (1000, 3, "1,000"),
        (3162.3, 3, "3,162"),
        (1.2589, 3, "1.26"),
        (100.0, 2, "100"),
        (4512.0, 2, "4,512"),
        (1.2e-5, 2, "0.000012"),
        (0, 3, "0"),
    ],
)
def test_plain_number_writes_numbers_without_exponents(x, digits, text):
    from widgets.data_access.units import plain_number

    assert plain_number(x, digits) == text


@pytest.mark.parametrize("text", ["0", "0.0", " 0 ", "0e0"])
def test_zero_needs_no_unit(text):
    """Zero is zero in any unit: '0' is read as 0 M, not refused with 'add a unit'."""
    from widgets.data_access.units import parse_concentration

    assert parse_concentration(text) == 0.0


@pytest.mark.parametrize(
    "value, text",
    [
        (2e-6, "2.0 µM"),
        (7e-6, "7.0 µM"),
        (2.9e-6, "2.9 µM"),
        (5e-10, "500 pM"),
        (4.5e-8, "45 nM"),
        (5e-9, "5.0 nM"),
    ],
)
def test_format_molar_keep_zeros_shows_the_same_significant_figures(value, text):
    from widgets.data_access.units import format_molar

    assert format_molar(value, keep_zeros=True) == text
