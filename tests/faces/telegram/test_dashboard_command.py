"""/dasbor: a sign-in link for officers and officials, in a private chat, without a preview."""

from __future__ import annotations

import re

from bot.domain.people import roles
from tests.auxil.harness import Harness


async def test_dasbor_gives_officers_a_link_and_villagers_none(harness: Harness) -> None:
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    officer = harness.emu.person("Rina", username="rina")
    await officer.ask("/start inv_" + roles.create_invite(harness.services.db, "officer",
                                                          office_code="tpi"))
    reply = await officer.ask("/dasbor")
    assert re.search(r"/masuk\?t=[\w-]{40,}", reply.text)
    assert reply.params["link_preview_options"]["is_disabled"] is True
    second = await officer.ask("/dasbor")
    assert second.text.split("t=")[1] != reply.text.split("t=")[1]  # a new link each time

    villager = await harness.villager("Siti").ask("/dasbor")
    assert "masuk?t=" not in villager.text and "petugas" in villager.text

    group = harness.emu.world.add_group("Grup Desa")
    await harness.emu.add_bot_to_group(officer.user, group)
    await officer.say("/dasbor", group)
    in_group = await officer.reply(chat=group)
    while "/dasbor" not in in_group.text:  # the bot's greeting to the group comes first
        in_group = await officer.reply(chat=group)
    assert "masuk?t=" not in in_group.text and "pribadi" in in_group.text
