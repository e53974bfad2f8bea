"""The token's budget in Redis through stalls: every message of every process, reply or
broadcast, takes its token before it leaves and counts as in flight until its answer, so
however the messages are held up on the way (a stall at Telegram's end), what reaches
Telegram fits its burst and its 30 a second; replies come first and broadcasts still go."""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.emulator.limits import FloodLimits
from bot.faces.telegram.pacer import WAVE
from bot.faces.telegram.send_budget import IN_FLIGHT_TTL, TOKEN_IN_FLIGHT, RedisBudget
from tests.auxil.clock import FakeClock

START = FakeClock().now
STALLS = [(START + 5.0, START + 6.5), (START + 12.0, START + 13.2)]  # Telegram's end holds
# every request that comes meanwhile, then takes them all at once


def arrival(sent: float) -> float:
    """When Telegram takes a message sent at `sent`: held to the end of a stall it meets."""
    for start, end in STALLS:
        if start <= sent < end:
            return end
    return sent + 0.003


@dataclass
class Run:
    """A discrete-event run on the fake clock: events in time order, Telegram's checks too."""

    clock: FakeClock
    telegram: FloodLimits
    events: list[tuple[float, int, str, tuple]] = field(default_factory=list)
    order: itertools.count = field(default_factory=itertools.count)
    taken: dict[str, list[float]] = field(default_factory=lambda: {"reply": [], "broadcast": []})
    reply_waits: list[tuple[float, float]] = field(default_factory=list)  # (asked, waited)
    refused: int = 0

    def at(self, when: float, action: str, *data: object) -> None:
        heapq.heappush(self.events, (when, next(self.order), action, data))

    def send(self, when: float, chats: list[int], kind: str, answered: tuple) -> None:
        """The messages reach Telegram (after a stall they meet), then their answers land."""
        reached = arrival(when)
        for chat in chats:
            self.at(reached, "reach", chat, kind)
        self.at(reached + 0.005, *answered)


async def test_four_processes_replying_and_broadcasting_through_stalls_meet_no_429(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    rng = random.Random(7)
    budgets = processes(4)
    run = Run(clock, FloodLimits(clock=clock))
    start, chats = clock.now, itertools.count(1)
    for index in range(4):
        run.at(start, "grant", index)
    for reply in range(20 * 18):  # 20 replies a second for 18 s, spread over the processes
        asked = start + rng.uniform(0, 18)
        run.at(asked, "reply", rng.randrange(4), f"r{reply}", asked)
    while run.events:
        when, _, action, data = heapq.heappop(run.events)
        if when > start + 20:
            break
        clock.now = when
        if action == "reach":
            run.refused += run.telegram.check(data[0], is_group=False) is not None
            run.taken[data[1]].append(when)
        elif action == "grant":  # a process's delivery worker asks for its next wave
            wave = [(next(chats), False) for _ in range(WAVE)]
            granted = await budgets[data[0]].try_grant(wave)
            if granted <= 0:
                run.at(when + max(-granted, 0.001), "grant", data[0])
                continue
            went = wave[:int(granted)]
            sent = when + rng.uniform(0.0, 0.03)  # marked `sending` in the database first
            run.send(sent, [chat for chat, _ in went], "broadcast", ("landed", data[0], went))
            run.at(when, "grant", data[0])  # asks again at once
        elif action == "landed":
            await budgets[data[0]].landed(data[1])
        elif action == "reply":  # a villager's answer asks for its place
            index, member, asked = data
            wait = await budgets[index].try_reply(member)
            if wait > 0:
                run.at(when + wait, "reply", index, member, asked)
                continue
            run.reply_waits.append((asked, when - asked))
            run.send(when, [1_000_000 + int(member[1:])], "reply", ("replied", index, member))
        elif action == "replied":
            budgets[data[0]].replied(data[1])
            await budgets[data[0]].flush()
    assert run.refused == 0  # Telegram's 30 a second held in every second, stalls included
    broadcast = [t for t in run.taken["broadcast"] if t < start + 18]
    assert len(run.taken["reply"]) >= 20 * 17 and len(broadcast) / 18 >= 5  # both went
    calm = sorted(wait for asked, wait in run.reply_waits
                  if not any(s - 0.1 <= asked <= e + 0.5 for s, e in STALLS))
    assert calm[len(calm) // 2] < 0.05  # away from a stall, most replies wait for no one


async def test_a_message_counts_in_flight_until_its_answer_or_the_ttl_without_one(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    first, second = processes(2)
    wave = [(chat, False) for chat in range(1, TOKEN_IN_FLIGHT + 1)]
    granted = 0
    while granted < TOKEN_IN_FLIGHT:  # answers stalled: nothing lands
        clock.now += 0.2  # the overall budget's share of a wave
        granted += max(0, int(await first.try_grant(wave[granted:granted + WAVE])))
    clock.now += 1.0  # the bucket is full again
    assert await second.try_grant([(900, False)]) < 0  # but all that may be in flight is
    assert await second.try_reply("a-reply") > 0  # a reply waits too
    await first.landed(wave[:WAVE])  # their answers came
    assert await second.try_reply("a-reply") == 0
    assert await second.try_grant([(901, False)]) == 1
    clock.now += IN_FLIGHT_TTL  # a process killed with messages in flight
    assert await second.try_grant([(1000 + i, False) for i in range(WAVE)]) == WAVE


async def test_a_reply_waits_for_a_token_and_broadcasts_yield_to_it(
        processes: Callable[[int], list[RedisBudget]], clock: FakeClock) -> None:
    chatty, sender = processes(2)
    assert await sender.try_grant([(4, False)]) == 1  # a broadcast is under way
    replies = [await chatty.try_reply(f"r{i}") for i in range(10)]
    assert replies[:9] == [0.0] * 9 and replies[9] > 0  # the rest of the burst, then a wait
    clock.now += replies[9]
    assert await sender.try_grant([(5, False)]) < 0  # a reply is waiting: it goes first
    assert await chatty.try_reply("r9") == 0
