"""Every text the reporting flow and triage accept fits its column, on both databases.

PostgreSQL enforces VARCHAR lengths (SQLite does not): a 121-500 character destination made a
tip impossible to send. The sizes are not restated here: each field is filled through the
flow's own acceptance functions with more than any limit, and whatever the flow keeps must
be stored whole.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.storage.models import OutboxMessage, Tip, TipEvent, TipMedia
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.tips import flow, triage
from bot.domain.tips.submission import TipInput, submit

HUGE = "Ñ😀" * 5000  # non-ASCII: lengths are in characters, bytes are more
TELEGRAM_NAME = 64  # Telegram's first and last name limit, each
TELEGRAM_USERNAME = 32


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    database.dispose()


def _longest(draft: flow.Draft, step: str) -> str:
    """The longest text the flow keeps at this step."""
    low, high = 0, len(HUGE)  # the largest size the flow does not refuse: bisection
    while low < high:
        size = (low + high + 1) // 2
        draft.step = step
        if flow.accept_text(draft, HUGE[:size]) is None:
            low = size
        else:
            high = size - 1
    draft.step = step
    assert flow.accept_text(draft, HUGE[:low]) is None
    return HUGE[:low]


def _draft() -> flow.Draft:
    draft = flow.Draft(telegram_id=5550001)
    for step in ("story", "offer", "recruiter", "destination"):
        longest = _longest(draft, step)
        if step == "offer":  # the offer may come in several messages
            for _ in range(5):
                draft.step = step
                flow.accept_text(draft, longest)
    draft.step = "offer"
    while flow.accept_media(draft, "document", "F" * 300, HUGE) is None:
        pass
    return draft


def test_every_field_at_its_maximum_is_stored_whole(db: Database) -> None:
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True,
                     group_chat_id=-100777)
    token = roles.create_invite(db, "officer", office_code="tpi")
    assert roles.redeem(db, token, 9001, "P" * (2 * TELEGRAM_NAME + 1)).ok
    draft = _draft()
    assert len(draft.destination) > 120 and len(draft.story) >= 3000
    name = "N" * TELEGRAM_NAME + " " + "L" * TELEGRAM_NAME + " @" + "u" * TELEGRAM_USERNAME
    tip = submit(db, draft.telegram_id, name, TipInput(
        story=draft.story, offer_text=draft.offer_text, recruiter=draft.recruiter,
        destination=draft.destination, consent=True,
        media=[tuple(m) for m in draft.media]))
    triage.claim(db, 9001, tip.id)
    triage.add_note(db, 9001, tip.id, HUGE)
    triage.ask_reporter(db, 9001, tip.id, HUGE)
    triage.reporter_answers(db, draft.telegram_id, tip.id, HUGE)
    triage.escalate(db, 9001, tip.id, "bp3mi", HUGE)
    triage.close(db, 9001, tip.id, "followed_up")
    with db.session() as session:
        stored = session.get(Tip, tip.id)
        assert (stored.story, stored.offer_text, stored.recruiter, stored.destination) == (
            draft.story, draft.offer_text, draft.recruiter, draft.destination)
        assert stored.reporter_name == name
        media = list(session.scalars(select(TipMedia).where(TipMedia.tip_id == tip.id)))
        assert [m.caption for m in media] == [m[2] for m in draft.media]
        events = list(session.scalars(select(TipEvent).where(TipEvent.tip_id == tip.id)))
        assert {e.kind for e in events} >= {"note", "question", "answer", "escalated"}
        assert session.scalar(select(OutboxMessage.id).limit(1))
