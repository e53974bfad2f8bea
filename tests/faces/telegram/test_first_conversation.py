"""The first conversation through the real Application and the emulator."""

from __future__ import annotations

from tests.auxil.harness import Harness


async def test_start_welcomes_with_the_menu(harness: Harness) -> None:
    siti = harness.villager()
    reply = await siti.ask("/start")
    assert "Desa Binaan" in reply.text
    assert "Privasi" in reply.text
    labels = reply.button_texts()
    assert len(labels) >= 6
    assert any("resmi" in label.lower() for label in labels)


async def test_halo_gets_the_welcome_too(harness: Harness) -> None:
    reply = await harness.villager().ask("halo")
    assert "Desa Binaan" in reply.text and reply.buttons


async def test_pressing_a_menu_button_answers_with_a_source(harness: Harness) -> None:
    siti = harness.villager()
    welcome = await siti.ask("/start")
    await siti.press(welcome, data="ans:legal_route")
    answer = await siti.reply()
    assert "Sumber:" in answer.text
    assert "Selengkapnya" in answer.button_texts()
    await siti.press(answer, label="Selengkapnya")
    full = await siti.reply()
    assert len(full.text) > len(answer.text)


async def test_help_and_command_menu(harness: Harness) -> None:
    reply = await harness.villager().ask("/bantuan")
    assert "/lapor" in reply.text or "/start" in reply.text
    commands = [c["command"] for c in harness.emu.world.commands]
    assert {"start", "bantuan", "lapor", "status"} <= set(commands)


async def test_forged_answer_button_is_refused_politely(harness: Harness) -> None:
    siti = harness.villager()
    welcome = await siti.ask("/start")
    await siti.press(welcome, data="ans:../../etc/passwd")
    await harness.emu.wait_for(lambda: any(q.get("answered") for q in
                                           harness.emu.world.callbacks.values()))
    answered = [q["answered"] for q in harness.emu.world.callbacks.values()]
    assert answered[0]["text"] == "Tombol ini sudah tidak berlaku."


async def test_stickers_and_voice_notes_get_a_polite_answer(harness: Harness) -> None:
    siti = harness.villager()
    for kind in ("sticker", "voice", "location"):
        siti.mark = harness.emu.last_seq()
        await harness.emu.send_other(siti.user, kind)
        reply = await siti.reply()
        assert "teks" in reply.text


async def test_a_crash_in_a_handler_gets_an_apology_not_a_traceback(
        harness: Harness, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(text: str) -> dict:
        raise RuntimeError("NLU exploded")

    monkeypatch.setattr(harness.services.nlu, "parse", broken)
    reply = await harness.villager().ask("apa itu TPPO?")
    assert reply.text.startswith("Maaf")
    assert "RuntimeError" not in reply.text and "Traceback" not in reply.text
