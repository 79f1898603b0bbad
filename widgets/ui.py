"""Small display helpers shared by the widgets (keeps messages and labels consistent)."""

from __future__ import annotations

import html

from .theme import OKABE_ITO


def alert_html(text: str) -> str:
    """HTML for a visible, screen-reader-announced problem message ('' clears it).

    Widgets put this in an ``ipywidgets.HTML`` above their figure when an input is bad,
    instead of raising into the notebook.
    """
    if not text:
        return ""
    return (f'<div role="alert" style="color:{OKABE_ITO["vermillion"]};font-weight:bold">'
            f"{html.escape(text)}</div>")


def sentence(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower-case units like nM)."""
    return text[:1].upper() + text[1:]
