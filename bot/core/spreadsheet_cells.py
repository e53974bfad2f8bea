"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV Injection").

Exports hold what villagers and recruiters typed. Excel, LibreOffice and Google Sheets treat a
cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK`
to leak the sheet, `=cmd|'/c calc'!A0` via DDE), so such a text cell gets a leading
apostrophe, and every cell is quoted so a separator inside it cannot start a new cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell that cannot start a formula; numbers and booleans pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` with every cell neutralised and quoted."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([neutralise(cell) for cell in row])


class SafeDictWriter:
    """`csv.DictWriter` with every cell neutralised and quoted."""

    def __init__(self, out: TextIO, fieldnames: Iterable[str]) -> None:
        self._writer = csv.DictWriter(out, fieldnames=list(fieldnames), quoting=csv.QUOTE_ALL)

    def writeheader(self) -> None:
        """Write the header row."""
        self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> None:
        """Write one row."""
        self._writer.writerow({key: neutralise(value) for key, value in row.items()})
