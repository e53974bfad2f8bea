"""Property: whatever short sequence of updates villagers send, the bot stays up and polite.

Each Hypothesis example runs in its own event loop (`asyncio.run`) with its own emulator, its
own copy of a migrated SQLite database and its own Application; content and the NLU are the
session's `shared_services`. After the random updates were all handled, a fresh villager's
/start must still get the welcome, nothing may have crashed (no ERROR log, no apology), every
button press must have been answered and Telegram must have refused no request.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.storage.migrate import upgrade
from bot.core.storage.session import Database
from bot.domain.services import Services
from bot.emulator import Emulator, Person
from bot.emulator.limits import FloodLimits
from tests.auxil.harness import start_bot, stop_bot
from tests.auxil.watching import APOLOGY, Finished

COMMANDS = ["/start", "/bantuan", "/help", "/menu", "/lapor", "/status", "/batal", "/desa",
            "/kuis", "/berhenti", "/laporan", "/pelajaran", "/kampanye", "/statistik",
            "/hubungkan", "/start@other_bot", "/kuis@desabinaan_bot", "/unknown"]
PREFIXES = ["ans:", "full:", "menu", "tp:c:", "tp:v:", "tp:e:1:", "tp:x:1:", "tf:", "tf:v:",
            "tf:consent:", "tf:send", "tf:cancel", "tip:offer", "tip:urgent", "pl:n:1:",
            "pl:v:", "dj:", "tr:a:"]
OTHER = ["sticker", "voice", "location", "contact"]


@dataclass(frozen=True)
class Action:
    """One thing a villager does; `user` indexes the example's 1-3 villagers."""

    kind: str  # "text", "other", "press", "poll"
    user: int
    value: Any = None


def _fit_64_bytes(text: str) -> str:
    while len(text.encode()) > 64:
        text = text[:-1]
    return text


users = st.integers(min_value=0, max_value=2)
callback_data = st.one_of(
    st.text(min_size=1, max_size=64),
    st.builds(lambda p, s: p + s, st.sampled_from(PREFIXES),
              st.one_of(st.text(max_size=20), st.integers(-10, 10**12).map(str))),
).map(_fit_64_bytes).filter(bool)
command_text = st.builds(lambda c, a: f"{c} {a}" if a else c, st.sampled_from(COMMANDS),
                         st.text(max_size=60))
actions = st.lists(st.one_of(
    st.builds(Action, st.just("text"), users, st.text(max_size=4096)),
    st.builds(Action, st.just("text"), users, command_text),
    st.builds(Action, st.just("other"), users, st.sampled_from(OTHER)),
    st.builds(Action, st.just("press"), users, callback_data),
    st.builds(Action, st.just("poll"), users,
              st.tuples(st.text(max_size=40), st.lists(st.integers(0, 12), max_size=3))),
), min_size=1, max_size=6)


async def _perform(emu: Emulator, people: list[Person], action: Action) -> int:
    person = people[action.user]
    if action.kind == "text":
        return await emu.send_text(person.user, action.value)
    if action.kind == "other":
        return await emu.send_other(person.user, action.value)
    if action.kind == "press":
        target = emu.world.bot_messages(person.chat_id)[-1]  # a real bot message
        return await emu.press(person.user, target, data=action.value)
    poll_id, options = action.value
    return await emu.queue.put({"poll_answer": {
        "poll_id": poll_id, "user": person.user, "option_ids": options,
        "option_persistent_ids": [str(i) for i in options]}})


async def _scenario(shared: Services, db_url: str, steps: list[Action]) -> None:
    # Flood limits are the delivery tests' business; here they would only add 429 waits.
    emu = Emulator(limits=FloodLimits(enabled=False))
    await emu.start()
    db = Database(db_url)
    services = replace(shared, db=db, settings=replace(shared.settings, database_url=db_url),
                       outbox_wakeup=asyncio.Event(), delivery_wakeup=asyncio.Event())
    app = await start_bot(emu, services)
    try:
        finished = Finished(app)
        people = [emu.person(f"Warga {i}") for i in range(max(a.user for a in steps) + 1)]
        await asyncio.gather(*(p.ask("/start") for p in people))
        ids = [await _perform(emu, people, step) for step in steps]
        await finished.wait(ids, timeout=30)

        welcome = await emu.person("Pendatang Baru").ask("/start", timeout=10)
        assert "Desa Binaan" in welcome.text

        apologies = [e.params for e in emu.world.transcript
                     if e.direction == "out" and APOLOGY in e.text]
        assert not apologies, f"the bot apologised (a handler crashed): {apologies}"
        spinning = [q["data"] for q in emu.world.callbacks.values() if not q.get("answered")]
        assert not spinning, f"button presses never answered: {spinning}"
        assert not emu.rejected, f"the emulator rejected requests: {emu.rejected}"
    finally:
        await stop_bot(app)
        await emu.stop()
        db.dispose()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each example (migrating each time is slower)."""
    path = tmp_path_factory.mktemp("property") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=actions)
def test_random_updates_never_take_the_bot_down(
        steps: list[Action], shared_services: Services, template_db: Path,
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    db_path = tmp_path / "example.sqlite3"
    shutil.copyfile(template_db, db_path)
    try:
        asyncio.run(_scenario(shared_services, f"sqlite:///{db_path}", steps))
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    errors = [f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else
              f"{r.name}: {r.getMessage()}" for r in caplog.records
              if r.levelno >= logging.ERROR]
    assert not errors, errors
