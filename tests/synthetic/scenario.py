"""Loading a generated scenario back from disk, as an independent reader would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SOURCES = ("births", "visas", "schools", "missing", "watchlist")
FATHER_FIELDS = (
    "father_forenames",
    "father_surname",
    "father_dob",
    "father_birthplace",
    "father_nationality",
)


_NAME = {"forenames": "forenames", "surname": "surname", "dob": "dob"}
FIELDS: dict[tuple[str, str], dict[str, str]] = {
    ("births", "child"): {
        "forenames": "child_forenames",
        "surname": "child_surname",
        "maiden": "",
        "dob": "child_dob",
        "nationality": "",
        "postcode": "postcode",
    },
    ("births", "mother"): {
        "forenames": "mother_forenames",
        "surname": "mother_surname",
        "maiden": "mother_maiden_surname",
        "dob": "mother_dob",
        "nationality": "mother_nationality",
        "postcode": "postcode",
    },
    ("births", "father"): {
        "forenames": "father_forenames",
        "surname": "father_surname",
        "maiden": "",
        "dob": "father_dob",
        "nationality": "father_nationality",
        "postcode": "postcode",
    },
    ("visas", "applicant"): {
        "forenames": "applicant_forenames",
        "surname": "applicant_surname",
        "maiden": "",
        "dob": "applicant_dob",
        "nationality": "applicant_nationality",
        "postcode": "uk_postcode",
    },
    ("schools", "pupil"): {
        "forenames": "pupil_forenames",
        "surname": "pupil_surname",
        "maiden": "",
        "dob": "pupil_dob",
        "nationality": "pupil_nationality",
        "postcode": "home_postcode",
    },
    ("missing", "missing"): {**_NAME, "maiden": "", "nationality": "nationality", "postcode": ""},
    ("watchlist", "subject"): {**_NAME, "maiden": "", "nationality": "nationality", "postcode": ""},
}
"""Where each mention's written attributes are, per (source, role); '' = no such column."""


def read(path: Path) -> pd.DataFrame:
    """A CSV with every cell as text, empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass
class Scenario:
    """All files of one generated scenario."""

    root: Path
    tables: dict[str, pd.DataFrame]
    mentions: pd.DataFrame
    planted: pd.DataFrame
    decoys: pd.DataFrame
    persons: pd.DataFrame

    @classmethod
    def load(cls, root: Path) -> Scenario:
        """Read the five sources and the truth files under `root`."""
        return cls(
            root=root,
            tables={s: read(root / f"{s}.csv") for s in SOURCES},
            mentions=read(root / "truth" / "mentions.csv"),
            planted=read(root / "truth" / "planted.csv"),
            decoys=read(root / "truth" / "decoys.csv"),
            persons=read(root / "truth" / "persons.csv"),
        )

    def mention_ids_from_data(self) -> list[str]:
        """Every mention the contract says the data holds, built from the CSVs alone."""
        ids: list[str] = []
        b = self.tables["births"]
        has_father = (b[list(FATHER_FIELDS)] != "").any(axis=1)
        for rid, father in zip(b["registration_id"], has_father, strict=True):
            ids += [f"births:{rid}:child", f"births:{rid}:mother"]
            if father:
                ids.append(f"births:{rid}:father")
        for source, id_col, role in (
            ("visas", "application_id", "applicant"),
            ("schools", "enrolment_id", "pupil"),
            ("missing", "report_id", "missing"),
            ("watchlist", "subject_id", "subject"),
        ):
            ids += [f"{source}:{rid}:{role}" for rid in self.tables[source][id_col]]
        return ids

    def mention_fields(self) -> pd.DataFrame:
        """One row per mention: source, role, the names/dob/nationality/postcode written for
        it, joined with its truth row and the true person (columns `true_*`)."""
        parts = []
        for (source, role), cols in FIELDS.items():
            table = self.tables[source]
            if role == "father":
                table = table[(table[list(FATHER_FIELDS)] != "").any(axis=1)]
            part = pd.DataFrame(
                {
                    "mention_id": f"{source}:" + table.iloc[:, 0] + f":{role}",
                    "source": source,
                    "role": role,
                }
            )
            for std, col in cols.items():
                part[std] = table[col].to_numpy() if col else ""
            parts.append(part)
        fields = pd.concat(parts, ignore_index=True)
        truth = self.mentions.merge(
            self.persons.add_prefix("true_"), left_on="person_id", right_on="true_person_id"
        )
        return fields.merge(truth, on="mention_id", validate="one_to_one")

    def person_of(self) -> dict[str, str]:
        """mention_id → person_id."""
        return dict(zip(self.mentions["mention_id"], self.mentions["person_id"], strict=True))

    def row(self, mention_id: str) -> pd.Series:
        """The source row holding a mention."""
        source, record_id, _ = mention_id.split(":")
        table = self.tables[source]
        found = table[table.iloc[:, 0] == record_id]
        assert len(found) == 1, mention_id
        return found.iloc[0]

    def evidence(self, table: str, name: str) -> pd.DataFrame:
        """Rows of planted.csv (`table`='planted') or decoys.csv for one pattern/decoy."""
        frame = self.planted if table == "planted" else self.decoys
        key = "pattern" if table == "planted" else "decoy"
        return frame[frame[key] == name]
