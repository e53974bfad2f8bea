"""Contact identifiers in an offer: phones, WhatsApp and Telegram links, handles, links, companies.

One shared identifier puts two texts in the same campaign, so each is normalised to one
spelling: phones to E.164 whatever the formatting ("0812-7713-4402", "+62 812 7713 4402",
"wa.me/6281277134402"), handles and links lower-cased without their scheme, companies without
their legal form and punctuation ("PT. Samudra Bahari Jaya" -> "samudra bahari jaya").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

REGION = "ID"  # numbers without a country code are Indonesian


@dataclass(frozen=True, order=True)
class Contact:
    """One identifier: kind is phone, handle, link, email or company; value is normalised."""

    kind: str
    value: str

    def __str__(self) -> str:
        """How an officer reads it."""
        return {"phone": self.value, "handle": "@" + self.value}.get(self.kind, self.value)


_WA_LINK = re.compile(r"(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?(\d{8,15})", re.I)
_TG_LINK = re.compile(r"(?:t\.me|telegram\.me)/(?:joinchat/|\+)?([a-z0-9_]{4,32})", re.I)
_HANDLE = re.compile(r"(?<![\w@.])@([a-z0-9_](?:[a-z0-9_.]{2,30}[a-z0-9_]))", re.I)
_BARE_HANDLE = re.compile(r"(?<![\w@./])([a-z][a-z0-9]*(?:[_.][a-z0-9]+)+)(?![\w@/])", re.I)
_ACCOUNT_WORD = re.compile(r"(?:akun|ig|instagram|telegram|tele|tg|username|id|fb|tiktok)\W{0,3}$",
                           re.I)
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.I)
_DIGIT_LOOKALIKES = re.compile(r"(?<=\d)[oOlI](?=[\d\s.-]*\d)|(?<=\d[\s.-])[oOlI](?=\d)")
_LINK = re.compile(r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|id|net|org|co|ly|me|link|"
                   r"site|xyz|info|online|asia|biz|io|cc|top|vip|club|shop|in|my|sg|kh|th|vn)"
                   r"(?:/[\w\-./?=&%]*)?)", re.I)
_DIGITS = re.compile(r"\+?\d[\d\s.\-()]{6,18}\d")
_COMPANY_PREFIX = re.compile(
    r"(?<!\w)(?:pt|cv|lpk|yayasan|travel|koperasi|agensi|agency)\.?\s+((?:[a-z][a-z0-9&'-]*\s?)"
    r"{1,4})", re.I)
_COMPANY_SUFFIX = re.compile(
    r"((?:[A-Z][a-zA-Z0-9&'-]+\s){1,3})(?:Center|Centre|Crewing|Recruitment|Recruiting|Agency|"
    r"Link|Manpower|Career|Careers|Crew|Jobs|Group|Official|Indonesia)(?!\w)")
_INSTITUTION = {"pekerja", "migran", "republik", "kedutaan", "besar", "badan", "kementerian",
                "kantor", "pelindungan", "perlindungan", "bank", "pos", "negara", "konsulat",
                "warga", "tenaga", "kerja", "seluruh", "rakyat", "bangsa"}
_COMPANY_STOP = {
    "buka", "membuka", "lowongan", "loker", "mencari", "cari", "merekrut", "rekrut", "untuk",
    "yang", "di", "ke", "resmi", "dengan", "gaji", "kerja", "hubungi", "hub", "wa", "info",
    "telp", "cabang", "izin", "p3mi", "rekrutmen", "umroh", "sekalian", "sambil", "ngajak",
    "nawarin", "menawarkan", "minta", "bilang", "katanya", "kontak", "daftar", "via", "dan",
    "atau", "buat", "jadi", "anak", "program", "pelatihan", "kelas", "official", "dari",
    "mengajak", "ditawari", "minat", "chat", "tel", "no", "nomor", "nomer", "bisa"}
_LEGAL_WORDS = {"pt", "cv", "lpk", "tbk", "persero", "yayasan", "travel", "koperasi", "agensi",
                "agency", "official"}
_NOT_HANDLES = re.compile(r"^(?:\d|[a-z]\.[a-z]$)|\.(?:com|id|net|org|co|ly|me|link|site|xyz|"
                          r"info|online|asia|biz|io|cc)(?:\.|$)")


def phones(text: str) -> set[str]:
    """E.164 numbers in any spelling; Indonesian when no country code is written."""
    found = {phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
             for m in phonenumbers.PhoneNumberMatcher(text, REGION)}
    candidates = [f"+{m}" for m in _WA_LINK.findall(text)] + _DIGITS.findall(text)
    for raw in candidates:
        number = _parse(raw)
        if number:
            found.add(number)
    return found


def _parse(raw: str) -> str | None:
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("62") and not digits.startswith("+"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def handles(text: str) -> set[str]:
    """Telegram or Instagram accounts: @name, t.me/name, and names like hr_goldenbay."""
    found = {h.lower().rstrip(".") for h in _HANDLE.findall(text) + _TG_LINK.findall(text)}
    plain = _LINK.sub(" ", _TG_LINK.sub(" ", _EMAIL.sub(" ", text)))
    for m in _BARE_HANDLE.finditer(plain):
        name = m.group(1).lower()
        named = "_" in name or bool(_ACCOUNT_WORD.search(plain[max(0, m.start() - 14):m.start()]))
        if named and not _NOT_HANDLES.search(name) and len(name) >= 6:
            found.add(name)
    return found


_SHORTENERS = {"bit.ly", "s.id", "tinyurl.com", "linktr.ee", "cutt.ly", "shorturl.at", "rb.gy",
               "forms.gle", "docs.google.com", "facebook.com", "fb.com", "instagram.com",
               "tiktok.com", "youtube.com", "linkedin.com", "wa.link", "lynk.id"}
_NOT_CONTACTS = ("wa.me", "t.me", "telegram.me", "api.whatsapp.com")
_WEBMAIL = {"gmail.com", "yahoo.com", "yahoo.co.id", "hotmail.com", "outlook.com", "ymail.com",
            "icloud.com", "mail.com", "live.com", "proton.me", "protonmail.com"}
_OFFICIAL = re.compile(r"\.go\.id$|(?:^|\.)(?:bp2mi|kp2mi|kemnaker|imigrasi|kemlu)\.")


def links(text: str) -> set[str]:
    """Other links: the site, or the full path on shorteners and social sites.

    Official sites (.go.id) are left out: a warning and an advert that both say "cek di
    bp2mi.go.id" are not one campaign.
    """
    found = set()
    for m in _LINK.finditer(_EMAIL.sub(_email_domain, text)):
        link = m.group(1).lower().rstrip("/.")
        site, _, path = link.partition("/")
        if site.startswith(_NOT_CONTACTS) or _OFFICIAL.search(site) or site in _WEBMAIL:
            continue
        if site in _SHORTENERS:
            if path:  # a shortener or social site on its own names nobody
                found.add(link)
            continue
        found.add(site)
    return found


def _email_domain(match: re.Match[str]) -> str:
    """An address at a company's own domain names the company's site too."""
    return " " + match.group(0).rpartition("@")[2] + " "


def emails(text: str) -> set[str]:
    """E-mail addresses, lower-cased."""
    return {m.lower().rstrip(".") for m in _EMAIL.findall(text)}


def companies(text: str) -> set[str]:
    """Company or agency names, without the legal form ("PT", "LPK") and in lower case."""
    names = set()
    for m in _COMPANY_PREFIX.finditer(text):
        names.add(_company_words(m.group(1).split()))
    for m in _COMPANY_SUFFIX.finditer(text):
        words = m.group(0).split()
        if words[0].lower() not in _COMPANY_STOP and not _INSTITUTION & {
                w.lower() for w in words}:
            names.add(_company_words(words))
    return {n for n in names if len(n) >= 5}


def _company_words(words: list[str]) -> str:
    kept = []
    for word in words:
        word = word.strip(".,'").lower()
        if word in _COMPANY_STOP:
            break
        if word not in _LEGAL_WORDS:
            kept.append(word)
    return " ".join(kept)


def extract(text: str) -> frozenset[Contact]:
    """Every identifier in a text; the same set for every spelling of the same contacts."""
    text = unicodedata.normalize("NFKC", text)
    found = {Contact("phone", p) for p in phones(_DIGIT_LOOKALIKES.sub(_digit, text))}
    found |= {Contact("handle", h) for h in handles(text)}
    found |= {Contact("link", link) for link in links(text)}
    found |= {Contact("email", address) for address in emails(text)}
    found |= {Contact("company", c) for c in companies(text)}
    return frozenset(found)


def _digit(match: re.Match[str]) -> str:
    return "0" if match.group(0) in "oO" else "1"


def without_contacts(text: str) -> str:
    """The text with its identifiers blanked, so that a copied template reads as a copy."""
    text = _WA_LINK.sub(" ", unicodedata.normalize("NFKC", text))
    text = _EMAIL.sub(" ", text)
    text = _TG_LINK.sub(" ", text)
    text = _LINK.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    return _DIGITS.sub(" ", text)
