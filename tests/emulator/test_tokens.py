"""Several bot tokens on one emulator: each bot its own chats, updates and flood limits."""

from __future__ import annotations

import httpx

from bot.emulator import Emulator, FloodLimits
from tests.auxil.clock import FakeClock

TOKEN_A = "111:aaa"
TOKEN_B = "222:bbb"


async def _send(client: httpx.AsyncClient, token: str, chat_id: int,
                **extra: str) -> httpx.Response:
    return await client.post(f"/bot{token}/sendMessage",
                             data={"chat_id": str(chat_id), "text": "x", **extra})


async def test_each_token_has_its_own_thirty_a_second_and_its_own_chats() -> None:
    clock = FakeClock()
    emu = Emulator(token=TOKEN_A, limits=FloodLimits(clock=clock), bot_username="jatim_bot")
    other = emu.add_bot(TOKEN_B, "ntb_bot")
    await emu.start()
    a_people = [emu.person(f"A{i}") for i in range(30)]
    b_people = [other.person(f"B{i}") for i in range(30)]
    assert not {p.id for p in a_people} & {p.id for p in b_people}
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        a = [(await _send(client, TOKEN_A, p.id)).status_code for p in a_people]
        b = [(await _send(client, TOKEN_B, p.id)).status_code for p in b_people]
        assert a == [200] * 30 and b == [200] * 30  # 60 in one second: 30 per token
        assert (await _send(client, TOKEN_A, a_people[0].id)).status_code == 429
        # A chat of one bot is not a chat of the other (the villager never started it).
        assert (await _send(client, TOKEN_B, a_people[1].id)).status_code == 400
        me = (await client.get(f"/bot{TOKEN_B}/getMe")).json()["result"]
        assert me["id"] == 222 and me["username"] == "ntb_bot"
        assert (await client.get("/bot333:ccc/getMe")).status_code == 401
    assert [e.chat_id for e in other.world.transcript if e.direction == "out"] == \
        [p.id for p in b_people]
    await emu.stop()


async def test_paid_broadcast_allows_a_thousand_a_second_and_is_counted() -> None:
    clock = FakeClock()
    emu = Emulator(token=TOKEN_A, limits=FloodLimits(clock=clock))
    await emu.start()
    people = [emu.person(f"P{i}") for i in range(100)]
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        codes = [(await _send(client, TOKEN_A, p.id, allow_paid_broadcast="true")).status_code
                 for p in people]
        assert codes == [200] * 100
    assert emu.api.paid_messages == 100 and emu.limits.hits == 0
    await emu.stop()
