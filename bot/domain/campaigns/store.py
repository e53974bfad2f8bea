"""Campaigns in the database, and the process's index of them.

Each text is stored with its campaign, signature, contacts, village and office, never with who
sent it. The separate `campaign_checks` row (chat, campaign) exists only so that a villager can
hear once when officers confirm the campaign; it is not written for a chat that opted out, and
`purge` deletes it with the texts after the retention period.

The index (`grouping.Grouping`) lives in memory, one per database; before each assignment it
reads the rows other processes added since, so several bot workers group alike.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.core.storage.models import (
    CampaignCheck,
    CampaignContact,
    CampaignEvent,
    CampaignText,
    OfferCampaign,
    Office,
    Person,
    Subscription,
    Village,
    utcnow,
)
from bot.core.storage.session import Database
from bot.domain.campaigns.contacts import Contact
from bot.domain.campaigns.grouping import Grouping, Signature, signature

MAX_TEXT = 2000
STRENGTH = {"confirmed": 3, "unsure": 2, "legitimate": 1, "open": 0}


@dataclass(frozen=True)
class Arrival:
    """A text to assign: what it says, where from, and the checker's risk."""

    text: str
    source: str  # "check" | "tip"
    risk: str = ""
    chat_id: int | None = None  # only for the follow-up link; never stored with the text
    village_id: int | None = None


@dataclass(frozen=True)
class Observation:
    """What the assignment found, for the villager's answer."""

    campaign_id: int
    status: str
    reports_in_area: int  # the campaign's other texts from the same office's villages
    watched: tuple[Contact, ...]
    alerted: bool


@dataclass
class CampaignIndex:
    """The in-memory grouping of one database's stored texts, kept in step with it."""

    db: Database
    grouping: Grouping = field(default_factory=Grouping)
    lock: threading.Lock = field(default_factory=threading.Lock)
    loaded_upto: int = 0
    own: set[int] = field(default_factory=set)

    def refresh(self, session: Session, limit: int | None = None) -> int:
        """Index the texts and merges other processes stored since the last look; how many."""
        query = select(
            CampaignText.id, CampaignText.campaign_id, CampaignText.signature, CampaignText.size,
            CampaignText.contacts).where(CampaignText.id > self.loaded_upto).order_by(
            CampaignText.id)
        rows = list(session.execute(query.limit(limit) if limit else query))
        for text_id, campaign_id, sig, size, contacts in rows:
            self.loaded_upto = text_id
            if text_id not in self.own:
                self.grouping.add(_signature(sig, size, contacts), campaign_id)
        self.own = {i for i in self.own if i > self.loaded_upto}
        for other, into in session.execute(select(OfferCampaign.id, OfferCampaign.merged_into)
                                           .where(OfferCampaign.merged_into.is_not(None))):
            self.grouping.join(other, into)
        return len(rows)


WARM_CHUNK = 2000


def warm(db: Database, stop: threading.Event | None = None) -> int:
    """Load the stored texts into the index at start-up, a chunk at a time; how many.

    At 100,000 stored texts loading takes tens of seconds; the lock is taken per chunk, so a
    villager checking an offer meanwhile waits for one chunk, not for the whole load, and a
    process shutting down (`stop` set) stops after the chunk it is loading.
    """
    index, total = index_for(db), 0
    while stop is None or not stop.is_set():
        with index.lock, db.session() as session:
            loaded = index.refresh(session, WARM_CHUNK)
        total += loaded
        if loaded < WARM_CHUNK:
            break
    return total


def _signature(raw: bytes, size: int, contacts: str) -> Signature:
    found = frozenset(Contact(kind, value) for kind, value in json.loads(contacts))
    return Signature(np.frombuffer(raw, dtype=np.uint32).copy(), size, found)


_INDEXES: dict[str, CampaignIndex] = {}
_INDEXES_LOCK = threading.Lock()


def index_for(db: Database) -> CampaignIndex:
    """The process's index of this database (built on first use)."""
    key = str(db.engine.url)
    with _INDEXES_LOCK:
        if key not in _INDEXES:
            _INDEXES[key] = CampaignIndex(db)
        return _INDEXES[key]


def assign(db: Database, arrival: Arrival,
           after: Callable[[Session, OfferCampaign, datetime], bool] | None = None
           ) -> Observation:
    """Store a text in its campaign; `after(session, campaign, now)` runs in the same transaction.

    `after` is how the alert rule (alerts.py) is applied without this module knowing it.
    """
    index = index_for(db)
    sig = signature(arrival.text, index.grouping.tuning)
    with index.lock:
        with db.session() as session:
            index.refresh(session)
            decision = index.grouping.decide(sig)
            now = utcnow()
            campaign = _campaign(session, decision.campaign, now)
            for other in decision.joins:
                merge(session, other, campaign)
            office_id = _office_of(session, arrival.village_id)
            row = CampaignText(
                campaign_id=campaign.id, source=arrival.source, text=arrival.text[:MAX_TEXT],
                village_id=arrival.village_id, office_id=office_id, risk=arrival.risk,
                signature=sig.values.astype(np.uint32).tobytes(), size=sig.size,
                contacts=json.dumps(sorted([c.kind, c.value] for c in sig.contacts)),
                created_at=now)
            session.add(row)
            _add_contacts(session, campaign.id, sig.contacts)
            if arrival.chat_id is not None and not opted_out(session, arrival.chat_id):
                _link_check(session, campaign.id, arrival.chat_id, now)
            session.flush()
            alerted = bool(after(session, campaign, now)) if after else False
            observation = Observation(
                campaign.id, campaign.status, _reports(session, campaign.id, office_id) - 1,
                tuple(sorted(watched(session, sig.contacts))), alerted)
        index.own.add(row.id)
        index.grouping.add(sig, campaign.id, decision.joins)
    return observation


