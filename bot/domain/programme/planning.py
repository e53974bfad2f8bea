"""The officials' side of the programme: which village, when, how often."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from bot.core.storage.models import Broadcast, Campaign, Village
from bot.core.storage.session import Database
from bot.domain.people.roles import manages, officer_villages, official_villages
from bot.domain.programme import when

DAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
        "minggu": 6, "ahad": 6}
CODE_RE = re.compile(r"^\d{2}(\.\d{2,4}){1,3}$")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")


@dataclass(frozen=True)
class ManagedVillage:
    """A village the person may send to, with its time zone."""

    id: int
    name: str
    timezone: str


def managed_village(db: Database, telegram_id: int, code: str | None = None
                    ) -> ManagedVillage | None:
    """The village an official or officer acts on (officers name it by code)."""
    with db.session() as session:
        if code:
            village = session.scalar(select(Village).where(Village.code == code))
            if village is None or not manages(session, telegram_id, village.id):
                return None
        else:
            ids = official_villages(session, telegram_id) or officer_villages(session,
                                                                               telegram_id)
            if len(ids) != 1:
                return None
            village = session.get(Village, ids[0])
        return ManagedVillage(village.id, village.name, village.timezone)


def parse_when(text: str, zone: str, now: datetime | None = None) -> datetime | None:
    """"besok jam 7 malam", "Jumat depan 19.00", "4-12-2026 19.00" in the village's zone.

    None when the text names no moment (see `when.parse_when` for what is understood).
    """
    return when.parse_when(text, zone, now)


@dataclass(frozen=True)
class CampaignSpec:
    """"every Friday at 19.00, 5 questions, topic X"."""

    weekday: int
    hour: int
    minute: int
    questions: int = 5
    topic: str | None = None


def parse_campaign(args: list[str], topics: set[str]) -> CampaignSpec | None:
    """`jumat 19.00 [5] [topic]`, `tiap Jumat jam 7 malam 5` → a spec, or None.

    The topic, if any, is the last word and must be a topic slug; a bare number after the
    time is the number of questions.
    """
    words = [w for w in args if w.lower() not in {"tiap", "setiap", "soal", "pertanyaan"}]
    topic = words.pop() if words and words[-1] in topics else None
    count = 5
    if words and words[-1].isdigit() and when.read_time(" ".join(words[:-1])):
        count = int(words.pop())  # "jumat 19.00 2"; but in "jumat jam 7" the 7 is the hour
    text = " ".join(words)
    weekday, clock = when.read_weekday(text), when.read_time(text)
    if weekday is None or clock is None or not 1 <= count <= 10:
        return None
    if set(clock.rest.split()) - set(DAYS) - {"hari", "jam", "pukul", "pkl"}:
        return None  # words left over that are neither the day nor the time
    return CampaignSpec(weekday, clock.hour, clock.minute, count, topic)


def create_campaign(db: Database, village_id: int, spec: CampaignSpec, created_by: int) -> int:
    """Store a weekly quiz campaign."""
    with db.session() as session:
        campaign = Campaign(village_id=village_id, weekday=spec.weekday, hour=spec.hour,
                            minute=spec.minute, questions=spec.questions, topic=spec.topic,
                            created_by=created_by)
        session.add(campaign)
        session.flush()
        return campaign.id


def split_code(args: list[str]) -> tuple[str | None, list[str]]:
    """Officers put the village's region code first: `/kampanye 52.01.01.2001 jumat 19.00`."""
    if args and CODE_RE.match(args[0]):
        return args[0], args[1:]
    return None, list(args)


def may_manage(db: Database, telegram_id: int, village_id: int) -> bool:
    """Server-side check behind every programme button."""
    with db.session() as session:
        return manages(session, telegram_id, village_id)


def cancel_scheduled(db: Database, telegram_id: int, broadcast_id: int) -> bool:
    """Withdraw a scheduled lesson before it goes out; False when that is not (any more) possible.

    "Scheduled for Thursday 19.00" had no way back in the chat: a wrong day typed by an
    official sent the lesson anyway. Only a broadcast still "scheduled" changes, in one
    statement, so it cannot be both released by the scheduler and cancelled.
    """
    with db.session() as session:
        broadcast = session.get(Broadcast, broadcast_id)
        if broadcast is None or not manages(session, telegram_id, broadcast.village_id):
            return False
        return bool(session.execute(update(Broadcast).where(
            Broadcast.id == broadcast_id, Broadcast.status == "scheduled").values(
            status="cancelled")).rowcount)


def village_by_id(db: Database, village_id: int) -> ManagedVillage:
    """A village's name and time zone (after the caller has checked the person may)."""
    with db.session() as session:
        village = session.get(Village, village_id)
        return ManagedVillage(village.id, village.name, village.timezone)


def village_zone(db: Database, village_id: int) -> str:
    """A village's time zone."""
    with db.session() as session:
        return session.get(Village, village_id).timezone


def office_village_ids(db: Database, telegram_id: int) -> list[int]:
    """The villages of an officer's office (empty for everyone else)."""
    with db.session() as session:
        return officer_villages(session, telegram_id)
