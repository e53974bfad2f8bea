"""Fixtures for the tests that watch the running bot handle odd updates, and for the tests of
the token's shared budget in Redis (several processes on one fake clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from uuid import uuid4

import pytest

from bot.faces.telegram.send_budget import RedisBudget
from tests.auxil.clock import FakeClock
from tests.auxil.harness import Harness
from tests.auxil.watching import Finished


@pytest.fixture
async def finished(harness: Harness) -> Finished:
    """Install the watcher before the test sends anything."""
    return Finished(harness.app)


@pytest.fixture
def no_flood_limits(harness: Harness) -> None:
    """One villager pressing many buttons quickly: 429 waits would only slow the test down."""
    harness.emu.limits.enabled = False


@pytest.fixture
def clock() -> FakeClock:
    """The processes' shared clock (Redis's own in production), moved by the test."""
    return FakeClock()


@pytest.fixture
async def processes(redis_url: str, clock: FakeClock
                    ) -> AsyncIterator[Callable[[int], list[RedisBudget]]]:
    """`processes(n)`: the budgets of n processes sharing one fresh token (on `clock`)."""
    token = f"123456:{uuid4().hex}"
    made: list[RedisBudget] = []

    def make(count: int) -> list[RedisBudget]:
        made.extend(RedisBudget(redis_url, token, clock=clock) for _ in range(count))
        return made[-count:]

    yield make
    for budget in made:
        await budget.close()
