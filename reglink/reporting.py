"""Terminal tables for command results."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from resolver.evaluate import Evaluation


def print_evaluation(console: Console, result: Evaluation) -> None:
    """Accuracy figures as two tables: overall, then recall by source pair."""
    overall = Table(title="Accuracy against the truth", show_header=True)
    overall.add_column("measure")
    overall.add_column("precision", justify="right")
    overall.add_column("recall", justify="right")
    overall.add_column("F1", justify="right")
    overall.add_row(
        "pairwise",
        f"{result.pairwise_precision:.4f}",
        f"{result.pairwise_recall:.4f}",
        f"{result.pairwise_f1:.4f}",
    )
    overall.add_row(
        "B-cubed",
        f"{result.bcubed_precision:.4f}",
        f"{result.bcubed_recall:.4f}",
        f"{result.bcubed_f1:.4f}",
    )
    console.print(overall)
    console.print(
        f"mentions evaluated {result.mentions_evaluated}; true pairs {result.true_pairs}, "
        f"predicted {result.predicted_pairs}, correct {result.true_positive_pairs}; "
        "in truth but not in the run (rejected rows, counted as missed) "
        f"{result.mentions_not_in_run}"
    )
    by_source = Table(title="Recall by source pair", show_header=True)
    by_source.add_column("sources")
    by_source.add_column("true pairs", justify="right")
    by_source.add_column("found", justify="right")
    by_source.add_column("recall", justify="right")
    for row in result.source_pair_recall:
        by_source.add_row(
            row["sources"], str(row["true_pairs"]), str(row["found"]), f"{row['recall']:.4f}"
        )
    console.print(by_source)


def print_rule_statuses(console: Console, run: Any) -> None:
    """One line per rule: flags raised and time, or the error of a rule that failed."""
    for status in run.statuses:
        if status.status == "ok":
            console.print(
                f"  rule {status.rule_id:<30} {status.flags:>5} flags  ({status.seconds:.2f} s)"
            )
        else:
            console.print(f"  [red]rule {status.rule_id} failed:[/] {escape(str(status.error))}")


def print_flags(console: Console, flags: pd.DataFrame, top: int) -> None:
    """The highest-ranked cases as a table: best score, their flags' rules and headline."""
    if flags.empty:
        console.print("no flags raised")
        return
    if top == 0:
        console.print(f"{len(flags)} flags raised (none listed: --top 0)")
        return
    cases = list(dict.fromkeys(flags["case_id"]))
    table = Table(title=f"Top {min(top, len(cases))} of {len(cases)} cases ({len(flags)} flags)")
    for column in ("rank", "score", "severity", "flags", "rules", "headline"):
        table.add_column(
            column, justify="right" if column in ("rank", "score", "flags") else "left"
        )
    for rank, case in enumerate(cases[:top], start=1):
        members = flags[flags["case_id"] == case]
        head = members.iloc[0]
        rules = ", ".join(dict.fromkeys(members["rule_id"]))
        table.add_row(
            str(rank),
            str(head["case_score"]),
            str(head["severity"]),
            str(len(members)),
            escape(rules),
            escape(str(head["summary"])),
        )
    console.print(table)


def print_flag_evaluation(console: Console, result: Any) -> None:
    """Planted patterns with the rank of the case that found them; decoys that were flagged."""
    table = Table(title=f"Planted patterns flagged: {result.found} of {len(result.planted)}")
    for column in ("pattern", "subject", "found", "case rank", "flag rank", "score"):
        table.add_column(column)
    for item in result.planted:
        table.add_row(
            item.pattern,
            escape(item.subject[:40]),
            "yes" if item.found else "[red]no[/]",
            "-" if item.case_rank is None else str(item.case_rank),
            "-" if item.rank is None else str(item.rank),
            "-" if item.score is None else str(item.score),
        )
    console.print(table)
    if result.decoys_flagged:
        for decoy in result.decoys_flagged:
            subject = escape(str(decoy["subject"]))
            rule = decoy["rule_id"]
            console.print(f"[red]decoy flagged:[/] {decoy['decoy']} {subject} by {rule}")
    else:
        console.print("no decoy flagged")
