"""One progress line per stage, with its time."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Progress:
    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.notes: dict[str, str] = {}

    def say(self, line: str) -> None:
        if not self.quiet:
            print(line, file=sys.stderr, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage; a note set by the stage via `note()` is printed after the time."""
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        note = self.notes.pop(name, "")
        self.say(f"  {name:<12} {elapsed:6.2f}s  {note}".rstrip())

    def note(self, stage: str, text: str) -> None:
        self.notes[stage] = text
