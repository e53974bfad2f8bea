"""A NUL or a lone surrogate in what a villager sends is cleaned where updates enter the bot:
the tip is sent, on PostgreSQL too (which refuses NUL in text), and reads normally."""

from __future__ import annotations

import re

import pytest

from bot.core.storable_text import storable, storable_json
from bot.domain.people import roles
from bot.domain.tips.submission import for_reporter
from tests.auxil.harness import Harness


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """The fault is PostgreSQL's: both databases."""
    harness_any_db.emu.limits.enabled = False
    return harness_any_db


async def test_a_report_with_nul_and_lone_surrogates_is_received(harness: Harness) -> None:
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    siti = harness.emu.person("Siti\x00", username="siti")
    step = await siti.ask("/lapor")
    step = await siti.ask("Calo\x00 menawari kerja di Kamboja \ud83d lewat Bangkok")
    assert "2/8" in step.text
    while "4/8" not in step.text:
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    step = await siti.ask("Phnom\x00 Penh \udc00")
    while "8/8" not in step.text:
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    await siti.press(step, data="tf:consent:yes")
    summary = await siti.reply()
    await siti.press(summary, data="tf:send")
    received = await siti.reply()
    code = re.search(r"LP-[A-Z0-9]{8}", received.text)
    assert code, received.text
    tip = for_reporter(harness.services.db, code.group(0), siti.id)
    assert tip.story == "Calo menawari kerja di Kamboja \ufffd lewat Bangkok"
    assert tip.destination == "Phnom Penh \ufffd"
    assert tip.reporter_name == "Siti @siti"


def test_storable_keeps_ordinary_text_and_valid_pairs() -> None:
    assert storable("Kerja di 🇰🇭 Kamboja, gaji Rp 15 jt") == "Kerja di 🇰🇭 Kamboja, gaji Rp 15 jt"
    assert storable("a\x00b\ud800c\udfffd") == "ab\ufffdc\ufffdd"
    assert storable_json({"te\x00xt": ["x\x00", {"y": "\udc00"}, 5, None]}) == {
        "text": ["x", {"y": "\ufffd"}, 5, None]}
