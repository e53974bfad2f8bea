"""`desabot doctor` with regional bots: every token is checked, a refused one is named by key."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from bot.core.bot_tokens import BotToken
from bot.emulator import Emulator
from bot.faces.cli.doctor import run_checks
from tests.auxil.harness import base_settings


def _telegram(findings):  # type: ignore[no-untyped-def]
    return next(f for f in findings if f.name == "telegram")


async def test_doctor_lists_every_bot_and_names_the_token_telegram_refuses(
        tmp_path: Path) -> None:
    emu = Emulator(token="111:aaa", bot_username="desa_kepri_bot")
    emu.add_bot("222:bbb", "desa_jatim_bot")
    await emu.start()
    try:
        settings = replace(base_settings(f"sqlite:///{tmp_path / 'd.sqlite3'}", tmp_path),
                           token="111:aaa", api_base_url=emu.base_url,
                           regional_bots=(BotToken("jatim", "222:bbb"),))
        found = _telegram(await asyncio.to_thread(run_checks, settings))
        assert found.ok
        assert "2 bots" in found.message
        assert "default @desa_kepri_bot" in found.message
        assert "jatim @desa_jatim_bot" in found.message

        wrong = replace(settings, regional_bots=(BotToken("jatim", "222:bbb"),
                                                 BotToken("ntb", "333:ccc")))
        found = _telegram(await asyncio.to_thread(run_checks, wrong))
        assert not found.ok
        assert found.message == "Telegram refused the token of ntb: check BOT_TOKENS"
        assert "333:ccc" not in found.message  # a token is a password: never printed
    finally:
        await emu.stop()
