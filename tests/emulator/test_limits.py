"""Flood limits: 429 with retry_after, as Telegram answers, on a clock the test drives."""

from __future__ import annotations

import httpx

from bot.emulator import Emulator, FloodLimits
from tests.auxil.clock import FakeClock

TOKEN = "123456:abc"


async def _send(client: httpx.AsyncClient, chat_id: int) -> httpx.Response:
    return await client.post(f"/bot{TOKEN}/sendMessage", data={"chat_id": str(chat_id),
                                                                "text": "x"})


async def test_overall_limit_of_thirty_a_second() -> None:
    clock = FakeClock()
    emu = Emulator(limits=FloodLimits(clock=clock))
    await emu.start()
    people = [emu.person(f"P{i}") for i in range(40)]
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        codes = [(await _send(client, p.id)).status_code for p in people]
        assert codes.count(200) == 30 and codes[30:] == [429] * 10
        refused = await _send(client, people[35].id)
        assert refused.json()["parameters"]["retry_after"] >= 1
        clock.now += 1.0
        assert (await _send(client, people[35].id)).status_code == 200
    assert emu.limits.hits_by == {"overall": 11}  # the token's 30/s, no chat's own limit
    await emu.stop()


async def test_private_chat_allows_a_short_burst_then_one_a_second() -> None:
    clock = FakeClock()
    emu = Emulator(limits=FloodLimits(clock=clock))
    await emu.start()
    siti = emu.person("Siti")
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        codes = [(await _send(client, siti.id)).status_code for _ in range(7)]
        assert codes == [200] * 5 + [429] * 2
        clock.now += 1.0
        assert (await _send(client, siti.id)).status_code == 200
        assert (await _send(client, siti.id)).status_code == 429
    assert emu.limits.hits_by == {"private": 3}
    await emu.stop()


async def test_group_limit_of_twenty_a_minute() -> None:
    clock = FakeClock()
    emu = Emulator(limits=FloodLimits(clock=clock))
    await emu.start()
    kades = emu.person("Kades")
    group = emu.world.add_group("Grup Desa")
    await emu.add_bot_to_group(kades.user, group)
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        codes = []
        for _ in range(25):
            codes.append((await _send(client, group.id)).status_code)
            clock.now += 0.5  # well under the overall limit, over the group's
        assert codes.count(200) < 25 and codes[:20] == [200] * 20
        refused = await _send(client, group.id)
        assert refused.status_code == 429
        assert refused.json()["parameters"]["retry_after"] >= 1
        clock.now += 60
        assert (await _send(client, group.id)).status_code == 200
    await emu.stop()


def test_twenty_nine_a_second_never_meets_a_429_and_thirty_one_a_second_does() -> None:
    def hits(per_second: float, burst: int) -> int:
        clock = FakeClock()
        limits = FloodLimits(clock=clock)
        for chat in range(int(per_second * 60)):  # a minute, `burst` messages at once
            if chat % burst == 0:
                clock.now += burst / per_second
            limits.check(chat, is_group=False)
        return limits.hits

    assert hits(29, burst=3) == 0
    assert hits(31, burst=1) > 0
