"""Update claims: each update id is handled once, even claimed twice in one batch."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.core.storage.session import Database
from bot.domain.messaging import conversation_state
from bot.domain.messaging.update_claims import (
    UpdateClaims,
    claim_many,
    first_time,
    forget_bot,
    opened_for,
)

BOT = 1001


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


def test_an_id_is_claimed_once(db: Database) -> None:
    assert claim_many(db, BOT, [10, 11]) == {10, 11}
    assert claim_many(db, BOT, [11, 12]) == {12}  # 11 came again (a redelivery)
    assert not first_time(db, BOT, 12)
    assert first_time(db, BOT, 13)
    assert claim_many(db, BOT, []) == set()


async def test_group_commit_answers_each_waiting_update(db: Database) -> None:
    """Claims that arrive together share a transaction; a repeated id wins only once."""
    claims = UpdateClaims(db, BOT)
    claim_many(db, BOT, [5])
    results = await asyncio.gather(*(claims.claim(i) for i in (1, 2, 2, 3, 5)))
    assert results == [True, True, False, True, False]
    assert await claims.claim(3) is False


def test_another_bot_on_the_same_database_is_not_deaf(db: Database) -> None:
    """Update ids count per bot: a second bot's update 1 is new, not 'already handled'."""
    assert claim_many(db, BOT, [1, 2]) == {1, 2}
    assert claim_many(db, 2002, [1, 2, 3]) == {1, 2, 3}
    assert claim_many(db, BOT, [2, 3]) == {3}


def test_forgetting_one_bot_keeps_the_others_claims(db: Database) -> None:
    """The console forgets its own claims at start (its emulator counts from 1 again)."""
    claim_many(db, BOT, [1])
    claim_many(db, 2002, [1])
    assert forget_bot(db, BOT) == 1
    assert first_time(db, BOT, 1)
    assert not first_time(db, 2002, 1)


async def test_opening_an_update_claims_it_and_reads_its_person_state(db: Database) -> None:
    """One batched transaction claims the updates and reads each person's state."""
    conversation_state.save(db, 77, conversation_state.encode({"awaiting": "village"}))
    claims = UpdateClaims(db, BOT)
    claim_many(db, BOT, [9])
    states = await asyncio.gather(claims.open(8, 77), claims.open(9, 78), claims.claim(10))
    assert states == [{"awaiting": "village"}, {}, True]
    # The claim's result stays with the task that opened it: the handler asks it again.
    assert await claims.claim(11) is True
    assert not first_time(db, BOT, 8)


async def test_a_redelivered_update_is_known_as_such_once_opened(db: Database) -> None:
    claims = UpdateClaims(db, BOT)
    claim_many(db, BOT, [20])
    await claims.open(20, 77)
    assert await claims.claim(20) is False  # from the open, without a second statement


async def test_opening_flags_the_people_the_lookup_names(db: Database) -> None:
    """The handlers learn from the claim's transaction who has, e.g., an open tip."""
    claims = UpdateClaims(db, BOT, flag=lambda session, people: {p for p in people if p > 100})
    await claims.open(30, 101)
    assert opened_for(101) is not None and opened_for(101).flagged
    await claims.open(31, 7)
    assert opened_for(7) is not None and not opened_for(7).flagged
    assert opened_for(101) is None  # this task now handles person 7's update


async def test_closing_updates_saves_their_states_and_marks_them_answered_together(
        db: Database) -> None:
    """After a restart a redelivered update that was closed is known answered, its state kept."""
    claims = UpdateClaims(db, BOT)
    await asyncio.gather(claims.open(40, 201), claims.open(41, 202), claims.open(42, 203))
    conversation_state.save(db, 203, conversation_state.encode({"awaiting": "offer"}))
    await asyncio.gather(
        claims.close(40, 201, conversation_state.encode({"awaiting": "village"})),
        claims.close(41, 202, None),  # unchanged: nothing written for this person
        claims.close(42, 203, "{}"))  # emptied: the stored state goes
    assert conversation_state.load(db, 201) == {"awaiting": "village"}
    assert conversation_state.load(db, 202) == {}
    assert conversation_state.load(db, 203) == {}
    again = UpdateClaims(db, BOT)  # another process, after a crash of this one
    await again.open(41, 202)
    assert await again.claim(41) is False and not again.unanswered(41)


async def test_an_update_opened_but_never_closed_is_known_unanswered(db: Database) -> None:
    claims = UpdateClaims(db, BOT)
    await claims.open(50, 301)  # the process dies while handling it
    again = UpdateClaims(db, BOT)
    await again.open(50, 301)
    assert await again.claim(50) is False and again.unanswered(50)
