"""Issue 17's campaign view in a real browser: an officer confirms a campaign on the dashboard,
the villagers who checked it hear once through the emulator, the warning lesson goes to their
villages; an officer of another office is refused."""

from __future__ import annotations

from pathlib import Path

from bot.core.storage.models import Village
from bot.domain.people import roles
from bot.domain.programme.membership import subscribe
from tests.auxil.harness import Harness
from tests.faces.telegram.test_campaigns_flow import VARIANTS
from tests.faces.web.browser import Browser, member, shots, sign_in


def _villages(harness: Harness) -> list[int]:
    db = harness.services.db
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram", default=True)
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang")
    with db.session() as session:
        mtr = roles.office_by_code(session, "mtr").id
        villages = [Village(code=f"52.01.0{i}.200{i}", name=name, office_id=mtr,
                            district="Praya", regency="Lombok Tengah",
                            province="Nusa Tenggara Barat", timezone="Asia/Makassar")
                    for i, name in enumerate(["Sukamaju", "Sukamakmur", "Karang Bayan"], 1)]
        session.add_all(villages)
        session.flush()
        return [v.id for v in villages]


async def test_an_officer_confirms_a_campaign_in_the_browser(harness_any_db: Harness,
                                                             dashboard: str,
                                                             chromium_page: Browser,
                                                             tmp_path: Path) -> None:
    harness, browser, out = harness_any_db, chromium_page, shots(tmp_path)
    village_ids = _villages(harness)
    officer = await member(harness, "Petugas Mataram", "admin", "mtr")
    stranger = await member(harness, "Petugas Tanjungpinang", "officer", "tpi")
    checkers = []
    for name, village_id, text in zip(["Siti", "Budi", "Ani"], village_ids, VARIANTS,
                                      strict=True):
        person = harness.villager(name)
        subscribe(harness.services.db, person.chat_id, village_id)
        assert "RISIKO TINGGI" in (await person.ask(text)).text
        checkers.append(person)

    await sign_in(browser, officer)
    await browser.open(f"{dashboard}/kampanye")
    assert "Sukamaju" in await browser.text("#campaigns")
    await browser.screenshot(out / "campaigns.png")
    await browser.click("#campaigns a[href^='/kampanye/']")
    campaign_url = browser.url
    page = await browser.text()
    assert "+6281277134402" in page and "LOKER ADMIN KAMBOJA" in page
    samples = await browser.text("#samples")
    assert all(p.user["first_name"] not in samples for p in checkers)

    await browser.click("#verdict-confirmed")
    assert "3 warga" in await browser.text("#notice")
    for person in checkers:  # each villager who checked hears once, through Telegram
        heard = await person.reply()
        assert heard.text.startswith("Kabar tentang tawaran kerja"), heard.text
    await browser.screenshot(out / "campaign.png")

    await browser.click("#send-lesson")
    assert "3 desa" in await browser.text("#notice")
    for person in checkers:
        lesson = await harness.emu.wait_for(lambda p=person: [
            e for e in harness.emu.world.bot_messages(p.chat_id)
            if "Ciri tawaran kerja palsu" in e.text] or None)
        assert lesson
    assert "verdict" not in await browser.text("#timeline")  # words, not the stored keys
    await browser.resize(390, 844)  # an officer on the road reads it on a phone
    await browser.open(campaign_url)
    await browser.screenshot(out / "campaign-phone.png")
    assert await browser.script("document.documentElement.scrollWidth") <= 400, \
        await browser.overflowing(392)

    # An officer of another office, on the same PC, sees neither the campaign nor its texts.
    await sign_in(browser, stranger)
    await browser.open(campaign_url)
    assert "milik kantor lain" in await browser.text()
    assert "LOKER" not in await browser.text()
    await browser.open(f"{dashboard}/kampanye")
    assert "Sukamaju" not in await browser.text()
