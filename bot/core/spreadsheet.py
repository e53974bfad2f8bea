"""CSV cells that a spreadsheet shows as text and never runs as a formula.

A villager's report can contain "=HYPERLINK(...)" or "@SUM(...)"; opened in Excel or LibreOffice
an export would run it. A cell that starts like a formula gets a leading apostrophe (OWASP's
advice for CSV injection), which spreadsheets hide and scripts can strip.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> object:
    """The value, with an apostrophe in front when a spreadsheet would read it as a formula.

    Numbers stay numbers (a negative count is not a formula); only text is guarded.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: dict[str, object]) -> dict[str, object]:
    """Every cell of a DictWriter row through `safe_cell`."""
    return {key: safe_cell(value) for key, value in values.items()}


class SafeWriter:
    """`csv.writer` with every cell through `safe_cell` and quoted (OWASP: both)."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row."""
        self._writer.writerow([safe_cell(cell) for cell in row])


class SafeDictWriter:
    """`csv.DictWriter` with every cell through `safe_cell` and quoted."""

    def __init__(self, out: TextIO, fieldnames: Iterable[str]) -> None:
        self._writer = csv.DictWriter(out, fieldnames=list(fieldnames), quoting=csv.QUOTE_ALL)

    def writeheader(self) -> None:
        """Write the header row."""
        self._writer.writeheader()

    def writerow(self, row: dict[str, object]) -> None:
        """Write one row."""
        self._writer.writerow(safe_row(row))
