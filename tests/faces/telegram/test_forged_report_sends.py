"""Forged "Kirim laporan" presses in several chats at once: one tip, one alert, and the
receipt with its code only in the reporter's private chat (never in a group)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bot.core.storage.models import Tip
from bot.domain.people import roles
from bot.emulator.methods import new_callback_id
from tests.auxil.harness import Harness
from tests.auxil.watching import Finished

NOT_VALID = "Tombol ini sudah tidak berlaku."
STORY = "Paman saya ditawari kerja di Kamboja oleh calo bernama Wawan"


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """Atomic submits are about the database: both."""
    harness_any_db.emu.limits.enabled = False
    return harness_any_db


@pytest.fixture
async def finished(harness: Harness) -> Finished:
    return Finished(harness.app)


async def test_forged_sends_from_groups_make_one_tip_and_no_receipt_in_a_group(
        harness: Harness, finished: Finished) -> None:
    emu = harness.emu
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    siti = emu.person("Siti")
    step = await siti.ask("/lapor")
    step = await siti.ask(STORY)
    while "8/8" not in step.text:
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    await siti.press(step, data="tf:consent:no")
    summary = await siti.reply()
    groups = [emu.world.add_group(f"Grup {i}") for i in range(3)]
    ids = []
    for group in groups:
        group.members[siti.id] = "member"
        group.members[emu.world.bot_user["id"]] = "member"
        query_id = new_callback_id()
        message = {"message_id": 1, "date": 1700000000, "chat": group.as_json(),
                   "from": emu.world.bot_user, "text": "Pelajaran minggu ini"}
        query = {"id": query_id, "from": siti.user, "message": message,
                 "chat_instance": str(abs(group.id)), "data": "tf:send"}
        emu.world.callbacks[query_id] = query
        ids.append(await emu.queue.put({"callback_query": query}))
    ids.append(await siti.press(summary, data="tf:send"))
    await finished.wait(ids)

    with harness.services.db.session() as session:
        assert session.scalar(select(func.count(Tip.id))) == 1
    for group in groups:
        sent = [e.text for e in emu.requests_to(group.id)]
        assert not [t for t in sent if re.search(r"LP-[A-Z0-9]{8}", t) or "Wawan" in t], sent
    forged = [q for q in emu.world.callbacks.values() if q["message"]["chat"]["id"] < 0]
    assert [q["answered"].get("text") for q in forged] == [NOT_VALID] * 3
    receipts = [e.text for e in emu.requests_to(siti.chat_id) if "LP-" in e.text]
    assert len(receipts) == 1
