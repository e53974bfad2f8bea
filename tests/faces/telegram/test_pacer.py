"""The broadcast pacer: replies to villagers come first, a broadcast is slowed, never stopped."""

from __future__ import annotations

from bot.faces.telegram.pacer import BROADCASTING, Pacer
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
    assert 27.0 <= _rate(times) <= 29.5


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
