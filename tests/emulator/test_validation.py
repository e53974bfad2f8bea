"""The emulator answers invalid requests the way Telegram does."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.emulator import Emulator

TOKEN = "123456:abc"


@pytest.fixture
async def http(emulator: Emulator):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=f"{emulator.base_url}/bot{TOKEN}") as client:
        yield client


async def test_unknown_method_is_404(http: httpx.AsyncClient) -> None:
    response = await http.post("/sendTelepathy", data={"chat_id": "1"})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_missing_required_field_is_400(emulator: Emulator, http: httpx.AsyncClient) -> None:
    siti = emulator.person("Siti")
    response = await http.post("/sendMessage", data={"chat_id": str(siti.id)})
    assert response.status_code == 400
    assert "'text' is required" in response.json()["description"]


async def test_unknown_field_is_400(emulator: Emulator, http: httpx.AsyncClient) -> None:
    siti = emulator.person("Siti")
    response = await http.post("/sendMessage",
                                data={"chat_id": str(siti.id), "text": "hi", "colour": "red"})
    assert response.status_code == 400
    assert "unknown parameter 'colour'" in response.json()["description"]


async def test_wrong_type_is_400(emulator: Emulator, http: httpx.AsyncClient) -> None:
    siti = emulator.person("Siti")
    response = await http.post("/sendMessage", data={"chat_id": str(siti.id), "text": "hi",
                                                      "disable_notification": "maybe"})
    assert response.status_code == 400
    assert "boolean" in response.json()["description"]


async def test_unknown_field_inside_an_object_is_400(emulator: Emulator,
                                                     http: httpx.AsyncClient) -> None:
    siti = emulator.person("Siti")
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a", "colour": 1}]]}'
    response = await http.post("/sendMessage", data={"chat_id": str(siti.id), "text": "hi",
                                                      "reply_markup": markup})
    assert response.status_code == 400
    assert "unknown field 'colour'" in response.json()["description"]


async def test_malformed_token_is_404_and_foreign_token_401(emulator: Emulator) -> None:
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        assert (await client.get("/botnot-a-token/getMe")).status_code == 404
    emulator.token = TOKEN
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        assert (await client.get("/bot999:other/getMe")).status_code == 401
        assert (await client.get(f"/bot{TOKEN}/getMe")).json()["ok"] is True


async def test_telegram_limits_on_content(emulator: Emulator) -> None:
    siti = emulator.person("Siti")
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(siti.id, "x" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(424242, "hello")
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(siti.id, "hi", reply_markup={
                "inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]})


async def test_python_telegram_bot_round_trip(emulator: Emulator) -> None:
    """PTB parses everything the emulator returns (messages, polls, members, chats)."""
    siti = emulator.person("Siti", username="siti")
    group = emulator.world.add_group("Grup Desa")
    await emulator.add_bot_to_group(siti.user, group, as_admin=True)
    async with Bot(TOKEN, base_url=f"{emulator.base_url}/bot") as bot:
        me = await bot.get_me()
        assert me.username == "desabinaan_bot"
        sent = await bot.send_message(siti.id, "Halo Siti")
        assert sent.text == "Halo Siti" and sent.chat.id == siti.id
        edited = await bot.edit_message_text("Halo lagi", chat_id=siti.id,
                                             message_id=sent.message_id)
        assert edited.text == "Halo lagi"
        poll = await bot.send_poll(group.id, "Apa itu TPPO?", ["Perdagangan orang", "Pajak"],
                                   type="quiz", correct_option_ids=[0], is_anonymous=False)
        assert poll.poll.correct_option_ids == (0,)
        member = await bot.get_chat_member(group.id, siti.id)
        assert member.status == "creator"
        chat = await bot.get_chat(group.id)
        assert chat.title == "Grup Desa"
        photo = await bot.send_photo(siti.id, b"\x89PNG\r\n\x1a\n" + bytes(20), caption="poster")
        assert photo.caption == "poster" and photo.photo
        copied = await bot.copy_message(siti.id, siti.id, sent.message_id)
        assert copied.message_id > sent.message_id
    texts = [e.text for e in emulator.world.bot_messages(siti.id)]
    assert texts == ["Halo lagi", "poster", "Halo lagi"]
