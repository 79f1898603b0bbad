"""How the lessons show a pandas DataFrame: a readable, accessible HTML table.

pandas' own notebook display cuts cells longer than 50 characters with "…", lets a wide table
run off the right edge, puts the row index in a first column whose header cell is empty
(axe-core rule ``empty-table-header``) and scrolls a wide table inside a box a keyboard cannot
reach (``scrollable-region-focusable``). Importing :mod:`widgets` in IPython registers
:func:`dataframe_html` as the HTML form of every DataFrame, and :func:`show_table` picks
columns, so a lesson's table shows:

* every cell in full, long text wrapped;
* no index column when the index is unnamed row numbers (0, 1, 2, ..., or those left after
  picking rows: they mean nothing to a reader);
  a named index as an ordinary first column with its name as header (an unnamed one is "row");
* the table inside a scrolling box that Tab can focus, labelled with what the table holds, whose
  arrow keys scroll it (not move the notebook to another cell).
"""

from __future__ import annotations

import html

import pandas as pd

# What each cell must carry itself: JupyterLab's own table CSS sets these on every cell
# (right-aligned, vertically centred, no width limit, 0.5em padding), so they cannot be inherited;
# the font size stays per cell so that it is 92 % of the table's, as JupyterLab sets it.
CELL_STYLE = "text-align:left;vertical-align:top;max-width:{width};padding:2px 5px;font-size:92%"
# What every cell inherits from the table, written once (a saved lesson holds every table: lesson
# 04's three long tables were 150 KB, most of it the same style repeated in every cell).
TABLE_STYLE = (
    "table-layout:auto;border-collapse:collapse;max-width:100%;white-space:normal;overflow-wrap:break-word"
)


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as an ordinary, named column (dropped if it is unnamed row
    numbers: 0..n-1, or what is left of them after picking rows)."""
    index = frame.index
    if index.nlevels == 1 and index.name is None and pd.api.types.is_integer_dtype(index):
        return frame
    names = [
        name if name is not None else ("row" if index.nlevels == 1 else f"level {i}")
        for i, name in enumerate(index.names)
    ]
    return frame.rename_axis(names).reset_index()


def _cell(value, tag: str, style: str) -> str:
    text = (
        ""
        if (not isinstance(value, str) and pd.isna(value))
        else (f"{value:g}" if isinstance(value, float) else str(value))
    )
    # <wbr> after "_" lets keys such as kim1997_nalmefene_halftime_h wrap there (copying is unchanged)
    return f'<{tag} style="{style}">{html.escape(text).replace("_", "_<wbr>")}</{tag}>'


def table_html(frame: pd.DataFrame, columns=None, max_cell_width: str = "22em") -> str:
    """HTML for ``frame`` (optionally only ``columns``): see the module docstring."""
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"no column(s) {missing} in the table; it has {list(frame.columns)}")
        frame = frame[list(columns)]
    shown = _plain_columns(frame)
    style = CELL_STYLE.format(width=max_cell_width)
    head = "".join(_cell(c, "th", style) for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v, "td", style) for v in row) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    table = f'<table style="{TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return scroll_box(table, shown)


def scroll_box(table: str, frame: pd.DataFrame) -> str:
    """``table`` (the HTML of ``frame``) in a box that scrolls sideways when it is wider than the
    notebook, which Tab can focus, labelled with what the table holds."""
    names = ", ".join(str(c) for c in frame.columns[:6]) + (", …" if frame.shape[1] > 6 else "")
    rows = f"{len(frame)} row" + ("" if len(frame) == 1 else "s")
    label = html.escape(f"Table, {rows}: {names}", quote=True)
    # data-lm-suppress-shortcuts: ↑ ↓ on the focused box scroll it instead of moving to another cell.
    return (
        f'<div class="ol-table-scroll" role="region" tabindex="0" aria-label="{label}" '
        f'data-lm-suppress-shortcuts="true" style="overflow-x:auto;max-width:100%">{table}</div>'
    )


def dataframe_html(frame: pd.DataFrame) -> str:
    """The HTML of any DataFrame a lesson shows (IPython's formatter; see the module docstring)."""
    return table_html(frame)


def show_table(frame: pd.DataFrame, columns=None, max_cell_width: str = "22em"):
    """Display ``frame`` (optionally only ``columns``) as the lessons show tables."""
    from IPython.display import HTML

    return HTML(table_html(frame, columns, max_cell_width))


def sentences_html(sentences: list[str], empty: str = "None.") -> str:
    """Sentences (warnings, notes) as an HTML list; ``empty`` as its one item when there are none."""
    items = "".join(f"<li>{html.escape(str(s))}</li>" for s in sentences) or f"<li>{html.escape(empty)}</li>"
    return f"<ul>{items}</ul>"


def show_warnings(warnings: list[str]):
    """Warnings as a lesson shows them: a list of sentences under a heading, not a Python list
    (``show_warnings(report.warnings)``, like :func:`show_table`)."""
    from IPython.display import HTML

    return HTML(f"<h4>Warnings</h4>{sentences_html(warnings, 'No warnings.')}")
