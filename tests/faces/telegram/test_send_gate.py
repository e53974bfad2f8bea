"""Broadcast messages held up together (a slow database write) leave spaced out, in a burst
Telegram accepts, instead of all at once; evenly paced ones are never held back."""

from __future__ import annotations

from bot.emulator.limits import FloodLimits
from bot.faces.telegram.pacer import WAVE
from bot.faces.telegram.senders.send_gate import BURST, SendGate
from tests.auxil.clock import FakeClock


def test_evenly_paced_groups_leave_at_once() -> None:
    clock = FakeClock()
    gate = SendGate(rate=29.5, clock=clock)
    for _ in range(200):
        assert gate.try_pass(WAVE) == 0.0
        clock.now += WAVE / 29.5


def test_groups_held_up_together_leave_within_telegrams_limit() -> None:
    clock = FakeClock()
    gate = SendGate(rate=29.5, clock=clock)
    telegram = FloodLimits(clock=clock)
    for step in range(20):  # steady sending for a while: Telegram's bucket is not full
        for chat in range(WAVE):
            assert telegram.check(1000 + step * WAVE + chat, is_group=False) is None
        assert gate.try_pass(WAVE) == 0.0
        clock.now += WAVE / 29.5
    # A write (or this process) held the next 12 groups (60 messages, two seconds of budget)
    # for 2 s: they are all ready at the same moment now, and each asks again after its wait.
    clock.now += 2.0
    start, waiting, leaving = clock.now, 12, []
    while waiting:
        waits = [gate.try_pass(WAVE) for _ in range(waiting)]
        leaving += [clock.now] * waits.count(0.0)
        waiting -= waits.count(0.0)
        clock.now += min([w for w in waits if w > 0], default=0.0)
    assert leaving.count(start) == int(BURST // WAVE) + 1  # 15 at once
    assert leaving[-1] - leaving[0] >= (60 - BURST - WAVE) / 29.5 - 1e-9  # the rest at the rate
    hits = 0
    for at in leaving:
        clock.now = at
        hits += sum(telegram.check(at * 1e6 + i, is_group=False) is not None
                    for i in range(WAVE))
    assert hits == 0  # all at once, Telegram would have answered 30 of them with 429
