"""Users' actions become updates; faults and webhooks behave like Telegram's."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Forbidden, NetworkError, TimedOut

from bot.emulator import Emulator

TOKEN = "123456:abc"


async def test_updates_stay_until_confirmed_by_offset(emulator: Emulator) -> None:
    siti = emulator.person("Siti")
    await siti.say("halo")
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        first = await bot.get_updates(timeout=0)
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in first] == [u.update_id for u in again] == [1]
        assert first[0].message.text == "halo"
        assert (await bot.get_updates(offset=2, timeout=0)) == ()
    assert emulator.queue.confirmed_up_to == 1


async def test_long_polling_returns_as_soon_as_a_user_writes(emulator: Emulator) -> None:
    siti = emulator.person("Siti")
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        waiting = asyncio.create_task(bot.get_updates(timeout=20, read_timeout=30))
        await siti.say("/start")
        updates = await asyncio.wait_for(waiting, 5)
    assert updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == "bot_command"


async def test_group_privacy_mode_hides_plain_messages(emulator: Emulator) -> None:
    kades, budi = emulator.person("Kades"), emulator.person("Budi")
    group = emulator.world.add_group("Grup Desa")
    await emulator.add_bot_to_group(kades.user, group)
    group.members[budi.id] = "member"
    await emulator.send_text(budi.user, "ngobrol biasa", group)
    await emulator.send_text(budi.user, "/kuis", group)
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        updates = await bot.get_updates(timeout=0)
    texts = [u.message.text for u in updates if u.message and u.message.text]
    assert texts == ["/kuis"]


async def test_error_fault_then_success(emulator: Emulator) -> None:
    siti = emulator.person("Siti")
    emulator.faults.add("error", method="sendMessage", status=502)
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        with pytest.raises(NetworkError):
            await bot.send_message(siti.id, "satu")
        await bot.send_message(siti.id, "dua")
    assert [e.text for e in emulator.world.bot_messages(siti.id)] == ["dua"]


async def test_timeout_and_dropped_connection(emulator: Emulator) -> None:
    siti = emulator.person("Siti")
    emulator.faults.add("timeout", method="sendMessage", delay=3)
    emulator.faults.add("drop", method="sendMessage")
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(siti.id, "satu", read_timeout=0.5)
        with pytest.raises(NetworkError):
            await bot.send_message(siti.id, "dua")
        await bot.send_message(siti.id, "tiga")
    assert [e.text for e in emulator.world.bot_messages(siti.id)] == ["tiga"]


async def test_a_send_can_arrive_while_its_answer_is_lost_or_late(emulator: Emulator) -> None:
    """The villager sees the message although the bot only saw a timeout or a dropped line."""
    siti = emulator.person("Siti")
    emulator.faults.add("late_answer", method="sendMessage", delay=3)
    emulator.faults.add("lost_answer", method="sendMessage")
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(siti.id, "satu", read_timeout=0.5)
        with pytest.raises(NetworkError):
            await bot.send_message(siti.id, "dua")
    assert [e.text for e in emulator.world.bot_messages(siti.id)] == ["satu", "dua"]


async def test_blocked_user_gets_403(emulator: Emulator) -> None:
    siti = emulator.person("Siti")
    await emulator.block_bot(siti.user)
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(siti.id, "halo")


async def test_webhook_delivery_with_secret_token(emulator: Emulator) -> None:
    received: list[tuple[str | None, dict]] = []
    got = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                         await request.json()))
        got.set()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        async with httpx.AsyncClient() as client:
            conflict = await client.get(f"{emulator.base_url}/bot{TOKEN}/getUpdates")
        assert conflict.status_code == 409
        await emulator.person("Siti").say("halo lewat webhook")
        await asyncio.wait_for(got.wait(), 5)
        await bot.delete_webhook()
    await runner.cleanup()
    secret, update = received[0]
    assert secret == "s3cret"
    assert update["message"]["text"] == "halo lewat webhook"


async def test_forged_callback_data_reaches_the_bot_unchanged(emulator: Emulator) -> None:
    siti = emulator.person("Siti")
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        await bot.send_message(siti.id, "pilih", reply_markup={
            "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
        event = emulator.world.bot_messages(siti.id)[-1]
        await siti.press(event, data="claim:999")
        updates = await bot.get_updates(timeout=0)
        assert updates[-1].callback_query.data == "claim:999"
        assert await updates[-1].callback_query.answer("ok")


async def test_webhook_sends_one_chat_at_a_time_other_chats_meanwhile_and_retries(
        emulator: Emulator) -> None:
    """Telegram's webhook promises: a chat's next update waits for the answer to its previous
    one (a failed one is retried first), while other chats' updates go in parallel."""
    received: list[str] = []
    release_siti = asyncio.Event()
    arrived = asyncio.Condition()
    failed_once: set[str] = set()

    async def hook(request: web.Request) -> web.Response:
        text = (await request.json())["message"]["text"]
        async with arrived:
            received.append(text)
            arrived.notify_all()
        if text == "siti 1":
            await release_siti.wait()  # the bot is still handling Siti's first message
        if text == "budi 2" and text not in failed_once:
            failed_once.add(text)
            return web.Response(status=500)
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    siti, budi = emulator.person("Siti"), emulator.person("Budi")

    async def seen(count: int) -> None:
        async with arrived:
            await asyncio.wait_for(arrived.wait_for(lambda: len(received) >= count), 10)

    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", max_connections=10)
        for text in ("siti 1", "siti 2"):
            await siti.say(text)
        for text in ("budi 1", "budi 2", "budi 3"):
            await budi.say(text)
        await seen(5)  # siti 1, then Budi's three (one failed and retried)
        assert "siti 2" not in received
        assert [t for t in received if t.startswith("budi")] == [
            "budi 1", "budi 2", "budi 2", "budi 3"]
        release_siti.set()
        await seen(6)
        await bot.delete_webhook()
    await runner.cleanup()
    assert received[0] == "siti 1" and received[-1] == "siti 2"
