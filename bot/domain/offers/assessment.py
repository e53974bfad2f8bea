"""The offer checker: is this job offer a way into illegal migration or a scam compound?

Villagers forward recruiters' posts ("LOKER ADMIN KAMBOJA GAJI 15JT, visa turis, tiket
ditanggung"). `assess` reads such a text, extracts its facts, applies the red-flag rules from
content/id/offers/red_flags.yml and returns a risk level with plain reasons and next steps.

Missing a dangerous offer is the worst mistake this module can make, so the rules lean to
caution: one strong sign is enough for "high". Everything here is pure Python; the Telegram
adapter is bot/faces/telegram/handlers/checks.py and the wording of the reply is offer_answers.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.domain.offers import extract as read
from bot.domain.offers import spelling
from bot.domain.offers.extract import negated
from bot.domain.offers.rules import Flag, OfferFacts, Rules, load_rules
from nlu.amounts import find_amounts

__all__ = ["Assessment", "Flag", "OfferFacts", "Rules", "assess", "load_rules", "normalize_offer",
           "offer_text", "read_facts"]

MAX_LABELS = 3


@dataclass(frozen=True)
class Assessment:
    """The verdict on one offer."""

    risk: str  # "high" | "medium" | "low"
    flags: list[Flag]
    facts: OfferFacts
    summary: str  # one plain Indonesian sentence
    advice: list[str]


_SLANG = {"tdk": "tidak", "gk": "tidak", "gak": "tidak", "ga": "tidak", "nggak": "tidak",
          "ngga": "tidak", "enggak": "tidak", "ndak": "tidak", "yg": "yang",
          "dgn": "dengan", "utk": "untuk", "blm": "belum", "sdh": "sudah", "udh": "sudah",
          "udah": "sudah", "krj": "kerja", "kerjo": "kerja", "mangkat": "berangkat",
          "lowker": "loker", "pasport": "paspor", "passport": "paspor", "psp": "paspor",
          "tiada": "tidak ada", "org": "orang", "sy": "saya", "aq": "aku", "dr": "dari",
          "sm": "sama", "aja": "saja", "bs": "bisa", "lg": "lagi", "bln": "bulan",
          "thn": "tahun", "hrs": "harus", "trs": "terus", "krn": "karena", "pelancong": "turis",
          # Malay (adverts for Malaysia and Brunei) and Javanese words the rules read
          "ejen": "agen", "yuran": "biaya", "percuma": "gratis", "takpe": "tidak apa",
          "je": "saja", "mesti": "harus", "iso": "bisa", "isa": "bisa", "nang": "di",
          "ngurusno": "ngurus", "ngurusake": "ngurus", "ngurusi": "ngurus", "kangmas": "kakak",
          "mbakyu": "kakak", "ora": "tidak", "sampeyan": "kamu", "njenengan": "anda",
          "temuduga": "interview",
          # chat spellings of the words the rules read ("brgkt", "lwt", "ga ush")
          "brgkt": "berangkat", "brangkat": "berangkat", "bgkt": "berangkat", "lwt": "lewat",
          "ush": "usah", "hrus": "harus", "nti": "nanti", "ntar": "nanti",
          # Javanese: "visa kerjane engko diurusne kancaku sing nduwe kenalan neng imigresen"
          "engko": "nanti", "mengko": "nanti", "sing": "yang", "nduwe": "punya", "duwe": "punya",
          "kanca": "teman", "konco": "teman", "kancaku": "teman saya", "koncoku": "teman saya",
          "kerjane": "kerjanya", "visane": "visanya", "gajine": "gajinya",
          "diurusne": "diuruskan", "diurusi": "diurus", "imigresen": "imigrasi",
          "gelem": "mau", "gelam": "mau",
          # Javanese, ngoko and krama, in relatives' questions: "ra ono terjemahane", "PL-e
          # nyuwun 12 juta", "perjanjian kerja dereng wonten", "ojo kandha sopo-sopo", "ojo
          # lewat calo" (a negation like "jangan", offers/negation.py)
          "ojo": "jangan", "ra": "tidak", "ono": "ada", "wonten": "ada", "dereng": "belum",
          "durung": "belum",
          "mawon": "saja", "wae": "saja", "mangke": "nanti", "kangge": "untuk",
          "nyuwun": "minta", "njaluk": "minta", "kulo": "saya", "sampun": "sudah",
          "kandha": "bilang", "kondo": "bilang", "jare": "katanya", "kabeh": "semua",
          "terjemahane": "terjemahannya", "tulisane": "tulisannya", "kontrake": "kontraknya"}
_ARROWS = re.compile(r"\s*(?:->|=>|→|⇒|➡|➔|➜|⮕)\s*")
_REDUP = re.compile(r"\b([a-z]{3,})2\b")  # "hati2" -> "hati-hati"
_FORMATTING = re.compile(r"[*_~`|]+")  # WhatsApp *bold* and _italic_
_FLAGS = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_SPACED = re.compile(r"(?<!\w)(?:[a-z] ){3,}[a-z](?!\w)")  # "K A M B O J A" -> "kamboja"
_SENTENCE_END = re.compile(r"(·|[!?]+|\.(?=\s|$))")
WARNING = re.compile(
    r"(?<!\w)(?:waspada\w*|hati-hati|awas|hindari|(?:jangan|jgn|ulah|ojo|aja nganti) (?:mau|"
    r"tergiur|percaya|percoyo|tertipu|berangkat|pergi|terima|terpancing|terjebak|mudah percaya|"
    r"gampang percaya)|bahaya (?:tawaran|loker|lowongan|ajakan|iming-iming|perekrutan|calo)|"
    # "nek ono sing ngajak neng Kamboja, ora usah digubris": whoever invites there, ignore him
    r"(?:yang|sing) (?:ngajak|mengajak|ajak|nawarin|menawarkan|nawari)(?: \w+){0,4},? "
    r"(?:tidak|tak) (?:usah|perlu) (?:digubris|diladeni|ditanggapi|dihiraukan|dipercaya|direspon|"
    r"direspons|dilayani)|"
    r"bukan negara (?:tujuan )?"
    r"penempatan|tidak ada perjanjian|korban (?:tppo|perdagangan|penipuan|online scam|scam)|"
    r"tppo|(?:pasti|itu|adalah|berarti|termasuk) ilegal|non[- ]?prosedural|modus penipuan)(?!\w)")
# "Jangan lewat calo, langsung sama saya aja": the recruiter offering himself instead is an offer.
NOT_A_WARNING = re.compile(r"(?<!\w)(?:hoax|hoaks|bukan (?:penipuan|tipu|scam|ilegal|abal)|"
                           r"100 ?%|dijamin|pasti (?:cair|aman|berangkat)|aman kok|"
                           r"(?:sama|karo|melu|ikut|bareng) (?:saya|aku|kami|sy|aq|gue|gw))(?!\w)")
# "Waspada calo yang menjanjikan pasti berangkat": the reassurance is the lure being warned of.
_QUOTED_PROMISE = re.compile(r"(?<!\w)(?:yang|dengan|yg) (?:\w+ )?(?:menjanjikan|janjikan|janji|"
                             r"menjamin|mengaku|bilang|mengatakan|menawarkan|iming-iming)"
                             r"(?: \w+){0,2} ?$")


# A word with punctuation around it ("3 bln," "gak.") is spelt out too; not inside a web
# address, an e-mail or a hyphenated word.
_WORD = re.compile(r"(?<![\w.@/:-])[a-z]+(?![\w@/:-]|\.\w)")


def _spelt_out(match: re.Match[str]) -> str:
    return _SLANG.get(match.group(0), match.group(0))


def normalize_offer(text: str) -> str:
    """Lower-case, NFKC, emojis as soft breaks, common abbreviations spelt out.

    Lines are kept (they separate sentences) but spaces inside a line are collapsed. Flag
    emojis become ``iso:kh`` tokens so "🇰🇭" counts as Cambodia; split passives and masked
    place names are undone (`spelling`). This is deliberately the module's own light
    normalisation, independent of the NLU's.
    """
    text = _FLAGS.sub(_flag_token, unicodedata.normalize("NFKC", text))
    text = _ARROWS.sub(" -> ", text).lower().replace("’", "'")
    text = spelling.unmask(spelling.drop_possessives(spelling.join_passives(text)), _place_words())
    text = "".join(_symbol(ch) for ch in _FORMATTING.sub(" ", text))
    text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), _REDUP.sub(r"\1-\1", text))
    lines = (_WORD.sub(_spelt_out, " ".join(line.split())) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """The one-word spellings of the countries and scam sites, for `spelling.unmask`."""
    return frozenset(alias for alias in load_rules().countries.canonical if alias.isalpha())


def _symbol(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in {"So", "Sk", "Co", "Cs"}:
        return " · "  # emojis often separate the items of an ad
    return "" if category in {"Mn", "Cf"} else ch


def _flag_token(match: re.Match[str]) -> str:
    return " iso:" + "".join(chr(ord(c) - 0x1F1E6 + ord("a")) for c in match.group(0)) + " "


def offer_text(normalised: str) -> str:
    """The text without sentences that only warn ("Waspada loker Kamboja!").

    A legitimate notice that warns about Cambodia must not read as an offer to go there; a
    sentence that also reassures ("bukan penipuan", "dijamin aman") is kept, since
    recruiters use warning words to sound trustworthy, unless the reassurance is the promise
    warned of ("waspada calo yang menjanjikan pasti berangkat").
    """
    lines = []
    for line in normalised.split("\n"):
        parts = _SENTENCE_END.split(line)
        kept = "".join(seg + end for seg, end in zip(parts[0::2], [*parts[1::2], ""], strict=True)
                       if not _is_warning(seg))
        if kept.strip(" ·.!?"):
            lines.append(" ".join(kept.split()))
    return "\n".join(lines)


def _is_warning(segment: str) -> bool:
    warns = any(not negated(segment, m.start()) for m in WARNING.finditer(segment))
    return warns and not any(not _QUOTED_PROMISE.search(segment[:m.start()])
                             for m in NOT_A_WARNING.finditer(segment))


def read_facts(text: str, rules: Rules,
               is_licensed: Callable[[str], bool | None] | None = None) -> OfferFacts:
    """The facts of an already normalised offer text (see `offer_text`)."""
    amounts = find_amounts(text)
    destination, countries, transit = read.places(text, rules.countries)
    fees = read.fees(text, amounts)
    company = read.company(text)
    return OfferFacts(
        destination=destination, job=read.job(text),
        pay_idr_month=read.pay_idr_month(text, amounts), visa_type=read.visa_type(text),
        fees=fees, fee_receiver=read.fee_receiver(text) if fees else None,
        channel=read.channel(text), transit=transit,
        passport_handover=read.passport_handover(text), contract=read.contract(text),
        urgent=read.urgent(text), company=company,
        licensed=is_licensed(company) if company and is_licensed else None,
        countries=countries, official_route=read.official_route(text),
        trip_only=read.trip_only(text))


def assess(text: str, *, is_licensed: Callable[[str], bool | None] | None = None,
           rules_path: Path | None = None) -> Assessment:
    """Judge one offer.

    Args:
        text: the offer as the villager pasted it.
        is_licensed: looks a company name up in the P3MI register; True licensed, False
            not licensed (or revoked/expired), None unknown. Injected so this stays pure.
        rules_path: another rules file (tests); the content tree's file by default.

    Raises:
        ValueError: the rules file is broken.
    """
    rules = load_rules(rules_path)
    cleaned = offer_text(normalize_offer(text))
    facts = read_facts(cleaned, rules, is_licensed)
    flags = rules.find_flags(facts, cleaned)
    risk = rules.level(flags)
    return Assessment(risk, flags, facts, _summary(rules, risk, flags), list(rules.advice[risk]))


def _summary(rules: Rules, risk: str, flags: list[Flag]) -> str:
    labels = ", ".join(f.label for f in flags[:MAX_LABELS])
    if len(flags) > MAX_LABELS:
        labels += ", dan lainnya"
    return rules.summary[risk].replace("{labels}", labels).replace("{count}", str(len(flags)))
