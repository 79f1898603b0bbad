"""Load the CSV tables in data/ and check them against data/datapackage.json.

The schema follows the Frictionless Table Schema (field names, types, ``constraints``:
required, minimum, maximum, enum, unique; ``primaryKey``; ``foreignKeys``). One project
extension, ``x-rowChecks``, states relations between columns of one row
(``{"lessOrEqual": ["low", "high"]}``). A broken file raises :class:`DataFileError`
naming the file, the line and the column, so a typo never becomes a wrong number in a lesson.

No UI imports here: the science core and the tests use this module without Jupyter.
"""

from __future__ import annotations

import csv
import functools
import json
import math
from pathlib import Path

import pandas as pd

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # widgets/


class DataFileError(ValueError):
    """A data table does not match its schema. The message names file, line and column."""


def data_dir() -> Path:
    """The folder holding datapackage.json.

    A wheel install carries the tables in ``widgets/_data``; a source checkout (editable
    install, Binder, CI) reads the repository's ``data/`` folder.
    """
    for candidate in (PACKAGE_DIR / "_data", PACKAGE_DIR.parent / "data"):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise FileNotFoundError(
        f"data/datapackage.json not found beside the package ({PACKAGE_DIR}); "
        "is the project installed from its repository?"
    )


def _read_descriptor(folder: Path) -> dict:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataFileError(f"{path}: not valid JSON ({err})") from None


def table_names(folder: Path | None = None) -> list[str]:
    """Names of the tables described in datapackage.json."""
    return [res["name"] for res in _read_descriptor(folder or data_dir())["resources"]]


def load_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Load table ``name`` from data/, validated against its schema.

    Results are cached per folder, so widgets can call this freely. Returns a copy so
    callers cannot corrupt the cache.
    """
    folder = Path(folder) if folder is not None else data_dir()
    return _load_validated(str(folder.resolve()), name).copy()


@functools.cache
def _load_validated(folder_str: str, name: str) -> pd.DataFrame:
    folder = Path(folder_str)
    descriptor = _read_descriptor(folder)
    resources = {res["name"]: res for res in descriptor["resources"]}
    if name not in resources:
        raise KeyError(
            f"no table named {name!r} in {folder / 'datapackage.json'}; "
            f"known tables: {', '.join(sorted(resources))}"
        )
    resource = resources[name]
    frame = _read_and_check(folder / resource["path"], resource["schema"])
    for fk in resource["schema"].get("foreignKeys", []):
        _check_foreign_key(folder, resource, frame, fk)
    return frame


def _read_and_check(path: Path, schema: dict) -> pd.DataFrame:
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    label = _label(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise DataFileError(f"{label}: file is missing") from None
    except UnicodeDecodeError as err:
        raise DataFileError(f"{label}: not UTF-8 text ({err})") from None
    if not rows:
        raise DataFileError(f"{label}: file is empty (expected a header row)")
    header = [h.strip() for h in rows[0]]
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in names]
        raise DataFileError(
            f"{label}, line 1 (header): columns do not match the schema"
            + (f"; missing {missing}" if missing else "")
            + (f"; unexpected {extra}" if extra else "")
            + ("; same columns in a different order" if not missing and not extra else "")
        )

    records = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) != len(names):
            raise DataFileError(
                f"{label}, line {line_no}: {len(row)} cells, expected {len(names)} "
                f"({', '.join(names)}); is there an unquoted comma?"
            )
        record = {"_line": line_no}
        for field, cell in zip(fields, row):
            record[field["name"]] = _convert(cell.strip(), field, label, line_no)
        for check in schema.get("x-rowChecks", []):
            _row_check(check, record, label, line_no)
        records.append(record)

    frame = pd.DataFrame.from_records(records, columns=["_line", *names])
    _check_unique(frame, schema, fields, label)
    lines = frame["_line"].tolist()
    frame = frame.drop(columns="_line")
    frame.attrs["lines"] = FileLines(lines)  # file line of each row, for error messages
    return frame


class FileLines(tuple):
    """The file line of each row of a loaded table (``frame.attrs["lines"]``).

    pandas deep-copies ``attrs`` on nearly every operation (a filter, a column, ``iterrows``);
    a plain list of a few hundred ints made building lesson 01's affinity explorer spend over
    half its time copying them. The numbers never change, so a copy can be the tuple itself.
    """

    __slots__ = ()

    def __deepcopy__(self, memo):
        return self


def _convert(cell: str, field: dict, label: str, line_no: int):
    name = field["name"]
    kind = field.get("type", "string")
    cons = field.get("constraints", {})
    where = f"{label}, line {line_no}, column {name}"
    if cell == "":
        if cons.get("required"):
            raise DataFileError(f"{where}: value is required but empty")
        return math.nan if kind in ("number", "integer") else None
    if kind == "number":
        try:
            value = float(cell)
        except ValueError:
            raise DataFileError(f"{where}: {cell!r} is not a number") from None
        if not math.isfinite(value):
            raise DataFileError(f"{where}: {cell!r} is not a finite number")
    elif kind == "integer":
        try:
            value = int(cell)
        except ValueError:
            raise DataFileError(f"{where}: {cell!r} is not an integer") from None
    elif kind == "boolean":
        if cell.lower() not in ("true", "false"):
            raise DataFileError(f"{where}: {cell!r} is not true or false")
        value = cell.lower() == "true"
    else:
        value = cell
    if "enum" in cons and value not in cons["enum"]:
        raise DataFileError(f"{where}: {value!r} is not one of {cons['enum']}")
    if "minimum" in cons and value < cons["minimum"]:
        raise DataFileError(f"{where}: {value!r} is below the minimum {cons['minimum']}")
    if "maximum" in cons and value > cons["maximum"]:
        raise DataFileError(f"{where}: {value!r} is above the maximum {cons['maximum']}")
    if "exclusiveMinimum" in cons and value <= cons["exclusiveMinimum"]:
        raise DataFileError(f"{where}: {value!r} must be > {cons['exclusiveMinimum']}")
    return value


def _row_check(check: dict, record: dict, label: str, line_no: int) -> None:
    low_name, high_name = check["lessOrEqual"]
    low, high = record[low_name], record[high_name]
    if isinstance(low, float) and isinstance(high, float) and not (math.isnan(low) or math.isnan(high)):
        if low > high:
            raise DataFileError(
                f"{label}, line {line_no}, column {low_name}: {low:g} is greater than {high_name} {high:g}"
            )


def _check_unique(frame: pd.DataFrame, schema: dict, fields: list[dict], label: str) -> None:
    keys = schema.get("primaryKey")
    key_sets = [keys if isinstance(keys, list) else [keys]] if keys else []
    key_sets += [[f["name"]] for f in fields if f.get("constraints", {}).get("unique")]
    for cols in key_sets:
        dup = frame[frame.duplicated(subset=cols, keep="first")]
        if len(dup):
            first = dup.iloc[0]
            raise DataFileError(
                f"{label}, line {first['_line']}, column {'+'.join(cols)}: duplicate key "
                f"{tuple(first[c] for c in cols)}"
            )


def _check_foreign_key(folder: Path, resource: dict, frame: pd.DataFrame, fk: dict) -> None:
    column = fk["fields"]
    target = fk["reference"]
    target_frame = _load_validated(str(folder), target["resource"]) if target["resource"] else frame
    allowed = set(target_frame[target["fields"]].dropna())
    label = _label(folder / resource["path"])
    for line_no, value in zip(frame.attrs["lines"], frame[column]):
        if value is not None and not pd.isna(value) and value not in allowed:  # empty optional key: no check
            raise DataFileError(
                f"{label}, line {line_no}, column {column}: {value!r} is not a key "
                f"in table {target['resource']!r}"
            )


def _label(path: Path) -> str:
    """Path as a reader knows it: data/<file> for the project's own tables."""
    return f"data/{path.name}" if path.parent == data_dir_or_none() else str(path)


