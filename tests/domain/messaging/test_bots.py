"""Which regional bot reaches a chat: the office's, the village's, or the one they wrote to."""

from __future__ import annotations

import pytest

from bot.core.bot_tokens import SPEAKING_BOT
from bot.core.storage.models import Officer, Person, Village
from bot.core.storage.session import Database
from bot.domain.messaging.bots import chat_bot_key, link_bot
from bot.domain.people import roles
from bot.domain.programme import membership
from bot.domain.programme.national import assign_office_bot, villages_per_bot
from bot.domain.programme.village_import import import_villages
from bot.domain.tips.submission import _locked_person
from tests.auxil.paths import FIXTURES


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    roles.add_office(database, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(database, "mtr", "BP3MI NTB", group_chat_id=-1009)
    import_villages(database, FIXTURES / "villages_fictional.csv")
    assign_office_bot(database, "mtr", "ntb")
    yield database
    database.dispose()


def _village(db: Database, code: str) -> int:
    with db.session() as session:
        return session.query(Village.id).filter(Village.code == code).scalar()


def test_officers_groups_subscribers_and_reporters_each_reach_their_bot(db: Database) -> None:
    with db.session() as session:
        mtr = roles.office_by_code(session, "mtr")
        session.add(Officer(telegram_id=501, office_id=mtr.id, active=True))
    membership.subscribe(db, 601, _village(db, "52.01.02.2002"))
    membership.subscribe(db, 602, _village(db, "21.71.01.2001"))
    assert chat_bot_key(db, 501) == "ntb"  # an officer of the NTB office
    assert chat_bot_key(db, -1009) == "ntb"  # its officers' group
    assert chat_bot_key(db, 601) == "ntb"  # a subscriber of an NTB village
    assert chat_bot_key(db, 602) is None  # a Bintan subscriber: the default bot
    assert chat_bot_key(db, 999) is None  # a stranger: the default bot
    token = SPEAKING_BOT.set("ntb")  # a reporter writing to the NTB bot
    try:
        with db.session() as session:
            _locked_person(session, 602)
    finally:
        SPEAKING_BOT.reset(token)
    with db.session() as session:
        assert session.query(Person.bot_key).filter(Person.telegram_id == 602).scalar() == "ntb"
    assert chat_bot_key(db, 602) == "ntb"  # the bot they last reported through


def test_links_and_counts_follow_the_office_unless_a_village_names_its_own(db: Database) -> None:
    assert link_bot(db, office_code="mtr") == "ntb"
    assert link_bot(db, village_code="52.01.01.2001") == "ntb"
    assert link_bot(db, village_code="21.71.01.2001") is None
    with db.session() as session:
        session.get(Village, _village(db, "21.71.01.2001")).bot_key = "kepri"
    assert link_bot(db, village_code="21.71.01.2001") == "kepri"
    assert villages_per_bot(db) == {None: 1, "ntb": 2, "kepri": 1}
