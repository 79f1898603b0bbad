"""The naltrexone model beside the published figures: the report lesson 04 shows.

:func:`compare_naltrexone_with_published` puts every published figure in ``data/`` (the
targets table, the PET points, the label's heroin challenges) beside the model's value, with
the figure's role (``fitted``, ``tuned``, ``validation``, ``derived``, ``disputed`` or
``context``) and its acceptance interval; :func:`compare_mechanisms` shows the two explanations
of the long blockade side by side; :func:`citation` and :func:`readable_table` turn source keys
into "Lee et al. 1988" for the lessons' tables.

Kept apart from the model (:mod:`widgets.pharmacology.naltrexone`) and the fit
(:mod:`widgets.pharmacology.naltrexone_fit`): the report imports both, neither imports it, so
the three modules form no import circle.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..data_access.data_tables import load_table
from . import naltrexone as nx
from .naltrexone_fit import model_quantities


def _format(value: float, fmt: str) -> str:
    return "none" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:{fmt}}"


def compare_naltrexone_with_published(mechanism: str = nx.DEFAULT_MECHANISM) -> pd.DataFrame:
    """Every published figure in ``data/`` beside the model's value, with its role and tolerance.

    ``role`` is the row's role in ``data/naltrexone_fit_targets.csv`` / ``data/pet_occupancy.csv``:
    ``fitted`` (in the least-squares error sum), ``validation`` (never seen by the fit),
    ``derived`` (computed from fitted figures: shown, not evidence), ``disputed`` (sources
    disagree; the model note says which side the model takes) or ``context`` (another kind
    of evidence, no pass/fail). A row agrees when the model's value lies inside the row's
    stated acceptance interval (``accept_low``–``accept_high``; the ``tolerance`` column says
    how it was set). Lesson 04's closing table is this frame.

    Parameters
    ----------
    mechanism : {"brain_pool", "terminal_phase"}

    A validation row's ``independent`` is "no" where agreement is close to guaranteed by
    construction (the data row's note says why; e.g. urinary 6β-naltrexol, which follows from two
    published clearances whatever the fit): such a pass is not evidence that the fit holds.
    :func:`validation_counts` counts the passes both ways.

    Returns
    -------
    pandas.DataFrame
        Columns ``quantity``, ``published``, ``model``, ``tolerance``, ``agrees`` ("yes",
        "no" or "—"), ``role``, ``independent`` ("yes" or "no" for validation rows, "" for the
        others), ``source``, ``key``.
    """
    m = nx.naltrexone_model(nx._check_mechanism(mechanism))
    q = model_quantities(m)
    rows = []

    def independent(role, flag=True):
        return ("yes" if flag else "no") if role == "validation" else ""

    def add(key, quantity, published, value, fmt, tolerance, lo, hi, role, source, flag=True):
        ok = None if pd.isna(lo) or pd.isna(hi) else bool(lo - 1e-9 <= value <= hi + 1e-9)
        rows.append(
            {
                "quantity": quantity,
                "published": published,
                "model": _format(value, fmt),
                "tolerance": tolerance if isinstance(tolerance, str) else "",
                "agrees": "—" if ok is None else ("yes" if ok else "no"),
                "role": role,
                "independent": independent(role, flag),
                "source": source,
                "key": key,
            }
        )

    for row in load_table("naltrexone_fit_targets").itertuples():
        add(
            row.key,
            row.quantity,
            row.published,
            q[row.key],
            row.model_format,
            row.tolerance,
            row.accept_low,
            row.accept_high,
            row.role,
            row.source,
            row.independent is not False,
        )

    pet = load_table("pet_occupancy")
    for (dose, role), group in pet[pet["study"] == "rabiner2011"].groupby(["dose_mg", "role"]):
        measured = group["occupancy_pct"].to_numpy()
        value = q[f"rabiner_{dose:g}mg"]
        rows.append(
            {
                "quantity": f"MOR blockade within 8 h of {dose:g} mg oral (%; model: mean over 1–8 h)",
                "published": ", ".join(f"{v:g}" for v in measured),
                "model": f"{value:.0f}",
                "tolerance": "within 15 points of each person",
                "agrees": "yes" if np.all(np.abs(measured - value) <= 15) else "no",
                "role": role,
                "independent": independent(role),
                "source": "rabiner2011",
                "key": f"rabiner_{dose:g}mg",
            }
        )
    for row in pet[pet["study"] == "weerts2008"].itertuples():
        value = q[f"weerts_{row.receptor}"]
        rows.append(
            {
                "quantity": f"{row.receptor} blockade on the 4th day of 50 mg/day (%; model: mean of that day)",
                "published": f"{row.occupancy_pct:g} ± {row.sd_pct:g} (SD)",
                "model": f"{value:.0f}",
                "tolerance": "within 1 SD",
                "agrees": "yes" if abs(value - row.occupancy_pct) <= row.sd_pct else "no",
                "role": row.role,
                "independent": independent(row.role),
                "source": "weerts2008",
                "key": f"weerts_{row.receptor}",
            }
        )

    for row in pet[pet["study"] == "kor_pet2021"].itertuples():
        value = q[f"kor_pet2021_{row.receptor}"]
        # the abstract's "± 1" is not said to be an SD or an SE: the wider reading, SE x sqrt(n)
        within = row.sd_pct * math.sqrt(row.n_subjects)
        rows.append(
            {
                "quantity": f"{row.receptor} blockade after 1 week of 100 mg/day (%; model: mean of the 7th day)",
                "published": f"{row.occupancy_pct:g} ± {row.sd_pct:g} (SD or SE, not stated; n = {row.n_subjects})",
                "model": f"{value:.0f}",
                "tolerance": f"within {within:.1f} points (± 1 read as an SE of {row.n_subjects} people)",
                "agrees": "yes" if abs(value - row.occupancy_pct) <= within else "no",
                "role": row.role,
                "independent": independent(row.role),
                "source": row.source,
                "key": f"kor_pet2021_{row.receptor}",
            }
        )

    for row in load_table("heroin_challenge").itertuples():
        occ = nx.naltrexone_profile(
            [0.0], float(row.dose_mg), "oral", max(row.blockade_h, 1.0), 0.25, mechanism
        )
        rows.append(
            {
                "quantity": f"{row.dose_mg:g} mg tablet: 25 mg i.v. heroin blocked {row.wording} (label); "
                "model MOR blockade then (%)",
                "published": f"blocked {row.wording}",
                "model": f"{100 * occ['mor_occupancy'].iloc[-1]:.0f}",
                "tolerance": "",
                "agrees": "—",
                "role": "context",
                "independent": "",
                "source": row.source,
                "key": f"heroin_{row.dose_mg:g}mg",
            }
        )
    order = {"fitted": 0, "validation": 1, "derived": 2, "disputed": 3, "context": 4}
    frame = pd.DataFrame(rows)
    return frame.sort_values("role", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def validation_counts(mechanism: str = nx.DEFAULT_MECHANISM) -> dict:
    """How the model does on the figures the fit never saw.

    Returns a dict: ``rows`` (validation figures), ``passes`` (inside their stated tolerance),
    ``independent_passes`` (passes that are evidence the fit holds: not close to guaranteed by
    construction) and ``not_independent`` (keys of the validation rows marked so, pass or not).
    """
    table = compare_naltrexone_with_published(mechanism)
    val = table[table["role"] == "validation"]
    passed = val["agrees"] == "yes"
    return {
        "rows": len(val),
        "passes": int(passed.sum()),
        "independent_passes": int((passed & (val["independent"] == "yes")).sum()),
        "not_independent": sorted(val.loc[val["independent"] == "no", "key"]),
    }


_SHORT_NAMES = {
    "naltrexone_pi_ch": "Swiss product information",
    "vivitrol_pi": "VIVITROL label",
    "revia_label": "REVIA label",
    "naltrexone_be_cn": "bioequivalence study (China)",
    "wikipedia2026naltrexol": "Wikipedia (secondary)",
    "cpt2005_pet": "PET abstract, Clin Pharmacol Ther 2005",
    "kor_pet2021": "KOR PET study, Mol Psychiatry 2021",
}


def citation(key: str) -> str:
    """A source key of ``data/references.csv`` as a reader writes it: "Lee et al. 1988"."""
    if key in _SHORT_NAMES:
        return _SHORT_NAMES[key]
    refs = load_table("references").set_index("key")
    if key not in refs.index:
        return key
    row = refs.loc[key]
    people = [p.strip() for p in str(row["authors"]).split("(")[0].split(",") if p.strip()]
    first = people[0].split()[0] if people else str(row["journal"])
    many = len(people) > 2 or "et al" in str(row["authors"])
    two = len(people) == 2 and not many
    name = f"{first} et al." if many else (f"{first} and {people[1].split()[0]}" if two else first)
    return f"{name} {row['year']}"


def readable_table(frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """``frame`` with only ``columns`` (old name -> header in words) and source keys as citations.

    For the lesson's tables: readers see "Lee et al. 1988" and "lowest published value", not
    ``lee1988`` and ``value_low``.
    """
    out = frame[list(columns)].copy()
    for col in ("source", "study"):
        if col in out.columns:
            out[col] = [citation(k) if isinstance(k, str) and k else k for k in out[col]]
    return out.rename(columns=columns)


def compare_mechanisms() -> pd.DataFrame:
    """The two mechanisms side by side on every fitted and validation figure.

    Returns
    -------
    pandas.DataFrame
        Columns ``quantity``, ``published``, ``role``, ``brain pool``, ``agrees (brain pool)``,
        ``terminal phase``, ``agrees (terminal phase)``: one row per figure of
        :func:`compare_naltrexone_with_published` whose role is fitted, tuned or validation.
    """
    a = compare_naltrexone_with_published("brain_pool")
    b = compare_naltrexone_with_published("terminal_phase").set_index("key")
    keep = a[a["role"].isin(["fitted", "tuned", "validation"])]
    return pd.DataFrame(
        {
            "quantity": keep["quantity"].to_numpy(),
            "published": keep["published"].to_numpy(),
            "role": keep["role"].to_numpy(),
            "brain pool": keep["model"].to_numpy(),
            "agrees (brain pool)": keep["agrees"].to_numpy(),
            "terminal phase": b.loc[keep["key"], "model"].to_numpy(),
            "agrees (terminal phase)": b.loc[keep["key"], "agrees"].to_numpy(),
        }
    )
