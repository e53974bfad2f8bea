"""One account flooding the bot cannot freeze everyone else (issue 13, item 1)."""

from __future__ import annotations

import time

from bot.faces.telegram import ordering
from tests.auxil.harness import Harness
from tests.auxil.watching import Finished

SLOW_DOWN = "lebih cepat daripada yang bisa saya jawab"


async def test_a_flooding_account_is_slowed_and_told_once_while_others_are_answered(
        harness: Harness, finished: Finished) -> None:
    flooder, budi = harness.villager("Banjir"), harness.villager("Budi")
    started = time.monotonic()
    ids = [await flooder.say(f"cara buat paspor {i}") for i in range(1000)]
    reply = await budi.ask("cara buat paspor", timeout=5)  # minutes, before the fix
    assert "paspor" in reply.text.lower()
    await finished.wait(ids, timeout=60)
    elapsed = time.monotonic() - started
    texts = [e.text for e in harness.emu.world.bot_messages(flooder.id)]
    assert sum(SLOW_DOWN in t for t in texts) == 1  # told once, politely
    answered = len(texts) - 1
    assert answered <= ordering.BURST + ordering.PER_SECOND * elapsed + 1
    assert answered >= ordering.BURST  # the first ones, as a person sends them, are answered


async def test_a_429_for_one_chat_does_not_hold_up_the_replies_to_another(
        harness: Harness) -> None:
    siti, budi = harness.villager("Siti"), harness.villager("Budi")
    harness.emu.faults.add("flood", method="sendMessage", chat_id=siti.id, retry_after=5)
    await siti.say("/bantuan")
    await harness.emu.wait_for(lambda: harness.emu.faults.produced, timeout=10)
    answer = await budi.ask("/bantuan", timeout=3)  # the stock limiter paused everyone for 5 s
    siti_answer = await siti.reply(timeout=15)
    assert answer.seq < siti_answer.seq