def data_dir_or_none() -> Path | None:
    try:
        return data_dir()
    except FileNotFoundError:
        return None


def reference_label(key: str) -> str:
    """A short citation for a key of the references table: 'Lee et al. 1988'."""
    refs = load_table("references").set_index("key")
    if key not in refs.index:
        raise KeyError(f"unknown reference key {key!r}")
    row = refs.loc[key]
    if row["authors"].startswith("Authors not shown"):
        # no author read: name the journal (or, where that was not read either, the title's first
        # words) instead of a made-up "Authors 1983" (a trial saw that)
        journal = str(row["journal"])
        if "not shown" in journal or len(journal) > 40:
            journal = " ".join(str(row["title"]).split()[:4]) + "…"
        return f"{journal} {row['year']}"
    authors = row["authors"].split(",")
    first = authors[0].strip().split(" ")[0]
    etal = (
        " et al."
        if len(authors) > 2
        else (f" & {authors[1].strip().split(' ')[0]}" if len(authors) == 2 else "")
    )
    return f"{first}{etal} {row['year']}"


def format_reference(key: str) -> str:
    """A full citation (Markdown) for a key of the references table."""
    refs = load_table("references").set_index("key")
    if key not in refs.index:
        raise KeyError(f"unknown reference key {key!r}")
    row = {k: (v if isinstance(v, str) and v else None) for k, v in refs.loc[key].items()}
    text = f"{row['authors']} ({refs.loc[key, 'year']}). {row['title']}. *{row['journal']}*"
    if row["volume_pages"]:
        text += f" {row['volume_pages']}"
    parts = [text]
    if row["doi"]:
        parts.append(f"[doi:{row['doi']}](https://doi.org/{row['doi']})")
    if row["pmid"]:
        parts.append(f"PMID {row['pmid']}")
    return ". ".join(parts) + "."


def check_all(folder: Path | None = None) -> list[str]:
    """Validate every table of the data package; return one line per problem (empty if none)."""
    problems = []
    for name in table_names(folder):
        try:
            load_table(name, folder)
        except DataFileError as err:
            problems.append(str(err))
    return problems


if __name__ == "__main__":  # `python -m widgets.data_access.data_tables`: the pre-commit data check
    import sys

    found = check_all()
    print("\n".join(found) if found else f"{len(table_names())} data tables match data/datapackage.json")
    sys.exit(1 if found else 0)
