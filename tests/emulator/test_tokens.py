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


async def test_paid_broadcast_allows_a_thousand_a_second_and_bills_only_past_the_free_30(
) -> None:
    clock = FakeClock()
    emu = Emulator(token=TOKEN_A, limits=FloodLimits(clock=clock))
    emu.api.seed_stars(10_010)
    await emu.start()
    people = [emu.person(f"P{i}") for i in range(100)]
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        codes = [(await _send(client, TOKEN_A, p.id, allow_paid_broadcast="true")).status_code
                 for p in people]
        assert codes == [200] * 100
        balance = (await client.get(f"/bot{TOKEN_A}/getMyStarBalance")).json()["result"]
    # 100 in one second: the first 30 are within the free limit, the other 70 cost 0.1 each.
    assert emu.api.paid_messages == 70 and emu.limits.hits == 0
    assert balance == {"amount": 10_003}
    await emu.stop()


async def test_a_paid_message_the_balance_cannot_pay_for_is_refused_not_sent() -> None:
    clock = FakeClock()
    emu = Emulator(token=TOKEN_A, limits=FloodLimits(clock=clock))
    emu.api.seed_stars(10_000.15)  # two paid messages, then under Telegram's 10,000 minimum
    await emu.start()
    people = [emu.person(f"P{i}") for i in range(34)]
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        answers = [await _send(client, TOKEN_A, p.id, allow_paid_broadcast="true")
                   for p in people]
        blocked = emu.person("Diblokir")
        emu.world.chats[blocked.id].blocked_bot = True
        refused = await _send(client, TOKEN_A, blocked.id, allow_paid_broadcast="true")
        balance = (await client.get(f"/bot{TOKEN_A}/getMyStarBalance")).json()["result"]
    assert [a.status_code for a in answers] == [200] * 32 + [400, 400]
    assert answers[-1].json()["description"] == "Bad Request: BALANCE_TOO_LOW"
    assert refused.status_code == 403  # a message that did not go costs nothing
    assert emu.api.paid_messages == 2
    assert balance == {"amount": 9_999, "nanostar_amount": 950_000_000}
    sent_to = {e.chat_id for e in emu.world.transcript if e.direction == "out"}
    assert sent_to == {p.id for p in people[:32]}
    await emu.stop()


async def test_without_the_flag_a_message_past_thirty_a_second_is_a_429_never_billed() -> None:
    clock = FakeClock()
    emu = Emulator(token=TOKEN_A, limits=FloodLimits(clock=clock))
    emu.api.seed_stars(20_000)
    await emu.start()
    people = [emu.person(f"P{i}") for i in range(31)]
    async with httpx.AsyncClient(base_url=emu.base_url) as client:
        codes = [(await _send(client, TOKEN_A, p.id)).status_code for p in people]
    assert codes == [200] * 30 + [429]
    assert emu.api.paid_messages == 0 and emu.api.stars_nano == 20_000 * 10**9
    await emu.stop()
