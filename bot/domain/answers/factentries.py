"""An answer for every registry fact that no written entry states.

Villagers ask for single figures ("denda overstay setahun brp", "iuran bpjs pmi brp") far
more often than authors can write entries for; the maintainers' questions come from the whole
fact sheet. Each registry fact already carries a sourced sentence (its `statement`), so a fact
that no entry's short text states gets a generated entry: the statement is both its answer
and its question variant (villagers' questions share the statement's words: "overstay",
"setahun", "kamboja"), and its source is named under it. Written entries and general answers
stay first: generated entries only answer when they fit the message better, or when the
written variants find only an intent's general answer (retrieval.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bot.domain.answers.book import Answer, Entry, Variant
from bot.domain.content.facts import Fact, FactRegistry

PREFIX = "f_"  # generated entry ids: "f_" + 10 hex digits of the statement (stable buttons)
# the answer a fact belongs to, by its registry file: its related buttons and its topic
TOPIC_INTENTS = {
    "biaya": "costs_fees", "hak": "worker_rights", "hukum": "trafficking_info",
    "jalur": "legal_route", "kontak": "contact_info", "kuis": "scam_signs",
    "modus": "scam_signs", "negara": "country_info", "offers": "scam_signs",
    "paspor": "passport_info", "pelajaran": "scam_signs", "pelatihan": "training_info",
    "perusahaan": "trafficking_info", "pulang": "emergency_help",
    "statistik": "migration_stats", "syarat": "pmi_requirements", "visa": "visa_info",
    "wages": "country_info",
}
DEFAULT_INTENT = "migration_stats"


def is_generated(entry_id: str) -> bool:
    """True for the id of an entry made from a fact's statement."""
    return entry_id.startswith(PREFIX)


def topic_intent(fact: Fact, answers: dict[str, Answer]) -> str:
    """The intent whose answer a fact belongs to, from the file it is defined in.

    `<topic>_lengkap.yml` completes `<topic>.yml` (the fact sheet's remaining bullets): the
    same topic, so the same related buttons.
    """
    topic = Path(fact.where.split(":", 1)[0]).stem.removesuffix("_lengkap")
    intent = TOPIC_INTENTS.get(topic, DEFAULT_INTENT)
    return intent if intent in answers else next(iter(answers))


def stated_in_entries(answers: dict[str, Answer]) -> set[str]:
    """Ids of the facts that some written entry's short text states."""
    return {f for a in answers.values() for e in a.entries.values() for f in e.text.facts}


def fact_entries(registry: FactRegistry, answers: dict[str, Answer]) -> dict[str, Entry]:
    """Generated entries by id, one per statement of the facts no written entry states."""
    stated = stated_in_entries(answers) - _cited(registry)
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in _answerable(registry.facts.values()):
        if fact.id not in stated:
            groups.setdefault((fact.statement, fact.source.url), []).append(fact)
    entries: dict[str, Entry] = {}
    for (statement, url), facts in groups.items():
        entry_id = PREFIX + hashlib.sha1(f"{statement}\n{url}".encode()).hexdigest()[:10]
        intent = topic_intent(facts[0], answers)
        text = Variant(statement, statement, (facts[0].source,), None, (facts[0].source,),
                       tuple(f.id for f in facts))
        # the fact ids name what the figure is about ("kasus_scam_per_negara.laos")
        about = " ".join(dict.fromkeys(w for f in facts for w in re.split(r"[._]", f.id)
                                       if not w.isdigit()))
        asked = tuple(dict.fromkeys(q for f in facts for q in f.asked))
        entries[entry_id] = Entry(entry_id, intent, (statement, about, *asked), text, (),
                                  text.facts)
    return entries


def _cited(registry: FactRegistry) -> set[str]:
    """Facts of the laws' files: a rule's number, and a statement saying what it requires.

    A fee's or a route's rule is cited beside its own figures elsewhere; a law's article is not.

    An entry writing "{fakta:hukum.pasal_13_uu_18_2017}" states "Pasal 13 UU 18/2017", not
    the documents the article lists ("surat izin ... diketahui kepala desa atau lurah"): the
    statement needs an answer of its own for the question about what the article says.
    """
    return {f.id for f in registry.facts.values()
            if Path(f.where.split(":", 1)[0]).stem.startswith("hukum")
            and _RULE_RE.match(f.value) and len(f.statement) > len(f.value) + STATEMENT_MORE}


_RULE_RE = re.compile(r"(?:pasal|uu|pp|perban|permen\w*|kepmen\w*|perpres)\b", re.I)
STATEMENT_MORE = 60  # characters beyond the citation: the statement lists what the rule says


def _answerable(facts: Iterable[Fact]) -> Iterable[Fact]:
    """Facts content may state: not replaced by a newer one (an expired one fails the check)."""
    return (fact for fact in facts if not fact.replaced_by)


def with_asked(entries: dict[str, Entry], registry: FactRegistry) -> dict[str, Entry]:
    """Written entries, each also matched by the villagers' questions of the facts it answers.

    A fact's `asked:` lines are written once, in the registry; the entry that states the fact
    (its `facts:`, else the facts of its short text) is the one those questions should reach.
    """
    out = {}
    for key, entry in entries.items():
        facts = entry.primary or entry.text.facts
        extra = [q for f in facts if f in registry.facts for q in registry.facts[f].asked
                 if q not in entry.questions]
        out[key] = (replace(entry, questions=(*entry.questions, *dict.fromkeys(extra)))
                    if extra else entry)
    return out
