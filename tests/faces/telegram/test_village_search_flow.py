"""A villager finds their village with /desa: typos, context, and villages outside the programme."""

from __future__ import annotations

from bot.domain.people import roles
from bot.domain.programme import gazetteer
from bot.domain.programme.coverage import cover
from bot.domain.programme.village_import import import_villages
from tests.auxil.harness import Harness
from tests.auxil.paths import FIXTURES

KELONG = "AID.24819"


def _setup(harness: Harness) -> None:
    db = harness.services.db
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, FIXTURES / "villages_fictional.csv")
    cover(db, "tpi", ["KAB. BINTAN"])


async def test_a_village_outside_the_programme_is_named_honestly_then_joinable(
        harness_any_db: Harness) -> None:
    harness = harness_any_db
    _setup(harness)
    siti = harness.villager("Siti")
    answer = await siti.ask("/desa klong bintan")
    assert "Kelong (Bintan Pesisir, Kabupaten Bintan), Kepulauan Riau" in answer.text
    assert "belum ikut program Desa Binaan" in answer.text
    assert "Kantor Imigrasi Tanjungpinang" in answer.text  # where her tips would go
    assert "tidak menemukan" not in answer.text and answer.buttons == []
    gazetteer.add_to_programme(harness.services.db, KELONG)  # the office adds it
    choices = await siti.ask("/desa desa kelong, bintan")
    assert choices.button_texts() == ["Kelong (Bintan Pesisir, Kabupaten Bintan)"]
    await siti.press(choices, label="Kelong (Bintan Pesisir, Kabupaten Bintan)")
    assert "bergabung dengan Kelong" in (await siti.reply()).text


async def test_typed_after_the_prompt_with_typos_and_context(harness: Harness) -> None:
    _setup(harness)
    budi = harness.villager("Budi")
    prompt = await budi.ask("/desa")
    assert "Ketik nama desa" in prompt.text
    choices = await budi.ask("sukmaju lombok barat")
    assert choices.button_texts()[0] == "Sukamaju (Gerung, Lombok Barat)"
    nothing = await budi.ask("/desa qwxz zzkq")
    assert "tidak menemukan desa" in nothing.text


async def test_the_village_list_is_loaded_at_start_so_the_first_search_does_not_wait(
        emulator, services) -> None:  # type: ignore[no-untyped-def]
    """The first /desa with a typo after a restart built the 82,503-village index while the
    villager waited (over 2.5 s on a busy machine): it is loaded in the background now."""
    from dataclasses import replace

    from tests.auxil.harness import start_bot, stop_bot

    gazetteer._load_unlocked.cache_clear()  # a fresh process
    services = replace(services, settings=replace(services.settings, gazetteer_warmup=True))
    app = await start_bot(emulator, services)
    try:
        harness = Harness(emulator, app, services)
        _setup(harness)
        await app.bot_data["gazetteer_warmup"]  # what the first minutes after start do
        loads = gazetteer._load_unlocked.cache_info().misses
        answer = await harness.villager("Siti").ask("/desa klong bintan")
        assert "Kelong (Bintan Pesisir, Kabupaten Bintan)" in answer.text
        assert gazetteer._load_unlocked.cache_info().misses == loads  # nothing loaded now
    finally:
        await stop_bot(app)
