"""Chunked prediction and a spill directory change how pairs are scored, never which."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reglink.datasets import export_febrl
from resolver.pipeline import ResolveOptions, resolve


def test_chunked_prediction_scores_the_same_pairs(tmp_path: Path) -> None:
    data = tmp_path / "febrl1"
    export_febrl(1, data)
    plain = ResolveOptions(mapping=data / "mapping.yaml")
    chunked = replace(
        plain,
        linkage=replace(plain.linkage, predict_chunks=3, temp_directory=str(tmp_path / "spill")),
    )
    resolve(data, tmp_path / "plain", plain)
    resolve(data, tmp_path / "chunked", chunked)
    for name in ("links.csv", "entities.csv"):
        assert (tmp_path / "plain" / name).read_bytes() == (
            tmp_path / "chunked" / name
        ).read_bytes()
