"""Reshape accepted records into one table of role-tagged person mentions, standardised."""

from __future__ import annotations

import jellyfish
import pandas as pd

from resolver.ingest import SourceTable
from resolver.schema import MENTION_FIELDS
from resolver.standardise import (
    day_month_swapped,
    fold,
    is_placeholder_name,
    map_unique,
    normalise_postcode,
    normalise_sex,
    standardise_names,
    to_iso3,
)

#: Mention fields that hold a name, where a placeholder ("UNKNOWN", "N/A") means none.
NAME_FIELDS = ("forenames", "surname", "maiden_surname")

#: Identity columns of every mention, then the fields as recorded (for display).
MENTION_ID_COLUMNS = ("mention_id", "source", "kind", "record_id", "role", "record_key")


def build_mentions(tables: list[SourceTable]) -> pd.DataFrame:
    """One row per person per role per accepted record, with raw and standardised fields."""
    parts = [
        _role_mentions(table, role_index)
        for table in tables
        for role_index in range(len(table.spec.kind.roles))
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        empty = pd.DataFrame(columns=[*MENTION_ID_COLUMNS, *MENTION_FIELDS])
        return standardise_mentions(empty)
    mentions = pd.concat(parts, ignore_index=True)
    return standardise_mentions(mentions)


def _role_mentions(table: SourceTable, role_index: int) -> pd.DataFrame:
    records = table.records
    role = table.spec.kind.roles[role_index]
    name_columns = {role.columns.get(f) for f in NAME_FIELDS}
    present = pd.Series(False, index=records.index)
    for presence in role.presence_columns():
        given = records[presence].astype(str).str.strip() != ""
        if presence in name_columns:  # "UNKNOWN" or "-" as a father's name is no father
            given &= ~is_placeholder_name(records[presence])
        present |= given
    rows = records.loc[present]
    out = pd.DataFrame(
        {
            "mention_id": table.name + ":" + rows["record_id"] + ":" + role.name,
            "source": table.name,
            "kind": table.spec.kind.name,
            "record_id": rows["record_id"],
            "role": role.name,
            "record_key": table.name + ":" + rows["record_id"],
        }
    )
    out["relative_names"] = _relative_names(rows, role.relatives)
    for field_name in MENTION_FIELDS:
        column = role.columns.get(field_name)
        if column is None:
            empty = pd.NaT if field_name in ("dob", "event_date") else None
            out[field_name] = role.implied.get(field_name, empty)
        elif field_name in ("dob", "event_date"):
            out[field_name] = rows[column]
        else:
            text = rows[column].astype(str).str.strip()
            blank = text == ""
            if field_name in NAME_FIELDS:
                blank |= is_placeholder_name(text)
            out[field_name] = text.mask(blank)
    return out.reset_index(drop=True)


def _sound_key(name_key: str) -> str | None:
    """Order-insensitive phonetic key: sorted metaphone codes of the name's tokens."""
    codes = sorted({jellyfish.metaphone(token) for token in name_key.split()} - {""})
    return " ".join(codes) or None


def _relative_names(rows: pd.DataFrame, relatives: tuple[tuple[str, ...], ...]) -> pd.Series:
    """Full names of the relatives named on each record, `|`-separated ('' when none)."""
    joined = pd.Series("", index=rows.index, dtype="object")
    for columns in relatives:
        full = rows[columns[0]].astype(str).str.strip()
        for column in columns[1:]:
            full = (full + " " + rows[column].astype(str).str.strip()).str.strip()
        has_both = full.str.contains(" ", regex=False) | (len(columns) == 1)
        full = full.where(has_both & (full != ""), "")
        joined = joined.where(full == "", joined + "|" + full)
    return joined.str.strip("|")


def _relative_keys(relative_names: pd.Series) -> pd.Series:
    """Order-insensitive name keys of each mention's relatives (a list, empty when none)."""
    exploded = relative_names.fillna("").str.split("|").explode()
    exploded = exploded[exploded.astype(bool)]
    if exploded.empty:
        return pd.Series([[] for _ in range(len(relative_names))], index=relative_names.index)
    blank = pd.Series(pd.NA, index=exploded.index, dtype="string")
    names = standardise_names(exploded.astype("string"), blank)
    # The whole name, and first name + last name alone: a relative's middle name is as
    # often dropped as their own.
    short = [
        " ".join(sorted({first, tokens[-1]})) if isinstance(first, str) and len(tokens) else None
        for first, tokens in zip(
            names["first_name_canonical"].tolist(), names["forename_tokens"].tolist(), strict=True
        )
    ]
    keys = pd.concat(
        [names["name_key"], pd.Series(short, index=names.index, dtype="string")]
    ).dropna()
    grouped = keys.groupby(level=0).agg(lambda values: sorted(set(values)))
    return (
        relative_names.index.to_series()
        .map(grouped)
        .map(lambda value: value if isinstance(value, list) else [])
    )


def standardise_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """Add the comparison forms Splink and the rules use; the recorded values stay as they were."""
    m = mentions.copy()
    m["dob"] = pd.to_datetime(m["dob"], errors="coerce")
    m["event_date"] = pd.to_datetime(m["event_date"], errors="coerce")
    names = standardise_names(m["forenames"], m["surname"], m["maiden_surname"])
    m = pd.concat([m, names], axis=1)
    m["name_tokens"] = m["name_key"].map(lambda key: key.split() if isinstance(key, str) else [])
    m["name_sound_key"] = map_unique(m["name_key"], _sound_key)
    m["relative_keys"] = _relative_keys(m["relative_names"])
    m["first_surname_key"] = (m["first_name_canonical"] + " " + m["surname_std"]).astype("string")
    m["sex_std"] = normalise_sex(m["sex"])
    m["nationality_std"] = to_iso3(m["nationality"])
    postcodes = normalise_postcode(m["postcode"])
    # A postcode that is not a UK one (FEBRL's Australian ones) still compares exactly.
    other = m["postcode"].astype("string").str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    m["postcode_std"] = postcodes["postcode"].fillna(other.where(other.str.len() > 0))
    m["postcode_sector"] = postcodes["postcode_sector"]
    m["postcode_outward"] = postcodes["postcode_outward"]
    m["address_std"] = fold(m["address"])
    m["locality_std"] = fold(m["locality"])
    document = (
        m["document_number"].astype("string").str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    )
    m["document_number_std"] = document.mask(document.str.len() == 0)
    dob = m["dob"]
    m["dob_swapped"] = day_month_swapped(dob)
    m["dob_year"] = dob.dt.year.astype("Int64")
    m["dob_mmdd"] = dob.dt.strftime("%m-%d")
    m["dob_str"] = dob.dt.strftime("%Y-%m-%d")
    m["birth_year_lo"], m["birth_year_hi"] = _birth_year_range(m)
    return m


def _birth_year_range(m: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Earliest and latest possible year of birth: the dob's year, else from a stated age.

    Someone aged ``a`` on a date in year ``y`` was born in ``y - a - 1`` or ``y - a``; an age
    that is not a whole number of years from 0 to 120 gives no range.
    """
    stated = m["age"] if "age" in m else pd.Series(None, index=m.index, dtype="object")
    age = pd.to_numeric(stated, errors="coerce")
    age = age.where((age >= 0) & (age <= 120) & (age == age.round()))
    event_year = m["event_date"].dt.year
    from_age_hi = (event_year - age).astype("Int64")
    year = m["dob_year"]
    lo = year.fillna(from_age_hi - 1).astype("Int64")
    hi = year.fillna(from_age_hi).astype("Int64")
    return lo, hi
