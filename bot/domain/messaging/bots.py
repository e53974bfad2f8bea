"""Which of the deployment's bots speaks to a village, an office or a chat.

Regional bots share one database (`bot/core/bot_tokens.py`). A village belongs to the bot
named on it, else to its office's bot, else to the default bot (`None` here: the domain does
not know the default bot's key, and a single-token setup stores no key at all). A message
must go through a bot the person talks to: Telegram refuses a bot that never got a /start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.core.storage.models import (
    Delivery,
    LinkedGroup,
    Office,
    Officer,
    Official,
    Person,
    Subscription,
    Village,
)
from bot.core.storage.session import Database


@dataclass(frozen=True)
class BotShare:
    """The deliveries one bot sends: its own key's, or (the default bot) all the others.

    `key=None` is the default bot: deliveries without a key, and those of a key no bot of
    this deployment has any more (a region merged away still gets its lessons).
    """

    key: str | None
    regional: tuple[str, ...] = ()

    def condition(self) -> ColumnElement[bool]:
        """The WHERE clause on `deliveries.bot_key`."""
        if self.key is not None:
            return Delivery.bot_key == self.key
        if not self.regional:
            return Delivery.id.is_not(None)
        return or_(Delivery.bot_key.is_(None), Delivery.bot_key.not_in(self.regional))


def village_bot(session: Session, village_id: int) -> str | None:
    """The key of the bot that sends a village's lessons and quizzes (None: the default)."""
    row = session.execute(select(Village.bot_key, Office.bot_key)
                          .outerjoin(Office, Office.id == Village.office_id)
                          .where(Village.id == village_id)).first()
    if row is None:
        return None
    return row[0] or row[1]


def village_bot_and_code(db: Database, village_id: int) -> tuple[str | None, str] | None:
    """The village's bot key (None: the default bot) and its code, for a join link."""
    with db.session() as session:
        code = session.scalar(select(Village.code).where(Village.id == village_id))
        return None if code is None else (village_bot(session, village_id), code)


def chat_bot(session: Session, chat_id: int) -> str | None:
    """The bot to reach a chat through (an outbox message): the one that chat talks to.

    An officer and the office's group hear from the office's bot; an official, a village
    group and a subscriber from the village's; anyone else (a reporter) from the bot they
    last wrote to. None: the default bot.
    """
    village_key = func.coalesce(Village.bot_key, Office.bot_key)
    lookups = (
        select(Office.bot_key).join(Officer, Officer.office_id == Office.id)
        .where(Officer.telegram_id == chat_id, Officer.active.is_(True)),
        select(Office.bot_key).where(Office.group_chat_id == chat_id),
        _by_village(village_key, LinkedGroup.village_id, LinkedGroup.chat_id == chat_id),
        _by_village(village_key, Official.village_id, Official.telegram_id == chat_id),
        select(Person.bot_key).where(Person.telegram_id == chat_id,
                                     Person.bot_key.is_not(None)),
        _by_village(village_key, Subscription.village_id, Subscription.chat_id == chat_id),
    )
    for lookup in lookups:
        found = session.execute(lookup.limit(1)).first()
        if found is not None:
            return found[0]
    return None


def link_bot(db: Database, office_code: str | None = None,
             village_code: str | None = None) -> str | None:
    """The bot an invite or a poster links to: the village's, else the office's bot.

    A link to the wrong bot would make an officer or villager talk to a bot that never
    hears their office's tips or their village's lessons.
    """
    with db.session() as session:
        if village_code:
            vid = session.scalar(select(Village.id).where(Village.code == village_code))
            if vid is not None:
                return village_bot(session, vid)
        if office_code:
            return session.scalar(select(Office.bot_key).where(Office.code == office_code))
    return None


def office_bot(db: Database, office_id: int | None) -> str | None:
    """The bot an office's officers talk to (None: the default bot), for an officer's invite."""
    if office_id is None:
        return None
    with db.session() as session:
        return session.scalar(select(Office.bot_key).where(Office.id == office_id))


def chat_bot_key(db: Database, chat_id: int) -> str | None:
    """`chat_bot` in a session of its own."""
    with db.session() as session:
        return chat_bot(session, chat_id)


def _by_village(key: ColumnElement, village: InstrumentedAttribute[int],
                where: ColumnElement[bool]) -> Select:
    """The bot of the village a row (a group, an official, a subscriber) points to."""
    return (select(key).select_from(village.class_).join(Village, Village.id == village)
            .outerjoin(Office, Office.id == Village.office_id).where(where))


def keys_in_use(session: Session) -> Sequence[str]:
    """Every bot key villages and offices name (for `desabot doctor` and the operator)."""
    found = set(session.scalars(select(Village.bot_key).where(Village.bot_key.is_not(None))))
    found |= set(session.scalars(select(Office.bot_key).where(Office.bot_key.is_not(None))))
    return sorted(found)
