"""Money amounts in informal Indonesian and Malay: "15jt", "Rp 15.000.000", "$1.500/bln".

Job offers state pay in many shapes and currencies, and the offer checker compares pay levels
across them, so every amount is parsed with its currency (ISO code) and its position in the
text. Bare numbers ("usia 18-35", phone numbers, years) are not amounts: a number counts only
with a currency marker, a multiplier ("jt", "rb", "k") or full thousands grouping from 100.000.

Conversion to rupiah uses the rough rates in ``content/id/offers/rates.yml``. They are
approximate on purpose: the checker only asks "is this pay far above what such work pays?".
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

RATES_FILE = Path("id") / "offers" / "rates.yml"
_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Money:
    """One amount found in a text; ``start``/``end`` index the text it was found in."""

    value: float
    currency: str
    text: str
    start: int
    end: int


# Longest alternatives first, so "us$" wins over "$" and "dolar singapura" over "dolar".
_PREFIX = {
    "rp.": "IDR", "rp": "IDR", "idr": "IDR", "us$": "USD", "usd": "USD", "$": "USD",
    "rm": "MYR", "myr": "MYR", "sgd": "SGD", "sg$": "SGD", "s$": "SGD", "ntd": "TWD",
    "nt$": "TWD", "twd": "TWD", "hkd": "HKD", "hk$": "HKD", "krw": "KRW", "₩": "KRW",
    "jpy": "JPY", "¥": "JPY", "sar": "SAR", "thb": "THB", "฿": "THB", "usdt": "USD",
    "eur": "EUR", "€": "EUR", "aud": "AUD", "au$": "AUD", "a$": "AUD", "bnd": "BND",
    "b$": "BND", "qar": "QAR", "aed": "AED", "kwd": "KWD", "pln": "PLN", "php": "PHP",
    "₱": "PHP", "₺": "TRY",
}
_SUFFIX = {
    "rupiah": "IDR", "rp": "IDR", "idr": "IDR", "dolar singapura": "SGD",
    "dollar singapura": "SGD", "dolar taiwan": "TWD", "dolar hong kong": "HKD",
    "dolar hk": "HKD", "dolar as": "USD", "dolar amerika": "USD", "dolar": "USD",
    "dollar": "USD", "usd": "USD", "ringgit": "MYR", "rm": "MYR", "myr": "MYR",
    "baht": "THB", "thb": "THB", "sgd": "SGD", "ntd": "TWD", "twd": "TWD", "hkd": "HKD",
    "won": "KRW", "krw": "KRW", "yen": "JPY", "jpy": "JPY", "riyal": "SAR", "rial": "SAR",
    "sar": "SAR", "$": "USD", "usdt": "USD", "euro": "EUR", "eur": "EUR", "€": "EUR",
    "dolar australia": "AUD", "dollar australia": "AUD", "aud": "AUD", "dolar brunei": "BND",
    "dollar brunei": "BND", "ringgit brunei": "BND", "bnd": "BND", "riyal qatar": "QAR",
    "rial qatar": "QAR", "qar": "QAR", "dirham": "AED", "aed": "AED", "dinar kuwait": "KWD",
    "dinar": "KWD", "kwd": "KWD", "zloty": "PLN", "pln": "PLN", "peso": "PHP", "php": "PHP",
    "lira": "TRY",
}
_MULT = {
    "rb": 1e3, "ribu": 1e3, "rebu": 1e3, "ewu": 1e3, "k": 1e3, "jt": 1e6, "jta": 1e6,
    "juta": 1e6, "jeti": 1e6, "m": 1e9, "milyar": 1e9, "miliar": 1e9, "milliar": 1e9,
}
_ATTACHED_ONLY = {"k", "m"}  # "500k", "1,5M"; "5 m" is more likely metres


def _alt(words: dict[str, object]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"\d+(?:[.,]\d+)*"
_RANGE = r"\s?(?:-|–|~|s/d|s\.d\.?|sd|sampai|hingga|to)\s?"
_AMOUNT_RE = re.compile(
    rf"(?<![\w$¥₩฿])(?:(?P<pre>{_alt(_PREFIX)})\s?)?(?<![\d.,])(?P<num>{_NUM})"
    rf"(?:(?P<range>{_RANGE})(?:(?:{_alt(_PREFIX)})\s?)?(?P<num2>{_NUM}))?"
    rf"(?:(?P<sp>\s?)(?P<mult>{_alt(_MULT)})(?![a-z]))?"
    rf"(?:\s?(?P<post>{_alt(_SUFFIX)})(?![a-z]))?(?![\w])",
    re.IGNORECASE,
)

_UNITS = {"nol": 0, "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
          "enam": 6, "tujuh": 7, "delapan": 8, "lapan": 8, "sembilan": 9}
_FIXED = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_SCALES = {"ribu": 1e3, "seribu": 1e3, "juta": 1e6, "sejuta": 1e6, "miliar": 1e9,
           "milyar": 1e9}
_WORDS = {**_UNITS, **_FIXED, **_SCALES, "belas": 0, "puluh": 0, "ratus": 0}
_WORDS.pop("se")
_WORD_RE = re.compile(
    rf"\b(?:{_alt(_WORDS)})(?:\s+(?:{_alt(_WORDS)}))*\b(?:\s+(?P<post>{_alt(_SUFFIX)})\b)?",
    re.IGNORECASE,
)


def parse_number(raw: str) -> float:
    """Read "15.000.000", "8,5", "1,200", "2.5" or "15.000,50" the way people mean them.

    A separator followed by exactly three digits groups thousands; anything else is the
    decimal mark. With both marks present, the last one is the decimal mark.
    """
    if "." in raw and "," in raw:
        decimal = "." if raw.rfind(".") > raw.rfind(",") else ","
        whole, frac = raw.rsplit(decimal, 1)
        return float(re.sub(r"[.,]", "", whole) + "." + frac)
    parts = re.split(r"[.,]", raw)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    if len(parts) == 2:
        return float(parts[0] + "." + parts[1])
    return float("".join(parts))


def _is_grouped(raw: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw))


def _digit_amounts(text: str) -> list[Money]:
    found: list[Money] = []
    for m in _AMOUNT_RE.finditer(text):
        pre, mult, post = m.group("pre"), m.group("mult"), m.group("post")
        if mult and mult.lower() in _ATTACHED_ONLY and m.group("sp"):
            mult = None
        num = m.group("num")
        if not (pre or mult or post) and not (_is_grouped(num) and parse_number(num) >= 1e5):
            continue
        currency = _PREFIX.get((pre or "").lower()) or _SUFFIX.get((post or "").lower(), "IDR")
        factor = _MULT[mult.lower()] if mult else 1.0
        if m.group("num2"):
            split = m.start("range")
            found.append(Money(parse_number(num) * factor, currency, text[m.start():split],
                               m.start(), split))
            found.append(Money(parse_number(m.group("num2")) * factor, currency,
                               text[m.end("range"):m.end()], m.end("range"), m.end()))
        else:
            found.append(Money(parse_number(num) * factor, currency, m.group(0), m.start(),
                               m.end()))
    return found


def words_to_number(words: str) -> float | None:
    """Value of Indonesian number words: "lima belas juta" is 15000000; None if not a number."""
    total, current, last = 0.0, 0.0, 0.0
    tokens = words.lower().split()
    if not tokens or all(t in _SCALES and not t.startswith("se") for t in tokens):
        return None
    for token in tokens:
        if token in _UNITS or token in _FIXED:
            last = float(_UNITS.get(token, _FIXED.get(token, 0)))
            current += last
        elif token == "belas":
            current += 10
        elif token in {"puluh", "ratus"}:
            current += last * (10 if token == "puluh" else 100) - last
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current, last = 0.0, 0.0
    return total + current


def _word_amounts(text: str) -> list[Money]:
    found: list[Money] = []
    for m in _WORD_RE.finditer(text):
        words = m.group(0)[: m.start("post") - m.start()] if m.group("post") else m.group(0)
        has_scale = any(t in _SCALES for t in words.lower().split())
        value = words_to_number(words)
        if value is None or not (has_scale or m.group("post")):
            continue
        currency = _SUFFIX.get((m.group("post") or "").lower(), "IDR")
        found.append(Money(value, currency, m.group(0), m.start(), m.end()))
    return found


def find_amounts(text: str) -> list[Money]:
    """Every money amount in ``text``, in order; digits win over overlapping number words."""
    digits = _digit_amounts(text)
    words = [w for w in _word_amounts(text)
             if not any(d.start < w.end and w.start < d.end for d in digits)]
    return sorted(digits + words, key=lambda money: money.start)


_PERIODS = (
    ("month", r"(?:per|/|tiap|setiap)\s?(?:bulan|bln|bl|month|mo|sasi)|sebulan|perbulan|"
              r"bulanan|sewulan|a month|monthly"),
    ("day", r"(?:per|/|tiap|setiap)\s?(?:hari|hr|day|dino)|sehari|perhari|harian|daily"),
    ("week", r"(?:per|/|tiap|setiap)\s?(?:minggu|mgg|week)|seminggu|perminggu|mingguan|weekly"),
    ("year", r"(?:per|/|tiap|setiap)\s?(?:tahun|thn|th|year)|setahun|pertahun|tahunan|yearly"),
    ("hour", r"(?:per|/|tiap|setiap)\s?(?:jam|hour|jm)|sejam|perjam|hourly"),
)
_PERIOD_AFTER = [(name, re.compile(rf"^[\s,:=-]{{0,3}}(?:{pat})(?!\w)", re.IGNORECASE))
                 for name, pat in _PERIODS]
_PERIOD_BEFORE = [(name, re.compile(rf"(?<!\w)(?:{pat})[\s:=-]{{0,3}}(?:\w+\s?){{0,2}}$",
                                    re.IGNORECASE)) for name, pat in _PERIODS]
_TO_MONTH = {"month": 1.0, "day": 26.0, "week": 4.33, "year": 1 / 12, "hour": 8 * 26.0}


def pay_period(text: str, money: Money) -> str | None:
    """The pay period written next to an amount: month, day, week, year or hour.

    Looks right after the amount first ("15jt/bln", "RM 90 sehari"), then just before it
    ("gaji sebulan 15jt"). None when nothing is said; callers then assume a month, as ads do.
    """
    after = text[money.end: money.end + 20]
    for name, pattern in _PERIOD_AFTER:
        if pattern.search(after):
            return name
    before = text[max(0, money.start - 25): money.start]
    for name, pattern in _PERIOD_BEFORE:
        if pattern.search(before):
            return name
    return None


def per_month(value: float, period: str | None) -> float:
    """Scale an amount to a month (26 working days, 8-hour days); None means monthly."""
    return value * _TO_MONTH.get(period or "month", 1.0)


_SALARY_CUE = r"gaji\w*|gapok|salary|upah|income|penghasilan|pendapatan|bayaran|bayare|" \
              r"take home pay|thp|digaji|dibayar|earning|fee kerja"
_FEE_CUE = r"biaya|bayar|byr|dp|uang muka|deposit|admin fee|fee|ongkos|transfer|tf|jaminan|" \
           r"pendaftaran|daftar|potong|modal|setor|cicil|utang|hutang|denda|ganti rugi|tebus|" \
           r"tip|saku|tiket|visa|paspor|medical|mcu|pelatihan|training|bonus|komisi|insentif|" \
           r"lembur|target|omset|omzet|investasi|ujian"
_CUES = re.compile(rf"(?<!\w)(?:(?P<salary>{_SALARY_CUE})|(?P<fee>{_FEE_CUE}))(?!\w)",
                   re.IGNORECASE)


def amount_role(text: str, money: Money) -> str | None:
    """Whether an amount is pay ("salary"), a cost ("fee") or unmarked (None).

    The nearest cue word before the amount on the same line decides: "gaji 15jt" is pay;
    "biaya admin 2jt", "bonus 5jt" and "target 60 juta" are not.
    """
    line_start = text.rfind("\n", 0, money.start) + 1
    window = text[max(line_start, money.start - 40): money.start]
    cues = list(_CUES.finditer(window))
    if not cues:
        return None
    return "salary" if cues[-1].group("salary") else "fee"


def rates_path() -> Path:
    """Where the rates live; follows DESABOT_CONTENT_DIR like the rest of the content."""
    return Path(os.environ.get("DESABOT_CONTENT_DIR", _ROOT / "content")) / RATES_FILE


@lru_cache(maxsize=4)
def load_rates(path: Path | None = None) -> dict[str, float]:
    """Approximate rupiah per unit of each currency; raises ValueError on a broken file."""
    path = path or rates_path()
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    rates = (data or {}).get("rates") if isinstance(data, dict) else None
    if not isinstance(rates, dict) or not rates:
        raise ValueError(f"{path}: expected a 'rates' mapping of currency: rupiah")
    bad = [code for code, rate in rates.items() if not isinstance(rate, int | float) or rate <= 0]
    if bad:
        raise ValueError(f"{path}: rate(s) must be positive numbers: {', '.join(bad)}")
    return {str(code).upper(): float(rate) for code, rate in rates.items()}


def to_idr(money: Money, rates: dict[str, float] | None = None) -> float:
    """Rough rupiah value of an amount, for comparing pay levels only (never show it as exact).

    Raises:
        KeyError: the currency has no rate in the rates file.
    """
    table = rates if rates is not None else load_rates()
    return money.value * table[money.currency]
