"""Data tables in a lesson, readable in a narrow notebook: no cut text, long cells wrap.

pandas' own notebook display cuts cells longer than 50 characters with "…" and lets a wide
table run off the right edge; lessons show their tables through :func:`show_table` instead.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

CELL_STYLE = ("white-space:normal;overflow-wrap:break-word;text-align:left;vertical-align:top;"
              "max-width:{width};padding:2px 5px;font-size:92%")


def table_html(frame: pd.DataFrame, columns=None, max_cell_width: str = "22em") -> str:
    """HTML for ``frame`` (optionally only ``columns``), every cell in full, long ones wrapped."""
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"no column(s) {missing} in the table; it has {list(frame.columns)}")
        frame = frame[list(columns)]
    style = CELL_STYLE.format(width=max_cell_width)

    def cell(value, tag):
        text = "" if (not isinstance(value, str) and pd.isna(value)) else f"{value:g}" \
            if isinstance(value, float) else str(value)
        # <wbr> after "_" lets keys such as kim1997_nalmefene_halftime_h wrap there (copying is unchanged)
        return f'<{tag} style="{style}">{html.escape(text).replace("_", "_<wbr>")}</{tag}>'

    head = "".join(cell(c, "th") for c in frame.columns)
    body = "".join("<tr>" + "".join(cell(v, "td") for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return (f'<table style="table-layout:auto;border-collapse:collapse;max-width:100%">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def show_table(frame: pd.DataFrame, columns=None, max_cell_width: str = "22em") -> HTML:
    """Display ``frame`` with every cell in full and long text wrapped (see :func:`table_html`)."""
    return HTML(table_html(frame, columns, max_cell_width))
