"""CSV cells never run as formulas in a spreadsheet."""

from __future__ import annotations

import pytest

from bot.core.spreadsheet import safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-2+3", "@SUM(A1)", "\t=1", "＝1"])
def test_formula_starts_are_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Desa Kelong", "LP-ABC", "", 5, -3, 0.5, None])
def test_everything_else_is_untouched(value: object) -> None:
    assert safe_cell(value) == value
