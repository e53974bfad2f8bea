"""Checking that an import streams its file: the peak heap stays flat for ten times the rows."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path


def write_csv(path: Path, header: str, lines: Iterable[str]) -> Path:
    """A generated CSV file: the header line, then one line per item."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(header)
        fh.writelines(lines)
    return path


def peak_bytes(call: Callable[[], object]) -> int:
    """The Python heap's peak while `call` runs (tracemalloc)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def assert_flat(small: int, large: int) -> None:
    """Ten times the rows, at most 1.5 times the peak: reading all rows would be ~10 times."""
    assert large < 1.5 * small + 1_000_000, (small, large)
