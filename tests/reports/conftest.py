"""A small demo run, made once per test session through the ``reglink demo`` command."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from reglink.cli import app
from synthetic import generate

DEMO_PERSONS = 600
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's folder (data/ and run/), written by ``reglink demo``."""
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app, ["demo", "--out", str(out), "--persons", str(DEMO_PERSONS), "--seed", str(DEMO_SEED)]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-2].endswith(str(out / "run" / "report.html")), lines[-2:]
    assert lines[-1].endswith(str(out / "run" / "stats.html")), lines[-1:]
    return out


@pytest.fixture(scope="session")
def demo_run(demo_out: Path) -> Path:
    """The demo's run folder (flagged, with every report written)."""
    return demo_out / "run"


#: Written into the planted prolific father's births (his own fields are left alone, so he
#: is still resolved and flagged, and these values reach every output).
HOSTILE = {
    "child_forenames": '=HYPERLINK("http://example.invalid/x","open")',
    "mother_surname": "<img src=x onerror=alert(1)>",
    "mother_forenames": "+SUM(1+1)",
    "informant_name": "@cmd|' /C calc'!A0",
    "usual_address": "-2+3 </script><script>alert(2)</script>",
}


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run whose input carries formula and markup injections in names and addresses."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    generate(data, seed=5, persons=300)
    planted = pd.read_csv(data / "truth" / "planted.csv", dtype=str)
    father = planted[planted["pattern"] == "prolific_father"].iloc[0]
    registrations = {m.split(":")[1] for m in father["mention_ids"].split(";")}
    births = pd.read_csv(data / "births.csv", dtype=str, keep_default_na=False)
    chosen = births["registration_id"].isin(sorted(registrations)[:3])
    assert chosen.sum() == 3
    for column, value in HOSTILE.items():
        births.loc[chosen, column] = value
    births.to_csv(data / "births.csv", index=False)
    run = root / "run"
    result = CliRunner().invoke(app, ["run", str(data), "--out", str(run)])
    assert result.exit_code == 0, result.output
    for name in ("report.html", "stats.html", "stats.csv", "network.graphml"):
        assert (run / name).is_file(), name
    return run
