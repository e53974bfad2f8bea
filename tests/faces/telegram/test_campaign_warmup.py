"""Issue 17: a restarted bot loads the stored campaign texts itself, not at the first check."""

from __future__ import annotations

from bot.domain.campaigns import store
from bot.domain.campaigns.checks import observe
from bot.domain.campaigns.grouping import signature
from bot.domain.campaigns.store import Arrival
from bot.domain.services import Services
from bot.emulator import Emulator
from tests.auxil.harness import start_bot, stop_bot

AD = ("🔥LOKER ADMIN KAMBOJA🔥 Gaji 15JT/bln, visa turis, tiket & hotel ditanggung. Tanpa "
      "pengalaman, yg penting bisa ketik. Minat WA 0812-7713-4402 (Bu Rina)")
REPOST = "LOKER ADMIN KAMBOJA gaji 15jt visa turis tiket ditanggung tanpa pengalaman"


async def test_a_started_bot_knows_the_stored_adverts_before_anyone_checks_one(
        emulator: Emulator, services: Services) -> None:
    """The index is filled in the background once the bot runs: a re-post already matches."""
    first = observe(services.db, services.settings, Arrival(AD, "check", "high"))
    store._INDEXES.clear()  # what a new process starts with
    app = await start_bot(emulator, services)
    try:
        warming, _stop = app.bot_data["campaign_warmup"]
        await warming
        index = store.index_for(services.db)
        assert index.grouping.decide(signature(REPOST)).campaign == first.campaign_id
    finally:
        await stop_bot(app)
