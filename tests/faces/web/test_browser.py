"""The dashboard in a real browser (Debian's Chromium, Selenium) beside the real bot.

A villager reports through the emulator; the officer asks /dasbor for a link, signs in with
it in Chromium and works the tip from arrival to closing, while the villager receives every
status message in Telegram. An officer of another office is refused; the admin invites an
officer, who registers with the link; a village's chart loads.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.core.storage.models import Broadcast, Campaign, QuizAnswer, QuizPoll, Village
from bot.domain.people import roles
from bot.emulator import Person
from tests.auxil.harness import Harness
from tests.faces.web.browser import Browser, member, shots, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x02\x80\x00\x00\x01\xe0" + bytes(40)
LINK_RE = re.compile(r"https?://\S+/masuk\?t=\S+")


async def _report(harness: Harness, siti: Person) -> str:
    step = await siti.ask("/lapor")
    step = await siti.ask("Adik saya ditawari kerja admin di Kamboja, gaji 15 juta, tiket gratis")
    siti.mark = harness.emu.last_seq()
    await harness.emu.send_photo(siti.user, PNG, caption="iklan lowongan")
    saved = await siti.reply()
    await siti.press(saved, label="Selesai")
    await siti.reply()
    await siti.ask("Bu Lina, WA 0812-0000-3333")
    step = await siti.ask("Kamboja lewat Kuala Lumpur")
    await siti.press(step, data="tf:at_risk:family")
    step = await siti.reply()
    await siti.press(step, data="tf:timing:soon")
    step = await siti.reply()
    await siti.press(step, data="tf:consent:no")
    summary = await siti.reply()
    await siti.press(summary, data="tf:send")
    received = await siti.reply()
    return re.search(r"LP-[A-Z0-9]{8}", received.text).group(0)


def _programme(db, code: str, library) -> None:  # type: ignore[no-untyped-def]
    """A month of lessons and quizzes in Kelong, and its answers, for the chart and calendar."""
    now = datetime.now(UTC)
    first, second = list(library.lessons)[:2]
    question = next(iter(library.questions))
    with db.session() as session:
        village = session.scalar(select(Village).where(Village.code == code))
        session.add(Campaign(village_id=village.id, weekday=4, hour=19, questions=5,
                             topic="kerja_aman", created_by=1, last_run_at=now))
        session.add_all([
            Broadcast(village_id=village.id, kind="lesson", status="scheduled",
                      content=json.dumps({"lesson": first}),
                      scheduled_for=now + timedelta(days=3)),
            Broadcast(village_id=village.id, kind="lesson", status="done",
                      content=json.dumps({"lesson": second}), created_at=now),
            Broadcast(village_id=village.id, kind="quiz", status="done",
                      content=json.dumps({"question": question}), created_at=now)])
        for week in range(6):
            poll = f"poll-{week}"
            session.add(QuizPoll(poll_id=poll, question_id=f"q{week}", topic="kerja_aman"
                                 if week % 2 else "paspor", correct_option=0, chat_id=-1,
                                 village_id=village.id, sent_at=now - timedelta(weeks=week)))
            session.flush()
            session.add_all([QuizAnswer(poll_id=poll, telegram_id=7000 + i, option=0,
                                        correct=i < 9 - week, village_id=village.id,
                                        answered_at=now - timedelta(weeks=week))
                             for i in range(10)])


async def _status(siti: Person, code: str) -> str:
    """The next message the reporter receives, which must be about their tip."""
    update = await siti.reply()
    assert code in update.text, update.text
    return update.text


async def test_an_officer_works_a_tip_in_the_browser(harness_any_db: Harness, dashboard: str,
                                                     chromium_page: Browser,
                                                     tmp_path: Path) -> None:
    harness, out, browser = harness_any_db, shots(tmp_path), chromium_page
    db = harness.services.db
    tpi = roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    admin = await member(harness, "Rina Petugas", "admin", "tpi")
    stranger = await member(harness, "Dewi Mataram", "officer", "mtr")
    siti = harness.emu.person("Siti Rahayu", username="siti_r")
    code = await _report(harness, siti)
    with db.session() as session:
        session.add(Village(code="21.71.01", name="Kelong", district="Bintan Pesisir",
                            regency="Bintan", province="Kepulauan Riau", office_id=tpi.id))

    await sign_in(browser, admin)
    assert "Laporan Kantor Imigrasi Tanjungpinang" in await browser.text("h1")
    assert code in await browser.text("#tips")
    await browser.screenshot(out / "tips.png")
    await browser.click("#tips a[href^='/laporan/']")
    tip_url = browser.url
    assert "Siti Rahayu" not in await browser.text()  # no consent, no name

    await browser.click("#claim")
    assert "Anda menangani" in await browser.text("#notice")
    assert "ditangani petugas" in await _status(siti, code)

    await browser.fill("#actions textarea[name=text]", "Cek nomor WA perekrut")
    await browser.click("#note")
    await browser.fill("form[action$='/question'] textarea", "Kapan adik Anda berangkat?")
    await browser.click("#ask")
    question = await siti.reply()
    assert "Kapan adik Anda berangkat?" in question.text
    await siti.press(question, label="Jawab")
    await siti.reply()
    await siti.ask("Minggu depan lewat Batam")
    await browser.open(tip_url)
    assert "Minggu depan lewat Batam" in await browser.text("#timeline")
    await browser.screenshot(out / "tip.png")

    await browser.choose("select[name=to]", "police")
    await browser.click("#escalate")
    await _status(siti, code)
    await browser.choose("#outcome", "followed_up")
    await browser.click("#close")
    assert "ditindaklanjuti" in await _status(siti, code)
    assert "selesai" in (await browser.text("#status")).lower() or \
        "ditutup" in (await browser.text("#status")).lower()

    # Another office's officer, signed in on the same PC, cannot open the tip.
    await sign_in(browser, stranger)
    await browser.open(tip_url)
    assert "milik kantor lain" in await browser.text()
    assert "Minggu depan" not in await browser.text()

    # The admin invites an officer; the new officer registers with the link.
    await sign_in(browser, admin)
    await browser.open(f"{dashboard}/orang")
    await browser.click("#invite-officer")
    link = await browser.script("document.getElementById('invite-link').value")
    assert await browser.script("document.querySelector('.qr svg') !== null")
    await browser.screenshot(out / "people.png")
    newcomer = harness.emu.person("Agus Baru", username="agus_baru")
    welcome = await newcomer.ask("/start " + link.split("start=")[1])
    assert "petugas" in welcome.text.lower()

    # A village's page shows its chart (the image really loaded), with a few weeks of quizzes.
    _programme(db, "21.71.01", harness.services.library)
    await browser.open(f"{dashboard}/desa")
    await browser.screenshot(out / "villages.png")
    await browser.click("#villages a")
    loaded = "document.getElementById('chart').complete && " \
             "document.getElementById('chart').naturalWidth"
    assert await browser.script(loaded) > 100
    await browser.screenshot(out / "village.png")

    await browser.open(f"{dashboard}/program")
    assert await browser.script("document.getElementById('calendar') !== null")
    await browser.screenshot(out / "programme.png")

    # On a phone the queue still fits the screen.
    await browser.resize(390, 844)
    await browser.open(f"{dashboard}/laporan?status=all")
    assert await browser.script("document.documentElement.scrollWidth") <= 400
    await browser.screenshot(out / "tips-phone.png")
