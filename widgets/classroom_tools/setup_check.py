"""`check_setup()`: a one-call answer to 'is my environment ready for the lessons?'."""

from __future__ import annotations

import sys
from importlib import metadata

from ..data_access.data_tables import load_table, table_names

PACKAGES = ["numpy", "scipy", "pandas", "plotly", "anywidget", "ipywidgets", "jupyterlab"]


def check_setup() -> str:
    """Versions of the key packages and a check that every data table loads."""
    lines = [f"Python {sys.version.split()[0]}"]
    for name in PACKAGES:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} MISSING: run `make lab` from the project folder")
    tables = table_names()
    rows = sum(len(load_table(t)) for t in tables)
    lines.append(f"data: {len(tables)} tables, {rows} rows, all checked against their schemas")
    return "\n".join(lines)
