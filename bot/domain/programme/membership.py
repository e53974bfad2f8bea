"""Who receives a village's lessons and quizzes: subscribers and linked groups."""

from __future__ import annotations

import logging

from sqlalchemy import select

from bot.core.storage.models import LinkedGroup, Subscription, Village
from bot.core.storage.session import Database
from bot.domain.people.roles import official_villages
from bot.domain.programme.villages import VillageChoice, remember

log = logging.getLogger(__name__)


def subscribe(db: Database, chat_id: int, village_id: int) -> VillageChoice | None:
    """Join (or switch to) a village; returns it, or None when it does not exist."""
    with db.session() as session:
        village = session.get(Village, village_id)
        if village is None:
            return None
        row = session.scalar(select(Subscription).where(Subscription.chat_id == chat_id))
        if row is None:
            session.add(Subscription(chat_id=chat_id, village_id=village_id))
        else:
            row.village_id, row.active = village_id, True
        choice = VillageChoice(village.id, village.name, village.district, village.regency,
                               village.office_id)
    remember(db, chat_id, village_id)
    return choice


def village_by_code(db: Database, code: str) -> VillageChoice | None:
    """A village by its region code (deep links carry it with _ for .)."""
    with db.session() as session:
        v = session.scalar(select(Village).where(Village.code == code.replace("_", ".")))
        return VillageChoice(v.id, v.name, v.district, v.regency, v.office_id) if v else None


def unsubscribe(db: Database, chat_id: int) -> bool:
    """Stop broadcasts to this chat; True when it was subscribed."""
    with db.session() as session:
        row = session.scalar(select(Subscription).where(Subscription.chat_id == chat_id,
                                                        Subscription.active.is_(True)))
        if row is None:
            return False
        row.active = False
        return True


def deactivate_chat(db: Database, chat_id: int) -> None:
    """The chat blocked the bot or removed it: no more broadcasts there."""
    with db.session() as session:
        for row in session.scalars(select(Subscription).where(Subscription.chat_id == chat_id)):
            row.active = False
        for row in session.scalars(select(LinkedGroup).where(LinkedGroup.chat_id == chat_id)):
            row.active = False


def official_village(db: Database, telegram_id: int) -> int | None:
    """The village an official's /hubungkan links a group to (None: not an official)."""
    with db.session() as session:
        villages = official_villages(session, telegram_id)
        return villages[0] if villages else None


def link_group(db: Database, group_chat_id: int, telegram_id: int,
               is_group_admin: bool) -> VillageChoice | str:
    """Link a group to the official's village, or return why not ("not_official", ...)."""
    with db.session() as session:
        villages = official_villages(session, telegram_id)
        if not villages:
            log.warning("refused /hubungkan by account %s (not an official)", telegram_id)
            return "not_official"
        if not is_group_admin:
            return "not_admin"
        village = session.get(Village, villages[0])
        row = session.scalar(select(LinkedGroup).where(LinkedGroup.chat_id == group_chat_id))
        if row is not None and row.active and row.village_id not in villages:
            # Re-linking would silently move another village's audience (and its lessons
            # and quizzes) to this official's village.
            log.warning("refused /hubungkan by account %s: group linked to another village",
                        telegram_id)
            return "linked_elsewhere"
        if row is None:
            session.add(LinkedGroup(chat_id=group_chat_id, village_id=village.id,
                                    linked_by=telegram_id))
        else:
            row.village_id, row.linked_by, row.active = village.id, telegram_id, True
        return VillageChoice(village.id, village.name, village.district, village.regency,
                             village.office_id)


def recipients(db: Database, village_id: int) -> list[tuple[int, bool]]:
    """(chat id, is group) of every active subscriber and linked group of a village."""
    with db.session() as session:
        people = session.scalars(select(Subscription.chat_id).where(
            Subscription.village_id == village_id, Subscription.active.is_(True)))
        groups = session.scalars(select(LinkedGroup.chat_id).where(
            LinkedGroup.village_id == village_id, LinkedGroup.active.is_(True)))
        return [(c, False) for c in people] + [(g, True) for g in groups]
