"""CSV cells that a spreadsheet shows as text and never runs as a formula.

A villager's report can contain "=HYPERLINK(...)" or "@SUM(...)"; opened in Excel or LibreOffice
an export would run it. A cell that starts like a formula gets a leading apostrophe (OWASP's
advice for CSV injection), which spreadsheets hide and scripts can strip.
"""

from __future__ import annotations

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
