"""At most once: a broadcast message that reached Telegram is never sent again (issue 13.7).

Telegram sometimes carries a send out and its answer is lost on the way back (a read timeout,
a connection closed). The bot cannot tell that from a send that never arrived, so it must not
retry it blindly: the delivery is marked unknown and the official's final report says so.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.storage.models import Delivery, Village
from bot.domain.people import roles
from bot.domain.programme import broadcasts, membership
from bot.domain.programme.village_import import import_villages
from bot.faces.telegram.senders import delivery_worker
from tests.auxil.harness import Harness
from tests.auxil.paths import FIXTURES

TEXT = "Pengumuman: pertemuan warga hari Jumat"


@pytest.mark.parametrize("fault", ["lost_answer", "late_answer"])
async def test_a_send_whose_answer_was_lost_is_reported_not_sent_again(
        harness_any_db: Harness, fault: str, monkeypatch: pytest.MonkeyPatch) -> None:
    harness = harness_any_db
    monkeypatch.setattr(delivery_worker, "READ_TIMEOUT", 1.0)  # the late answer takes 3 s
    db = harness.services.db
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, FIXTURES / "villages_fictional.csv")
    with db.session() as session:
        village = session.scalar(select(Village.id).where(Village.code == "52.01.01.2001"))
    people = [harness.villager(f"Warga {i}") for i in range(4)]
    for person in people:
        membership.subscribe(db, person.id, village)
    kades = harness.villager("Pak Kades")
    unlucky = people[1]
    harness.emu.faults.add(fault, method="sendMessage", chat_id=unlucky.id, delay=3)
    broadcasts.create(db, village, "text", {"text": TEXT}, None, progress_chat_id=kades.id)
    harness.services.wake_deliveries()

    report = await harness.emu.wait_for(
        lambda: [e for e in harness.emu.world.bot_messages(kades.id) if "selesai" in e.text],
        timeout=30)
    for person in people:
        assert [e.text for e in harness.emu.world.bot_messages(person.id)] == [TEXT]
    assert harness.emu.faults.produced == [(fault, "sendMessage")]
    with db.session() as session:
        statuses = dict(session.execute(select(Delivery.chat_id, Delivery.status)).all())
    assert statuses[unlucky.id] == "unknown"
    assert sorted(statuses.values()) == ["sent", "sent", "sent", "unknown"]
    assert "3 dari 4 terkirim" in report[0].text
    assert "1 belum pasti" in report[0].text
