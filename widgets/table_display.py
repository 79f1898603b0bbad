"""How the lessons show a pandas DataFrame: an accessible HTML table.

pandas' own HTML puts the row index in a first column whose header cell is empty (axe-core rule
``empty-table-header``), and a wide table scrolls inside a box a keyboard cannot reach
(``scrollable-region-focusable``). Importing :mod:`widgets` registers :func:`dataframe_html` as
IPython's HTML form of every DataFrame, so a cell ending in ``load_table(...)`` shows:

* no index column when the index is the default 0, 1, 2, ... (it means nothing to a reader);
* a named index as an ordinary first column with its name as header (an unnamed one is "row");
* the table inside a scrolling box that Tab can focus, labelled with what the table holds, whose
  arrow keys scroll it (not move the notebook to another cell).
"""

from __future__ import annotations

import html

import pandas as pd


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as an ordinary, named column (or dropped if it is 0..n-1)."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.name is None and index.start == 0 and index.step == 1:
        return frame
    names = [name if name is not None else ("row" if index.nlevels == 1 else f"level {i}")
             for i, name in enumerate(index.names)]
    return frame.rename_axis(names).reset_index()


def dataframe_html(frame: pd.DataFrame) -> str:
    """The HTML of ``frame`` as the lessons show it (see the module docstring)."""
    shown = _plain_columns(frame)
    table = shown.to_html(index=False, border=0,
                          max_rows=pd.get_option("display.max_rows"),
                          max_cols=pd.get_option("display.max_columns"),
                          show_dimensions="truncate")
    columns = ", ".join(str(c) for c in shown.columns[:6]) + (", …" if shown.shape[1] > 6 else "")
    rows = f"{len(shown)} row" + ("" if len(shown) == 1 else "s")
    label = html.escape(f"Table, {rows}: {columns}", quote=True)
    # data-lm-suppress-shortcuts: ↑ ↓ on the focused box scroll it instead of moving to another cell.
    return (f'<div class="ol-table-scroll" role="region" tabindex="0" aria-label="{label}" '
            f'data-lm-suppress-shortcuts="true" '
            f'style="overflow-x:auto;max-width:100%">{table}</div>')


def register() -> None:
    """Show DataFrames with :func:`dataframe_html` in the running IPython (no-op outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, dataframe_html)
