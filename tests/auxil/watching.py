"""Watching the running bot: which updates it finished, what it said, whether it crashed.

A crash shows in three places: the central error handler logs at ERROR
(`bot.faces.telegram.handlers.errors`), it sends the villager its apology ("Maaf, ada gangguan
di sistem kami"), and a reply Telegram would refuse lands in `emulator.rejected` (checked by the
harness fixture at teardown). Whether the bot has finished with an update is read from the
Application itself (`Finished`), so "ignored on purpose" is checked without sleeping: the update
was handled, and nothing was sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import pytest
from telegram import Update

from bot.emulator import Emulator, Person
from bot.faces.telegram.context import BotApplication
from tests.auxil.harness import Harness

APOLOGY = "Maaf, ada gangguan di sistem kami"


class Finished:
    """The update ids the Application has completely handled, error handlers included."""

    def __init__(self, app: BotApplication) -> None:
        self.ids: set[int] = set()
        self._cond = asyncio.Condition()
        processor = app.update_processor
        inner = processor.do_process_update

        async def recording(update: object, coroutine: Any) -> None:
            try:
                await inner(update, coroutine)
            finally:
                if isinstance(update, Update):
                    async with self._cond:
                        self.ids.add(update.update_id)
                        self._cond.notify_all()

        processor.do_process_update = recording  # type: ignore[method-assign]

    async def wait(self, update_ids: Iterable[int], timeout: float = 30.0) -> None:
        """Wait until every one of `update_ids` was handled."""
        wanted = {u for u in update_ids if u}
        async with self._cond:
            await asyncio.wait_for(self._cond.wait_for(lambda: wanted <= self.ids), timeout)


def bot_texts(emu: Emulator, chat_id: int, after: int = 0) -> list[str]:
    """What the bot sent (or edited) in a chat after transcript position `after`."""
    return [e.text for e in emu.world.by_chat[chat_id]
            if e.seq > after and e.direction in {"out", "edit"}]


def assert_no_crash(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """No apology anywhere, nothing logged at ERROR (by the error handler or anyone)."""
    apologies = [(e.chat_id, e.params) for e in harness.emu.world.transcript
                 if e.direction == "out" and APOLOGY in e.text]
    assert not apologies, f"the bot apologised (a handler crashed): {apologies}"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    crashes = [f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info
               else f"{r.name}: {r.getMessage()}" for r in errors]
    assert not [r for r in errors if r.name == "bot.faces.telegram.handlers.errors"], crashes
    assert not errors, crashes


async def say_all(harness: Harness, finished: Finished,
                  texts: list[str]) -> list[tuple[Person, list[str]]]:
    """Send each text from its own new villager at once; wait until all were handled."""
    people, ids = [], []
    for i, text in enumerate(texts):
        person = harness.villager(f"Warga {i}")
        ids.append(await person.say(text))
        people.append(person)
    await finished.wait(ids)
    return [(p, bot_texts(harness.emu, p.chat_id)) for p in people]

