"""One sending budget per bot token in Redis: the processes of a token share Telegram's 30/s,
replies come first, broadcasts are never starved, per-chat and per-group limits hold across
processes, a 429 pauses them all, and the token never appears in Redis."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from bot.emulator.limits import FloodLimits
from bot.faces.telegram.pacer import WAVE
from bot.faces.telegram.send_budget import (
    LocalBudget,
    RedisBudget,
    for_token,
    token_key,
)
from tests.auxil.clock import FakeClock

GROUP = -100123


async def _broadcast(budgets: list[RedisBudget], clock: FakeClock, chats: range,
                     is_group: bool = False) -> list[float]:
    """The processes take turns sending to `chats` as fast as the budget allows; send times."""
    times = []
    for index, chat in enumerate(chats):
        budget = budgets[index % len(budgets)]
        while (wait := await budget.try_take(chat, is_group)) > 0:
            clock.now += wait
        times.append(clock.now)
    return times


def _rate(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0])


async def test_three_processes_share_one_budget_of_just_under_thirty_a_second(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    times = await _broadcast(processes(3), clock, range(1, 301))
    assert 27.0 <= _rate(times[2 * WAVE:]) < 30.0  # together, not 3 x 29
    telegram = FloodLimits(clock=clock)  # the emulator's model of Telegram's limits
    for chat, clock.now in enumerate(times):
        assert telegram.check(chat, is_group=False) is None  # no 429


async def test_one_processs_replies_slow_anothers_broadcast_but_never_stop_it(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    chatty, sender = processes(2)
    times = []
    for step, chat in enumerate(range(1, 61)):
        for _ in range(25):  # 250 replies a second from the other process
            chatty.note_reply()
        await chatty.flush()
        while (wait := await sender.try_take(chat, False)) > 0:
            clock.now += wait
        times.append(clock.now)
        if step % 2:
            clock.now += 0.1
    assert chatty.others == 60 * 25
    assert 1.8 <= _rate(times) <= 2.2  # the guaranteed minimum, not 29 a second
    clock.now += 2.0  # the villagers are quiet again
    assert _rate(await _broadcast([sender], clock, range(100, 200))) > 27.0


async def test_a_chat_and_a_group_keep_their_limits_across_processes(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    first, second = processes(2)
    assert await first.try_take(7, False) == 0
    assert await second.try_take(7, False) == pytest.approx(1.0, abs=0.01)
    assert await second.try_take(8, False) < 0.05  # another chat: only the overall budget
    times = []
    for index in range(5):  # five messages to one group from alternating processes
        budget = (first, second)[index % 2]
        while (wait := await budget.try_take(GROUP, True)) > 0:
            clock.now += wait
        times.append(clock.now)
    assert _rate(times) * 60 <= 20  # Telegram's 20 a minute per group


async def test_a_429_in_one_process_pauses_the_others(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    first, second = processes(2)
    await first.pause(7)
    assert await second.try_take(1, False) == pytest.approx(7, abs=0.01)
    clock.now += 7
    assert await second.try_take(1, False) == 0


async def test_the_token_is_never_in_a_redis_key(redis_url: str) -> None:
    from redis.asyncio import Redis

    token = f"987654:{uuid4().hex}"
    budget = RedisBudget(redis_url, token)
    await budget.acquire("broadcast", 5)
    budget.note_reply()
    await budget.flush()
    redis = Redis.from_url(redis_url)
    keys = [key.decode() async for key in redis.scan_iter(match=token_key(token) + "*")]
    everything = [key.decode() async for key in redis.scan_iter(count=1000)]
    await redis.aclose()
    await budget.close()
    assert keys and all(token not in key and "987654" not in key for key in everything)


async def test_without_redis_the_budget_is_this_processs_own() -> None:
    budget = for_token("123:abc", None)
    assert isinstance(budget, LocalBudget)
    await budget.acquire("reply", 1)
    assert budget.others == 1


async def test_an_unreachable_redis_leaves_broadcasts_paced_by_the_process_alone() -> None:
    budget = RedisBudget("redis://127.0.0.1:9/0", "123:abc")  # nothing listens on port 9
    waits = [await budget.try_take(chat, False) for chat in range(1, 4 * WAVE)]
    assert waits[0] == 0 and any(wait > 0 for wait in waits)  # not an error, and paced
    await budget.close()


async def test_processes_granted_groups_share_the_budget_and_the_chats_limits(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    """One script call lets a few messages go at once; together still just under 30/s."""
    budgets = processes(2)
    chats = list(range(1, 301))
    times: list[float] = []
    turn = 0
    while chats:
        budget = budgets[turn % 2]
        granted = await budget.try_grant([(chat, False) for chat in chats[:WAVE]])
        turn += 1
        if granted <= 0:
            clock.now += -granted
            continue
        times.extend([clock.now] * int(granted))
        await budget.landed([(chat, False) for chat in chats[:int(granted)]])  # answered
        chats = chats[int(granted):]
    assert 27.0 <= _rate(times[2 * WAVE:]) < 30.0
    telegram = FloodLimits(clock=clock)
    for chat, clock.now in enumerate(times):
        assert telegram.check(chat, is_group=False) is None  # no 429
    assert await budgets[0].try_grant([(1, False), (2, False)]) < 0  # the budget is used up
    await budgets[1].pause(7)
    assert await budgets[0].try_grant([(900, False)]) == pytest.approx(-7, abs=0.01)


async def test_replies_waiting_for_their_turn_ask_redis_one_at_a_time(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    """Villagers writing faster than the budget: the waiting replies queue in the process,
    and only the first of them asks Redis again (not each of them every few milliseconds)."""
    import asyncio

    (budget,) = processes(1)  # the clock stands still: after the burst, every reply waits
    asked = 0
    ask = budget.try_reply

    async def counted(member: str) -> float:
        nonlocal asked
        asked += 1
        return await ask(member)

    budget.try_reply = counted  # type: ignore[method-assign]
    waiting = [asyncio.create_task(budget.reply_turn()) for _ in range(60)]
    await asyncio.sleep(0.5)  # the burst went at once; 50 waiting, for 0.5 s
    turned = sum(task.done() for task in waiting)
    assert 0 < turned < 60
    assert asked < 60 + 30  # each reply asked once, then the head of the queue alone
    clock.now += 60.0  # the budget refills: the head of the queue and those behind it go
    rest = [task for task in waiting if not task.done()]
    done, _ = await asyncio.wait(rest, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    assert done and all(task.result() is not None for task in done)
    for task in waiting:
        task.cancel()
