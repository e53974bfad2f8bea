"""Forged and malformed button presses (callback data can be forged): answered, never a crash.

How a crash is recognised, and how "ignored on purpose" is checked without sleeping, is
explained in `tests.auxil.watching`.
"""

from __future__ import annotations

import asyncio
import random
import string
from typing import Any

import pytest

from bot.domain.people import roles
from bot.domain.programme.village_import import import_villages
from bot.emulator import Person
from bot.emulator.methods import new_callback_id
from tests.auxil.harness import Harness
from tests.auxil.paths import FIXTURES
from tests.auxil.watching import Finished, assert_no_crash

NOT_VALID = "Tombol ini sudah tidak berlaku."


# -- callback data ------------------------------------------------------------------------
def _random_ascii(rng: random.Random, size: int = 64) -> str:
    return "".join(rng.choice(string.printable.strip()) for _ in range(size))


FORGED = ["tp:c:99999", "tp:c:abc", "tp:v:1", "tp:e:1:police", "tp:x:1:followed_up",
          "tp:q:0", "tp:c:9999999999", "tp:", "tf:send", "tf:cancel", "tf:", "tf:v:1",
          "tf:consent:yes", "pl:n:1:x", "pl:v:1:../../etc", "pl:s:9999999999:a", "pl:",
          "dj:999999", "dj:abc", "dj:", "dj:9999999999", "dj:٣", "tr:a:1", "tr:a:x", "tr:",
          "ans:../../etc/passwd", "ans:legal_route:Narnia", "full:", "menu:x", "ans:{0}",
          "%s%s%n", "' OR 1=1 --", "\u202e", "😀" * 16, "x" * 64,
          *(_random_ascii(random.Random(seed)) for seed in range(5))]

MALFORMED = ["tp:c:abc", "tp:", "tr:a:x", "ans:../../etc/passwd", "ans:legal_route:Narnia",
             "menu:x", "%s%s%n", "' OR 1=1 --", "x" * 64]


async def test_forged_callback_data_is_answered_and_never_crashes(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    emu = harness.emu
    people = [harness.villager(f"Warga {i}") for i in range(len(FORGED))]
    welcomes = await asyncio.gather(*(p.ask("/start") for p in people))
    assert all("Desa Binaan" in w.text for w in welcomes)
    ids = []
    for person, welcome, data in zip(people, welcomes, FORGED, strict=True):
        assert 1 <= len(data.encode()) <= 64, data
        ids.append(await person.press(welcome, data=data))
    await finished.wait(ids)
    queries = {q["data"]: q for q in emu.world.callbacks.values()}
    unanswered = [d for d in FORGED if not queries[d].get("answered")]
    assert not unanswered, f"callback queries left spinning: {unanswered}"
    for data in MALFORMED:
        assert queries[data]["answered"].get("text") == NOT_VALID, (data, queries[data])
    assert_no_crash(harness, caplog)



async def test_forged_report_buttons_during_a_report(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        no_flood_limits: None) -> None:
    siti = harness.villager()
    step = await siti.ask("/lapor")
    assert "1/8" in step.text
    for data in ["tf:", "tf:v:99999", "tf:consent:maybe", "tf:story:x", "tf:a:b:c:d",
                 "tf:at_risk:self", "tf:v:", "tf:skip:extra"]:
        await finished.wait([await siti.press(step, data=data)])
    assert all(q.get("answered") for q in harness.emu.world.callbacks.values())
    assert_no_crash(harness, caplog)


@pytest.fixture
def villages(harness: Harness, no_flood_limits: None) -> None:
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(harness.services.db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(harness.services.db, FIXTURES / "villages_fictional.csv")


async def _at_the_village_step(siti: Person) -> Any:
    step = await siti.ask("/lapor")
    step = await siti.ask("Saya ditawari kerja di Kamboja oleh calo")
    while "7/8" not in step.text:
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    return step


async def test_forged_village_buttons_at_the_village_step(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        villages: None) -> None:
    siti = harness.villager()
    step = await _at_the_village_step(siti)
    for data in ["tf:v:99999", "tf:v:abc", "tf:v:-1", "tf:v:1:2"]:
        await finished.wait([await siti.press(step, data=data)])
    assert all(q.get("answered") for q in harness.emu.world.callbacks.values())
    assert_no_crash(harness, caplog)


@pytest.mark.parametrize("data", ["tf:v:²", "tf:v:" + "9" * 40],
                         ids=["superscript-digit", "huge-number"])
async def test_odd_numbers_in_a_village_button(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        villages: None, data: str) -> None:
    siti = harness.villager()
    step = await _at_the_village_step(siti)
    await finished.wait([await siti.press(step, data=data)])
    assert_no_crash(harness, caplog)


async def test_a_button_on_a_message_telegram_no_longer_shows(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    """After 48 hours Telegram sends the pressed message as an InaccessibleMessage (date 0)."""
    emu = harness.emu
    siti = harness.villager()
    welcome = await siti.ask("/start")
    assert welcome.message is not None
    gone = {"chat": welcome.message["chat"], "message_id": welcome.message["message_id"],
            "date": 0}
    ids = []
    for data in ["ans:legal_route", "menu", "tf:send", "dj:1", "tp:c:1"]:
        query_id = new_callback_id()
        query = {"id": query_id, "from": siti.user, "message": gone,
                 "chat_instance": str(siti.chat_id), "data": data}
        emu.world.callbacks[query_id] = query
        ids.append(await emu.queue.put({"callback_query": query}))
    await finished.wait(ids)
    assert all(q.get("answered") for q in emu.world.callbacks.values())
    assert_no_crash(harness, caplog)
