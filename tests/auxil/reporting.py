"""What several emulator tests do the same way: an officer joins, a villager ends a report."""

from __future__ import annotations

import re

from bot.domain.people import roles
from bot.emulator import Person
from tests.auxil.harness import Harness


async def join_as_officer(harness: Harness, name: str, office: str,
                          username: bool = False) -> Person:
    """A new person redeems an officer invite of `office` and is greeted as an officer."""
    token = roles.create_invite(harness.services.db, "officer", office_code=office)
    person = harness.emu.person(
        name, **({"username": name.lower().replace(" ", "_")} if username else {}))
    reply = await person.ask(f"/start inv_{token}")
    assert "petugas" in reply.text.lower()
    return person


async def finish_report(villager: Person, recruiter: str, destination: str, at_risk: str,
                        summary_has: str) -> str:
    """From the report's step 3/8 (the recruiter) to the sent report; its LP- code.

    Anonymous (consent: no), leaving soon; the summary must show `summary_has`.
    """
    step = await villager.ask(recruiter)
    assert "4/8" in step.text
    step = await villager.ask(destination)
    await villager.press(step, data=f"tf:at_risk:{at_risk}")
    step = await villager.reply()
    await villager.press(step, data="tf:timing:soon")
    step = await villager.reply()
    assert "8/8" in step.text
    await villager.press(step, data="tf:consent:no")
    summary = await villager.reply()
    assert summary_has in summary.text
    await villager.press(summary, data="tf:send")
    received = await villager.reply()
    code = re.search(r"LP-[A-Z0-9]{8}", received.text)
    assert code, received.text
    return code.group(0)
