"""Money in informal Indonesian: amounts, currencies, pay periods, rough rupiah values."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu.amounts import (
    Money,
    amount_role,
    find_amounts,
    load_rates,
    parse_number,
    pay_period,
    per_month,
    rates_path,
    to_idr,
    words_to_number,
)

AMOUNTS = [
    ("gaji 15jt", [(15e6, "IDR")]),
    ("gaji 15 jt", [(15e6, "IDR")]),
    ("15 juta sebulan", [(15e6, "IDR")]),
    ("Rp 15.000.000", [(15e6, "IDR")]),
    ("Rp. 15.000.000,-", [(15e6, "IDR")]),
    ("Rp15jt", [(15e6, "IDR")]),
    ("IDR 8,5 juta", [(8.5e6, "IDR")]),
    ("8,5jt", [(8.5e6, "IDR")]),
    ("2.5jt", [(2.5e6, "IDR")]),
    ("500rb", [(5e5, "IDR")]),
    ("500 ribu", [(5e5, "IDR")]),
    ("500k", [(5e5, "IDR")]),
    ("$1500", [(1500, "USD")]),
    ("$1.500/bln", [(1500, "USD")]),
    ("gaji 1500 dolar", [(1500, "USD")]),
    ("1.500 dolar", [(1500, "USD")]),
    ("USD 1,200", [(1200, "USD")]),
    ("1200 usd", [(1200, "USD")]),
    ("gaji 300$ seminggu", [(300, "USD")]),
    ("RM 3000", [(3000, "MYR")]),
    ("RM3k sebulan", [(3000, "MYR")]),
    ("3.000 ringgit", [(3000, "MYR")]),
    ("20 ribu baht", [(20000, "THB")]),
    ("NT$27.470", [(27470, "TWD")]),
    ("HK$4,990", [(4990, "HKD")]),
    ("SGD 1.500", [(1500, "SGD")]),
    ("SAR 1.500", [(1500, "SAR")]),
    ("2 juta won", [(2e6, "KRW")]),
    ("lima belas juta", [(15e6, "IDR")]),
    ("seratus dua puluh ribu rupiah", [(120000, "IDR")]),
    ("1,5M", [(1.5e9, "IDR")]),
    ("gaji 15.000.000 per bulan", [(15e6, "IDR")]),
    ("Rp 8-12 juta", [(8e6, "IDR"), (12e6, "IDR")]),
    ("USD 1.000-1.200", [(1000, "USD"), (1200, "USD")]),
    ("gaji 15jt-20jt", [(15e6, "IDR"), (20e6, "IDR")]),
    ("biaya admin 2jt, gaji RM1.800", [(2e6, "IDR"), (1800, "MYR")]),
    # Not money: ages, phone numbers, years, weights, counts.
    ("usia 18-35 thn, WA 0812-0000-1234", []),
    ("berangkat 2025, butuh 20 orang", []),
    ("berat 5kg, tinggi 160 cm", []),
    ("dua orang saja", []),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_find_amounts(text: str, expected: list[tuple[float, str]]) -> None:
    found = [(m.value, m.currency) for m in find_amounts(text)]
    assert found == [(pytest.approx(v), c) for v, c in expected]


def test_amount_positions_point_into_the_text() -> None:
    text = "Gaji Rp 15.000.000 per bulan"
    (money,) = find_amounts(text)
    assert text[money.start:money.end] == money.text == "Rp 15.000.000"


@pytest.mark.parametrize(("raw", "value"), [
    ("15.000.000", 15e6), ("8,5", 8.5), ("1,200", 1200), ("2.5", 2.5), ("15.000,50", 15000.5),
    ("1,200.75", 1200.75), ("27470", 27470),
])
def test_parse_number_reads_separators_as_people_mean_them(raw: str, value: float) -> None:
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize(("words", "value"), [
    ("lima belas juta", 15e6), ("dua puluh lima ribu", 25e3), ("seratus dua puluh", 120),
    ("satu juta lima ratus ribu", 1.5e6), ("seribu", 1e3), ("sebelas juta", 11e6),
    ("juta", None),
])
def test_words_to_number(words: str, value: float | None) -> None:
    assert words_to_number(words) == value


@pytest.mark.parametrize(("text", "period"), [
    ("gaji 15jt/bln", "month"), ("gaji 15jt per bulan", "month"), ("$1.500/bln", "month"),
    ("gaji sebulan 15jt", "month"), ("RM90 sehari", "day"), ("gaji 500rb per hari", "day"),
    ("300$ seminggu", "week"), ("gaji 180jt setahun", "year"), ("RM10 per jam", "hour"),
    ("gaji 15jt", None), ("gaji 15jt, berangkat minggu ini", None),
])
def test_pay_period(text: str, period: str | None) -> None:
    money = find_amounts(text)[0]
    assert pay_period(text, money) == period


@pytest.mark.parametrize(("text", "role"), [
    ("Gaji 15jt", "salary"), ("gaji pokok 8jt", "salary"), ("biaya admin 2jt", "fee"),
    ("bonus 5jt", "fee"), ("target 60 juta", "fee"), ("ADMIN KAMBOJA 15JT", None),
])
def test_amount_role(text: str, role: str | None) -> None:
    assert amount_role(text, find_amounts(text)[0]) == role


def test_per_month_scales_other_periods() -> None:
    assert per_month(100, None) == 100
    assert per_month(100, "day") == 2600
    assert per_month(1200, "year") == pytest.approx(100)


def test_to_idr_uses_the_rates_file() -> None:
    rates = load_rates()
    assert to_idr(Money(1500, "USD", "$1500", 0, 5)) == 1500 * rates["USD"]
    assert to_idr(Money(15e6, "IDR", "15jt", 0, 4)) == 15e6
    with pytest.raises(KeyError):
        to_idr(Money(1, "XYZ", "1 xyz", 0, 5), rates)


def test_rates_file_says_it_is_approximate_and_where_it_comes_from() -> None:
    data = yaml.safe_load(rates_path().read_text(encoding="utf-8"))
    assert data["approximate"] is True
    assert data["date"] and data["source"]
    currencies = {"IDR", "USD", "MYR", "THB", "SGD", "TWD", "HKD", "KRW", "JPY", "SAR"}
    assert currencies <= set(load_rates())


def test_a_broken_rates_file_is_a_value_error(tmp_path: Path) -> None:
    broken = tmp_path / "rates.yml"
    broken.write_text("rates:\n  USD: -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="USD"):
        load_rates(broken)
