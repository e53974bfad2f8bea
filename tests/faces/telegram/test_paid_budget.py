"""The paid lane of the sending budget: past the free 30 a second, up to 900, for every
process of a token together; a 429's pause and each chat's own limit still hold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from bot.faces.telegram.pacer import PAID_PER_SECOND, WAVE, Pacer
from bot.faces.telegram.send_budget import RedisBudget
from tests.auxil.clock import FakeClock


@pytest.fixture
async def two_processes(redis_url: str) -> AsyncIterator[tuple[list[RedisBudget], FakeClock]]:
    clock = FakeClock()
    token = f"123456:{uuid4().hex}"
    budgets = [RedisBudget(redis_url, token, clock=clock) for _ in range(2)]
    yield budgets, clock
    for budget in budgets:
        await budget.close()


async def _paid_rate(budgets: list[RedisBudget], clock: FakeClock, count: int) -> float:
    sent, start, turn = 0, clock.now, 0
    while sent < count:
        chats = [(10_000 + sent + i, False) for i in range(WAVE)]
        budget = budgets[turn % 2]
        turn += 1
        granted = await budget.try_grant(chats, paid=True)
        if granted <= 0:
            clock.now += max(-granted, 1e-3)
            continue
        await budget.landed(chats[:int(granted)], paid=True)  # answered at once
        sent += int(granted)
    return sent / (clock.now - start)


async def test_two_processes_share_one_paid_limit_far_above_thirty(two_processes) -> None:  # type: ignore[no-untyped-def]
    budgets, clock = two_processes
    rate = await _paid_rate(budgets, clock, 5000)
    assert 800 < rate <= PAID_PER_SECOND * 1.02


async def test_the_paid_lane_keeps_a_429_pause_and_each_chats_limit(two_processes) -> None:  # type: ignore[no-untyped-def]
    budgets, _ = two_processes
    assert await budgets[0].try_grant([(7, False), (8, False)], paid=True) == 2
    await budgets[0].landed([(7, False), (8, False)], paid=True)
    assert await budgets[1].try_grant([(7, False)], paid=True) < 0  # chat 7: one a second
    await budgets[1].pause(3)
    assert await budgets[0].try_grant([(9, False)], paid=True) <= -2.9  # the pause holds


def test_alone_the_paid_lane_goes_far_above_thirty_and_the_free_lane_is_untouched() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    sent, start = 0, clock.now
    while sent < 3000:
        count, wait = pacer.grant_paid([(sent + i, False) for i in range(WAVE)])
        sent += count
        clock.now += wait
    assert 800 < sent / (clock.now - start) <= PAID_PER_SECOND * 1.02
    assert pacer.grant([(1, False)])[0] == 1  # the free budget was not spent by paid sends
