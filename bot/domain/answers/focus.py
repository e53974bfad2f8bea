"""What a question asks for (its focus) and what kind of value a fact states.

A villager's question asks for one kind of thing: a number ("berapa"), a sum of money ("biaya
... berapa"), a length of time or an age ("berapa tahun", "umur minimal"), a date ("kapan",
"sejak"), a law article ("pasal berapa"), a phone number ("nomor", "hotline", "wa"), a site or
an app ("aplikasi", "lewat mana") or a name ("siapa", "namanya"). Each fact's value is of one
or more of those kinds. An answer that states no fact of the asked kind does not answer the
question, however many of its words it shares: "hotline kemlu 24 jam itu berapa" is not
answered by a statement of how many cases the ministry handled.

The question words are few and closed (Indonesian interrogatives and the nouns that name a
kind of value), after `nlu.normalize` has mapped villagers' spellings ("brp", "nomer", "thn").
"""

from __future__ import annotations

import re

NUMBER, MONEY, TIME, DATE, ARTICLE, PHONE, LINK, NAME = (
    "number", "money", "time", "date", "article", "phone", "link", "name")
# the kinds a question's focus accepts: money, time and dates are numbers too
ACCEPTS = {
    NUMBER: frozenset({NUMBER, MONEY, TIME, DATE}),
    MONEY: frozenset({MONEY}),
    TIME: frozenset({TIME}),
    DATE: frozenset({DATE, TIME}),
    ARTICLE: frozenset({ARTICLE}),
    PHONE: frozenset({PHONE}),
    LINK: frozenset({LINK, NAME}),
    NAME: frozenset({NAME, LINK, ARTICLE, PHONE}),
}

_HOW_MANY = r"(?:berapa(?:an)?|jumlah(?:nya)?)"
# the order matters: the most specific focus first ("pasal berapa" is an article, not a number)
_FOCUS = (
    (ARTICLE, re.compile(r"\bpasal(?:nya)?\b|\b(?:uu|undang|aturan|peraturan|dasar hukum|permen|"
                         r"permenaker|perban|pp|perpres|perda)\w*\s+(?:apa|mana|nomor|berapa)\b"
                         r"|\bdiatur\s+(?:di|dalam|oleh)?\s*(?:apa|mana)\b"
                         # "kepmenaker nomor brp", "uu tppo itu nomer brp thn brp": a law's
                         # name, a few words, then which number
                         r"|\b(?:uu|undang\w*|permen\w*|kepmen\w*|perban|perpres|keppres|perda|"
                         r"aturan\w*|peraturan\w*|keputusan\w*)\b"
                         r"(?:\s+\S+){0,4}?\s+(?:nomor|no)\s+(?:berapa|apa)\b")),
    (DATE, re.compile(r"\b(?:kapan|tanggal\s+berapa|tahun\s+berapa)\b|\bsejak\b(?!\s+\d)")),
    (PHONE, re.compile(r"\b(?:nomor|nomer|hotline|telepon|telpon|telp|call ?center|whatsapp|"
                       r"sms|kontak)(?:nya)?\b"
                       r"(?!\s+(?:paspor|pasal|induk|urut|antrean|antrian))")),
    (LINK, re.compile(r"\b(?:aplikasi|situs|portal|website|web|laman|link|tautan)\b|"
                      r"\blewat\s+(?:apa|mana)\b")),
    (TIME, re.compile(rf"\b{_HOW_MANY}\s+(?:lama|tahun|bulan|hari|jam|minggu)\b|"
                      r"\b(?:umur|usia)\w*\s+(?:\w+\s+){0,2}?(?:berapa|minimal|maksimal|min|maks)\b|"
                      r"\b(?:minimal|maksimal|batas|berapa)\s+(?:umur|usia)\b|\bberapa\s+lama\b")),
    (MONEY, re.compile(r"\b(?:biaya\w*|bayar\w*|harga\w*|tarif\w*|denda\w*|gaji\w*|upah\w*|"
                       r"ongkos\w*|iuran\w*|duit|uang|modal|dana)\b")),
    (NUMBER, re.compile(rf"\b{_HOW_MANY}\b|\bangka\b|\bpersen\b")),
    (NAME, re.compile(r"\b(?:siapa|namanya|nama|singkatan\w*|kepanjangan\w*|kependekan\w*|"
                      r"apa namanya)\b"
                      # "diserahkan ke kementerian apa", "kerja di kawasan apa", "kota mana"
                      r"|\b(?:lembaga|kementerian|instansi|badan|kantor|dinas|organisasi|kota|"
                      r"kawasan|daerah|wilayah|provinsi|program|warna)\s+(?:apa|mana)\b")),
)
_NEEDS_HOW_MANY = frozenset({MONEY})  # "biaya" alone may ask whether, not how much

_MONEY_RE = re.compile(r"(?:rp|usd|us\$|nt\$|hk\$|s\$|rm|sgd|twd|hkd|myr|krw|jpy|sar|won|yen|"
                       r"dolar|dollar|ringgit|riyal|euro|€|\$)\s?\d|\d\s?(?:juta|miliar|ribu|"
                       r"dolar|ringgit|won|yen)\b|gratis|tanpa biaya|dibebaskan", re.I)
_ARTICLE_RE = re.compile(r"\b(?:pasal|uu|pp|perban|permen\w*|perpres|keppres|perda|kepmen\w*|"
                         r"undang-undang|peraturan)\b", re.I)
