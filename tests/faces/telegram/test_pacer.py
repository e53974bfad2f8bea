"""The broadcast pacer: replies to villagers come first, a broadcast is slowed, never stopped."""

from __future__ import annotations

import itertools

from bot.faces.telegram.pacer import BROADCASTING, WAVE, Pacer
from tests.auxil.clock import FakeClock


def _broadcast(pacer: Pacer, clock: FakeClock, chats: range) -> list[float]:
    """Send to each chat as soon as the pacer allows; the times they went out."""
    times = []
    for chat in chats:
        clock.now += pacer.wait_time(chat, is_group=False)
        pacer.take(chat, is_group=False)
        times.append(clock.now)
    return times


def _rate(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0])


def test_a_quiet_broadcast_goes_at_just_under_thirty_a_second() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    times = _broadcast(pacer, clock, range(1, 301))
    assert times[2 * WAVE] - times[0] < 0.05  # two groups' worth at once after a quiet time
    assert 27.0 <= _rate(times[2 * WAVE:]) < 30.0


def test_replies_to_villagers_slow_the_broadcast_down() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    times = []
    for step, chat in enumerate(range(1, 61)):
        for _ in range(25):  # 25 replies in each tenth of a second: 250 a second, far over 30
            pacer.note_send()
        clock.now += pacer.wait_time(chat, is_group=False)
        pacer.take(chat, is_group=False)
        times.append(clock.now)
        if step % 2:
            clock.now += 0.1
    assert pacer.others == 60 * 25
    assert 1.9 <= _rate(times) <= 2.1  # the guaranteed minimum, not 29 a second
    clock.now += 2.0  # the villagers are quiet again
    assert _rate(_broadcast(pacer, clock, range(100, 200))) > 27.0


def test_a_burst_of_replies_costs_the_broadcast_about_a_second() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    _broadcast(pacer, clock, range(1, 11))
    for _ in range(1000):
        pacer.note_send()
    start = clock.now
    times = _broadcast(pacer, clock, range(11, 41))
    assert times[-1] - start < 2.5  # the debt is capped at one second of budget
    assert times[-1] - start > 1.0


def test_the_broadcasts_own_sends_are_not_charged_twice() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    token = BROADCASTING.set(True)
    try:
        for _ in range(100):
            pacer.note_send()
    finally:
        BROADCASTING.reset(token)
    assert pacer.others == 0
    assert _rate(_broadcast(pacer, clock, range(1, 101))) > 27.0


def test_a_429_pauses_everything() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    pacer.pause(7)
    assert pacer.wait_time(1, is_group=False) == 7


def _waves(pacer: Pacer, clock: FakeClock, chats: list[int]) -> list[tuple[float, int]]:
    """Send `chats` in the groups the pacer grants; (time, size) of each group."""
    waves = []
    while chats:
        count, wait = pacer.grant([(chat, False) for chat in chats[:WAVE]])
        if not count:
            clock.now += wait
            continue
        waves.append((clock.now, count))
        chats = chats[count:]
    return waves


def test_a_broadcast_goes_in_small_groups_at_just_under_thirty_a_second() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    waves = _waves(pacer, clock, list(range(1, 601)))
    assert {size for _, size in waves} == {WAVE}  # one write and one budget call per group
    rate = (600 - waves[-1][1]) / (waves[-1][0] - waves[0][0])
    assert 28.0 <= rate < 30.0
    for (first, _), (second, _) in itertools.pairwise(waves):
        assert second - first <= WAVE / 29 + 2e-3  # evenly spread: no second with 2 x 30


def test_a_group_stops_at_a_chat_still_within_its_own_limit() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    assert pacer.grant([(7, False)]) == (1, 0.0)
    clock.now += 0.5  # the overall budget is full again; chat 7 may have one a second
    count, _ = pacer.grant([(8, False), (9, False), (7, False), (10, False)])
    assert count == 2  # 7's turn comes in a later group
    count, wait = pacer.grant([(7, False), (10, False)])
    assert count == 0 and 0.49 <= wait <= 0.51


def test_replies_slow_the_groups_but_never_stop_them() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    start = clock.now
    sent = 0
    while clock.now - start < 10:
        for _ in range(3):  # 30 replies a second: the whole budget
            pacer.note_send()
        count, wait = pacer.grant([(chat, False) for chat in range(sent, sent + WAVE)])
        sent += count
        clock.now += 0.1 if count else min(wait, 0.1)
    assert 15 <= sent <= 30  # the floor of 2 a second, not 29


def test_a_429_holds_the_groups_back() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock)
    pacer.pause(7)
    assert pacer.grant([(1, False), (2, False)]) == (0, 7)
