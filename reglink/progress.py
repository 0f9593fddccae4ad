"""Stage progress on the terminal: a live bar per stage, then a table of where the time went."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table


@contextmanager
def stage_printer(console: Console, title: str = "stage") -> Iterator[Callable[[str], None]]:
    """Yield ``say(stage)``; each call completes the previous stage's bar and starts one.

    Splink reports no fraction done, so a running stage's bar pulses with its elapsed time;
    when the block ends, a table gives each stage's seconds and share of the total. Where the
    output is not a terminal (a batch job's log), each stage prints a line as it finishes.
    """
    timings: list[tuple[str, float]] = []
    current: list[tuple[str, float, TaskID]] = []
    started = time.perf_counter()
    progress = Progress(
        SpinnerColumn(finished_text="[green]✓[/]"),
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )

    def finish() -> None:
        if current:
            name, since, task = current.pop()
            seconds = time.perf_counter() - since
            progress.update(task, total=1, completed=1)
            progress.stop_task(task)
            timings.append((name, seconds))
            if not live:
                console.print(f"  done {name} ({seconds:.1f} s)")

    def say(stage: str) -> None:
        finish()
        task = progress.add_task(stage, total=None)
        current.append((stage, time.perf_counter(), task))

    live = console.is_terminal
    with progress if live else contextlib.nullcontext():
        try:
            yield say
        finally:
            finish()
    total = time.perf_counter() - started
    console.print(_timing_table(timings, total, title))


def _timing_table(timings: list[tuple[str, float]], total: float, title: str) -> Table:
    table = Table(title="Timings", show_footer=True)
    table.add_column(title, footer="total")
    table.add_column("seconds", justify="right", footer=f"{total:.1f}")
    table.add_column("share", justify="right", footer="100%")
    for name, seconds in timings:
        share = seconds / total if total > 0 else 0.0
        table.add_row(name, f"{seconds:.1f}", f"{share:.0%}")
    return table
