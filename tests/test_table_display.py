"""show_table: every cell in full (no '…'), long text wrapped, a clear message for a wrong column."""

import pandas as pd
import pytest

from widgets.table_display import table_html


def test_long_text_is_kept_whole_and_wraps():
    long = "a sentence longer than the fifty characters after which pandas cuts a cell with an ellipsis"
    html = table_html(pd.DataFrame({"quantity": [long], "value": [0.25]}))
    assert long in html and "…" not in html and "..." not in html
    assert "white-space:normal" in html and "0.25" in html


def test_columns_are_chosen_and_a_missing_one_is_named():
    frame = pd.DataFrame({"a": [1.0], "b": ["x"], "verification": ["verified"]})
    html = table_html(frame, ["a", "verification"])
    assert "verification" in html and ">b<" not in html
    with pytest.raises(ValueError, match="no column.*'c'"):
        table_html(frame, ["a", "c"])


def test_missing_values_show_as_empty_cells():
    html = table_html(pd.DataFrame({"a": [float("nan")], "b": [None]}))
    assert "nan" not in html and "None" not in html
