"""--engine on the command line: choices and the [spark] section, checked before Spark starts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reglink.cli import app
from reglink.spark import spark_options

runner = CliRunner()


def test_engine_choices_are_listed_and_checked(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["resolve", str(tmp_path), "--out", str(tmp_path / "r"), "--engine", "hive"]
    )
    assert result.exit_code == 2
    assert "duckdb" in result.output and "spark" in result.output


def test_an_unknown_spark_setting_is_a_one_line_error(tmp_path: Path) -> None:
    config = tmp_path / "reglink.toml"
    config.write_text('[spark]\nmaster = "local[1]"\nexecutors = 4\n', encoding="utf-8")
    result = runner.invoke(
        app,
        ["flag", str(tmp_path), "--engine", "spark", "--config", str(config)],
    )
    assert result.exit_code == 1
    assert "unknown [spark] setting(s): executors" in result.output
    assert "Traceback" not in result.output


def test_spark_settings_read_from_the_config() -> None:
    options = spark_options(
        {"spark": {"master": "yarn", "partitions": 8, "conf": {"spark.executor.cores": 4}}}
    )
    assert options.master == "yarn" and options.partitions == 8
    assert options.conf == {"spark.executor.cores": "4"}
    assert options.break_lineage == "parquet"
