"""Public API: arguments, validation, NoiseRates and the summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import synthetic
from synthetic import GenerationSummary, NoiseRates, generate


def test_public_names() -> None:
    assert set(synthetic.__all__) == {"generate", "NoiseRates", "GenerationSummary"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"persons": 199}, "at least 200"),
        ({"persons": 0}, "at least 200"),
        ({"persons": -5}, "at least 200"),
        ({"persons": 300.5}, "integer"),
        ({"persons": True}, "integer"),
        ({"seed": -1}, "non-negative"),
        ({"seed": "42"}, "non-negative"),
        ({"noise": {"typo": 0.1}}, "NoiseRates"),
    ],
)
def test_bad_arguments_raise_value_error(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        generate(tmp_path, **kwargs)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir()), "nothing is written when arguments are bad"


def test_out_dir_that_is_a_file_is_rejected(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        generate(target, persons=200)


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(NoiseRates)])
@pytest.mark.parametrize("value", [-0.01, 1.5, float("nan")])
def test_noise_rates_reject_out_of_range(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        NoiseRates(**{field: value})


def test_noise_rates_reject_non_numbers() -> None:
    with pytest.raises(ValueError, match="typo"):
        NoiseRates(typo="0.1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="middle_name"):
        NoiseRates(middle_name_dropped=0.8, middle_name_merged=0.3)


def test_noise_rates_are_frozen_and_documented() -> None:
    rates = NoiseRates()
    with pytest.raises(dataclasses.FrozenInstanceError):
        rates.typo = 0.5  # type: ignore[misc]
    assert rates.typo == 0.03
    assert rates.nickname == 0.04
    assert rates.name_order_swap == 0.25
    assert rates.diacritics_kept("births") == 0.6
    assert rates.diacritics_kept("visas") == 0.05
    assert rates.postcode_missing == 0.05


def test_scaled_and_none() -> None:
    rates = NoiseRates()
    double = rates.scaled(2)
    assert double.typo == pytest.approx(0.06)
    assert double.diacritics_kept_births == pytest.approx(0.2)  # 40% stripped → 80%
    assert rates.scaled(100).typo == 1.0
    clean = NoiseRates.none()
    assert clean.typo == 0 and clean.dob_missing == 0 and clean.name_order_swap == 0
    assert all(clean.diacritics_kept(s) == 1.0 for s in ("births", "visas", "schools"))
    assert clean.middle_name_dropped + clean.middle_name_merged <= 1
    assert rates.scaled(50).middle_name_dropped + rates.scaled(50).middle_name_merged <= 1
    with pytest.raises(ValueError, match="factor"):
        rates.scaled(-1)


def test_summary_counts_match_files(tmp_path: Path) -> None:
    summary = generate(tmp_path, seed=3, persons=250)
    assert isinstance(summary, GenerationSummary)
    assert summary.persons == 250
    assert summary.total_persons > 250
    for name, count in summary.rows.items():
        lines = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").count("\n")
        assert lines == count + 1
    truth_lines = (tmp_path / "truth" / "mentions.csv").read_text(encoding="utf-8").count("\n")
    assert summary.mentions == truth_lines - 1
    assert summary.planted > 0 and summary.decoys > 0
    assert summary.seconds >= 0
    assert "mentions" in str(summary) and "births" in str(summary)
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
