"""Reference lists for the end of each lesson, drawn from data/references.csv."""

from __future__ import annotations

from IPython.display import Markdown

from .data_tables import format_reference, load_table


def reference_list(keys: list[str]) -> str:
    """Markdown list of full citations for ``keys`` (keys of data/references.csv)."""
    known = set(load_table("references")["key"])
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValueError(f"not in data/references.csv: {', '.join(unknown)}")
    return "\n".join(f"{i}. {format_reference(k)}" for i, k in enumerate(keys, start=1))


def show_references(keys: list[str]) -> Markdown:
    """Display the citations for ``keys`` as a numbered list (last expression of a cell)."""
    return Markdown(reference_list(keys))
