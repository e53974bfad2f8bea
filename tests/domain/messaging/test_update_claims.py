"""Update claims: each update id is handled once, even claimed twice in one batch."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.core.storage.session import Database
from bot.domain.messaging.update_claims import UpdateClaims, claim_many, first_time


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


def test_an_id_is_claimed_once(db: Database) -> None:
    assert claim_many(db, [10, 11]) == {10, 11}
    assert claim_many(db, [11, 12]) == {12}  # 11 came again (a redelivery)
    assert not first_time(db, 12)
    assert first_time(db, 13)
    assert claim_many(db, []) == set()


async def test_group_commit_answers_each_waiting_update(db: Database) -> None:
    """Claims that arrive together share a transaction; a repeated id wins only once."""
    claims = UpdateClaims(db)
    claim_many(db, [5])
    results = await asyncio.gather(*(claims.claim(i) for i in (1, 2, 2, 3, 5)))
    assert results == [True, True, False, True, False]
    assert await claims.claim(3) is False
