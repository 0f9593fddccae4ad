"""Terminal tables for command results."""

from __future__ import annotations

from rich.console import Console
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
        f"in truth but not in the run (rejected) {result.mentions_not_in_run}"
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
