"""Stage progress on the terminal: a spinner for the running stage, a line per finished one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console


@contextmanager
def stage_printer(console: Console) -> Iterator[Callable[[str], None]]:
    """Yield ``say(stage)``; each call closes the previous stage and prints its time."""
    current: list[tuple[str, float]] = []
    started = time.perf_counter()
    with console.status("starting", spinner="dots") as status:

        def finish() -> None:
            if current:
                name, since = current.pop()
                console.print(
                    f"  [green]done[/] {name} [dim]({time.perf_counter() - since:.1f} s)[/]"
                )

        def say(stage: str) -> None:
            finish()
            current.append((stage, time.perf_counter()))
            status.update(stage)

        yield say
        finish()
    console.print(f"  [dim]total {time.perf_counter() - started:.1f} s[/]")