_PHONE_RE = re.compile(r"^\+?[\d\s\-()]{6,}$|^\+\d|^0\d{2,}")
_LINK_RE = re.compile(r"https?://|www\.|\.(?:go\.id|id|com|org|net)\b", re.I)
_TIME_RE = re.compile(r"^\s*(?:tahun|thn|bulan|hari|jam|minggu)\b", re.I)
_MONTH_RE = re.compile(r"\b(?:januari|februari|maret|april|mei|juni|juli|agustus|september|"
                       r"oktober|november|desember)\b", re.I)
_NAME_RE = re.compile(r"[A-Z]")  # a name is written with a capital; a claim is not
_YEAR_RE = re.compile(r"^(?:19[5-9]\d|20[0-3]\d)$")
# a name inside a statement, not its first word: "Menteri P2MI Mukhtarudin", "One Channel System"
_PROPER_RE = re.compile(r"(?<=[\s(])[A-Z][\w\-]+")
_FIGURE_RE = re.compile(r"\+?\d[\d.,\-]*\d|\d")
# the year of a rule's number, just before the figure: "9/2020", "Nomor 4 Tahun 2023"
_LAW_YEAR_RE = re.compile(r"(?:\d/|\b(?:nomor|no\.?)\s*\d+\s+tahun\s+)$", re.I)
_PHONE_WORDS = re.compile(r"\b(?:nomor|hotline|telepon|call center|contact center|whatsapp|wa|"
                          r"sms|layanan|hubungi|kontak|darurat|pengaduan)\b\W*(?:\w+\W+){0,2}$",
                          re.I)

# a number like a year right after the name of a line is the line: "Layanan 1955 Kemnaker Taiwan"
_LINE_BEFORE = re.compile(r"\b(?:nomor|hotline|telepon|call center|whatsapp|sms|layanan|"
                          r"kontak|pengaduan)\W*$", re.I)


def focus(normalized: str) -> str | None:
    """The kind of value a normalised question asks for, or None (an explanation, yes or no)."""
    how_many = re.search(rf"\b{_HOW_MANY}\b", normalized) is not None
    for kind, pattern in _FOCUS:
        if pattern.search(normalized) and (kind not in _NEEDS_HOW_MANY or how_many):
            return kind
    return None


def value_kinds(value: str, statement: str) -> frozenset[str]:
    """The kinds of what a fact states: its value's, and those of the statement's figures.

    Values are often bare ("18", "110"): the statement says it is an age ("18 tahun") or a
    phone number ("hotline polisi 110"). A generated answer is the whole statement, so every
    figure in it is stated ("paling lama 10 tahun" in a fact whose value is the article).
    """
    kinds = set(_kinds(value.strip(), statement))
    for match in _FIGURE_RE.finditer(statement):
        if _LAW_YEAR_RE.search(statement, 0, match.start()) and _YEAR_RE.match(match[0]):
            continue  # "Perban 9/2020" names a rule; it does not say when anything happened
        kinds |= _kinds(match[0], statement)
    if _ARTICLE_RE.search(statement):
        kinds.add(ARTICLE)
    if _LINK_RE.search(statement):
        kinds.add(LINK)
    return frozenset(kinds)


def names_something(statement: str) -> bool:
    """True when a statement names someone or something besides its value.

    A fact's value is often a date or a figure ("diluncurkan 2018") while its statement names
    the app, the minister or the town a villager asks about ("aplikasi Safe Travel"). Such a
    statement may answer a question asking for a name (`FactSearch.search`'s `loose`), though
    its value is of another kind; capitalised words are common, so only where the NLU did not
    find the message off-topic or a feature's.
    """
    return _PROPER_RE.search(statement) is not None


def _kinds(value: str, statement: str) -> set[str]:
    """The kinds of one value, read from it and the words around it in the statement."""
    kinds: set[str] = set()
    after, before = _around(value, statement)
    if _ARTICLE_RE.search(value):
        kinds.add(ARTICLE)
    if _LINK_RE.search(value):
        kinds.add(LINK)
    digits = re.sub(r"\D", "", value)
    if not digits:
        if _NAME_RE.search(value):  # "Safe Travel", "SIP3MI"; not "tidak menjamin penempatan"
            kinds.add(NAME)
        return kinds
    if (_PHONE_RE.search(value) and not re.search(r"\d[.,]\d{3}\b", value)) or (
            len(digits) >= 3 and not _YEAR_RE.match(value) and _PHONE_WORDS.search(before)) or (
            _YEAR_RE.match(value) and _LINE_BEFORE.search(before)):
        kinds.add(PHONE)
    if _MONEY_RE.search(value) or _MONEY_RE.search(before[-6:] + value + after[:10]):
        kinds.add(MONEY)
    if _TIME_RE.search(after):
        kinds.add(TIME)
    if _YEAR_RE.match(value) or _MONTH_RE.search(value) or _MONTH_RE.search(before[-12:]):
        kinds.add(DATE)
    if not kinds & {ARTICLE, LINK, PHONE} or kinds & {MONEY, TIME}:
        kinds.add(NUMBER)
    return kinds


def _around(value: str, statement: str) -> tuple[str, str]:
    """The text just after and just before the value's first place in its statement."""
    at = statement.lower().find(value.lower())
    if at < 0:
        return "", statement[:40]
    return statement[at + len(value):at + len(value) + 12], statement[max(0, at - 40):at]
