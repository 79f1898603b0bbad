"""Ligand affinities from data/: ranges per receptor, one representative value, a ligand's profile.

Pure data access, no UI: the binding explorer, the lessons and the tests use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..pharmacology.receptor_theory import RECEPTORS
from .data_tables import load_table


def ligands() -> pd.DataFrame:
    """The ligands table, indexed by ligand key."""
    return load_table("ligands").set_index("ligand")


def ligand_names() -> dict[str, str]:
    """Ligand key -> the name a reader sees ('beta_endorphin' -> 'β-Endorphin'), from data/ligands.csv."""
    return ligands()["display_name"].to_dict()


def with_ligand_names(
    frame: pd.DataFrame, column: str = "ligand", more_names: dict | None = None
) -> pd.DataFrame:
    """A copy of ``frame`` whose ``column`` of ligand keys shows the ligands' names instead.

    The data files use keys (``6beta_naltrexol``) so that code can refer to them; a table shown
    in a lesson uses names. A key without a name in data/ligands.csv (or ``more_names``, for a
    ligand only one widget uses) is an error, not left raw; an empty cell (a row about no
    ligand) stays empty.
    """
    names = {**ligand_names(), **(more_names or {})}
    keys = frame[column].dropna()
    unknown = sorted(set(keys) - set(names))
    if unknown:
        raise ValueError(f"data/ligands.csv has no display_name for {unknown}")
    return frame.assign(**{column: frame[column].map(names)})


def affinity_rows(ligand: str, receptor: str | None = None) -> pd.DataFrame:
    """All affinity rows (one per source) for ``ligand``, optionally at one receptor."""
    table = load_table("ligand_affinities")
    known = set(table["ligand"])
    if ligand not in known:
        raise ValueError(f"ligand must be one of {sorted(known)}, got {ligand!r}")
    rows = table[table["ligand"] == ligand]
    if receptor is not None:
        if receptor not in ("MOR", "DOR", "KOR", "NOP"):
            raise ValueError(f"receptor must be MOR, DOR, KOR or NOP, got {receptor!r}")
        rows = rows[rows["receptor"] == receptor]
    return rows.reset_index(drop=True)


def ki_range_nM(ligand: str, receptor: str) -> tuple[float, float]:
    """Lowest and highest Ki (nM) over all sources for ``ligand`` at ``receptor``."""
    return range_of_rows(affinity_rows(ligand, receptor), ligand, receptor)


def representative_ki_nM(ligand: str, receptor: str) -> float:
    """One Ki (nM) to drive a model: the geometric mean of each source's range midpoint.

    A simplification: published Ki values for one drug commonly span about tenfold with
    species, tissue and radioligand, so this is a typical value, not a constant of nature.
    Binding-assay rows are preferred; functional estimates are used only when there are none.
    """
    return representative_of_rows(affinity_rows(ligand, receptor), ligand, receptor)


def _require_rows(rows: pd.DataFrame, ligand: str, receptor: str) -> None:
    if rows.empty:
        raise ValueError(f"data/ligand_affinities.csv has no {receptor} row for {ligand!r}")


def range_of_rows(rows: pd.DataFrame, ligand: str, receptor: str) -> tuple[float, float]:
    """``ki_range_nM`` of rows already selected (one ligand at one receptor), for callers that
    select once and ask several questions: filtering the table is the slow part."""
    _require_rows(rows, ligand, receptor)
    return float(rows["ki_low_nM"].min()), float(rows["ki_high_nM"].max())


def representative_of_rows(rows: pd.DataFrame, ligand: str, receptor: str) -> float:
    """``representative_ki_nM`` of rows already selected (one ligand at one receptor)."""
    _require_rows(rows, ligand, receptor)
    binding = rows[rows["measure"] == "binding Ki"]
    rows = binding if not binding.empty else rows
    mids = np.sqrt(rows["ki_low_nM"].to_numpy() * rows["ki_high_nM"].to_numpy())
    return float(np.exp(np.log(mids).mean()))


@dataclass(frozen=True)
class LigandProfile:
    """What the data say about one ligand at MOR, DOR and KOR."""

    ligand: str
    name: str
    kind: str
    action_at_mor: str
    principal_action: str
    selective_for: str
    ki_nM: dict  # receptor -> one typical Ki (nM), see representative_ki_nM
    range_nM: dict  # receptor -> (lowest, highest) over all sources
    rows: pd.DataFrame  # every source row, for the sources table

    @property
    def label(self) -> str:
        """Name with its action, as shown on the axis: 'Naltrexone (antagonist)'."""
        return f"{self.name} ({self.principal_action})"


def ligand_profile(ligand: str) -> LigandProfile:
    """Collect a ligand's affinity ranges, typical values and action from data/."""
    table = ligands()
    if ligand not in table.index:
        raise ValueError(f"ligand must be one of {sorted(table.index)}, got {ligand!r}")
    row = table.loc[ligand]
    rows = affinity_rows(ligand)
    at = {r: rows[rows["receptor"] == r] for r in RECEPTORS}  # select once per receptor
    return LigandProfile(
        ligand=ligand,
        name=row["display_name"],
        kind=row["kind"],
        action_at_mor=row["action_at_mor"],
        principal_action=row["principal_action"],
        selective_for=row["selective_for"],
        ki_nM={r: representative_of_rows(at[r], ligand, r) for r in RECEPTORS},
        range_nM={r: range_of_rows(at[r], ligand, r) for r in RECEPTORS},
        rows=rows,
    )