def _campaign(session: Session, campaign_id: int | None, now: datetime) -> OfferCampaign:
    if campaign_id is None:
        campaign = OfferCampaign(status="open", first_seen=now, last_seen=now)
        session.add(campaign)
        session.flush()
        return campaign
    campaign = session.get(OfferCampaign, campaign_id)
    campaign.last_seen = now
    return campaign


def merge(session: Session, other_id: int, into: OfferCampaign) -> None:
    """Fold campaign `other_id` into `into`: texts, contacts, checks and audit events move."""
    other = session.get(OfferCampaign, other_id)
    if other is None or other.id == into.id:
        return
    session.execute(update(CampaignText).where(CampaignText.campaign_id == other.id)
                    .values(campaign_id=into.id))
    session.execute(update(CampaignEvent).where(CampaignEvent.campaign_id == other.id)
                    .values(campaign_id=into.id))
    for model, column in ((CampaignContact, CampaignContact.value),
                          (CampaignCheck, CampaignCheck.chat_id)):
        kept = set(session.scalars(select(column).where(model.campaign_id == into.id)))
        session.execute(delete(model).where(model.campaign_id == other.id, column.in_(kept)))
        session.execute(update(model).where(model.campaign_id == other.id)
                        .values(campaign_id=into.id))
    if STRENGTH.get(other.status, 0) > STRENGTH.get(into.status, 0):
        into.status, into.verdict_at = other.status, other.verdict_at
    into.first_seen = min(into.first_seen, other.first_seen)
    other.status, other.merged_into = "merged", into.id
    session.add(CampaignEvent(campaign_id=into.id, actor="system", kind="merged",
                              text=f"#{other.id}"))


def _add_contacts(session: Session, campaign_id: int, contacts: frozenset[Contact]) -> None:
    known = set(session.execute(select(CampaignContact.kind, CampaignContact.value)
                                .where(CampaignContact.campaign_id == campaign_id)))
    for contact in sorted(contacts):
        if (contact.kind, contact.value) not in known:
            session.add(CampaignContact(campaign_id=campaign_id, kind=contact.kind,
                                        value=contact.value[:200]))


def _link_check(session: Session, campaign_id: int, chat_id: int, now: datetime) -> None:
    exists = session.scalar(select(CampaignCheck.id).where(
        CampaignCheck.campaign_id == campaign_id, CampaignCheck.chat_id == chat_id))
    if exists is None:
        session.add(CampaignCheck(campaign_id=campaign_id, chat_id=chat_id, created_at=now))


def opted_out(session: Session, chat_id: int) -> bool:
    """The villager stopped the bot's messages (/berhenti) or blocked the bot."""
    stopped = session.scalar(select(Subscription.id).where(
        Subscription.chat_id == chat_id, Subscription.active.is_(False)))
    blocked = session.scalar(select(Person.id).where(
        Person.telegram_id == chat_id, Person.blocked_bot.is_(True)))
    return stopped is not None or blocked is not None


def _office_of(session: Session, village_id: int | None) -> int | None:
    if village_id is not None:
        village = session.get(Village, village_id)
        if village is not None and village.office_id:
            return village.office_id
    return session.scalar(select(Office.id).order_by(Office.is_default.desc(), Office.id)
                          .limit(1))


def _reports(session: Session, campaign_id: int, office_id: int | None) -> int:
    query = select(func.count(CampaignText.id)).where(CampaignText.campaign_id == campaign_id)
    if office_id is not None:
        query = query.where(CampaignText.office_id == office_id)
    return session.scalar(query) or 0


def watched(session: Session, contacts: frozenset[Contact]) -> set[Contact]:
    """The contacts that belong to a campaign officers confirmed as a scam (the watchlist)."""
    if not contacts:
        return set()
    rows = session.execute(
        select(CampaignContact.kind, CampaignContact.value)
        .join(OfferCampaign, OfferCampaign.id == CampaignContact.campaign_id)
        .where(OfferCampaign.status == "confirmed",
               CampaignContact.value.in_([c.value for c in contacts])))
    return {Contact(kind, value) for kind, value in rows} & set(contacts)


def village_of(db: Database, chat_id: int) -> int | None:
    """The villager's village, when they chose one (for counting villages, never stored)."""
    with db.session() as session:
        village = session.scalar(select(Person.village_id).where(Person.telegram_id == chat_id))
        if village is None:
            village = session.scalar(select(Subscription.village_id).where(
                Subscription.chat_id == chat_id))
        return village


def purge(db: Database, older_than_days: float, now: datetime | None = None) -> tuple[int, int]:
    """Delete texts and check links older than the retention period; (texts, links) deleted.

    A campaign keeps its contacts, verdict and audit events (they hold no villager data), so
    the watchlist outlives the texts that built it.
    """
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    with db.session() as session:
        texts = session.execute(delete(CampaignText).where(CampaignText.created_at < cutoff))
        links = session.execute(delete(CampaignCheck).where(CampaignCheck.created_at < cutoff))
        return texts.rowcount or 0, links.rowcount or 0
