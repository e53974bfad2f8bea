"""No log line carries a reporter's identity, a message text, SQL parameters or the token,
even at LOG_LEVEL=DEBUG and when the database refuses a write with the reporter in flight."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.core.logs import TEXT_FORMAT, UPDATE_DUMPERS, Redactor, set_levels
from bot.core.storage.migrate import upgrade
from bot.emulator import Emulator
from tests.auxil.harness import TOKEN, Harness
from tests.auxil.process import SLOW, BotProcess
from tests.auxil.watching import APOLOGY

pytestmark = pytest.mark.timeout(SLOW)  # each starts bot processes
NAME, LAST, USERNAME, PHONE = "Sitirahasia", "Wulandarirahasia", "siti_rahasia_99", "081299887766"
STORY = "Tetangga saya Joko Rahasiapelaku menawari kerja di Kamboja BOOM"
# A token of BotFather's real shape (bot id, colon, 35 characters), made up here and put
# together at run time so the committed-secrets check does not take it for a real one.
REAL_SHAPE_TOKEN = "7012345678" + ":" + "AAHk3c9QxZ_v1t8Yb2mLwP0sRnD4eFgH5jK"


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """Database errors differ between SQLite and PostgreSQL: both."""
    return harness_any_db


@pytest.fixture
def production_log() -> Iterator[io.StringIO]:
    """The bot's own text handler with its redactor, as `desabot run` installs it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(Redactor([TOKEN]))
    root = logging.getLogger()
    names = ("", "httpx", "apscheduler", "aiohttp.access", "alembic", *UPDATE_DUMPERS)
    levels = {name: logging.getLogger(name).level for name in names}
    root.addHandler(handler)
    set_levels(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _refuse_the_story(harness: Harness) -> None:
    """Make the tips table refuse this story: the error happens with the identity in flight."""
    with harness.services.db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # its DETAIL quotes the whole failing row
            conn.execute(text("ALTER TABLE tips ADD CONSTRAINT boom CHECK (story NOT LIKE "
                              "'%BOOM%')"))
        else:
            conn.execute(text("CREATE TRIGGER boom BEFORE INSERT ON tips WHEN NEW.story LIKE "
                              "'%BOOM%' BEGIN SELECT RAISE(ABORT, 'boom'); END"))


def _leaks(log: str) -> list[str]:
    secrets = [NAME, LAST, USERNAME, PHONE, "Rahasiapelaku", "Kamboja", TOKEN]
    return [line for line in log.splitlines() if any(s in line for s in secrets)]


async def test_a_database_error_with_the_reporter_in_flight_logs_no_identity(
        harness: Harness, production_log: io.StringIO) -> None:
    harness.emu.limits.enabled = False
    from bot.domain.people import roles

    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    _refuse_the_story(harness)
    siti = harness.emu.person(NAME, username=USERNAME)
    siti.user["last_name"] = LAST
    step = await siti.ask("/lapor")
    step = await siti.ask(STORY)
    while "8/8" not in step.text:
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    await siti.press(step, data="tf:consent:yes")
    summary = await siti.reply()
    await siti.press(summary, data="tf:send")
    apology = await siti.reply()
    assert APOLOGY in apology.text  # the write failed, as it should in this test
    log = production_log.getvalue()
    assert "error while handling an update" in log and "Traceback" in log
    assert str(siti.id) not in log
    assert not _leaks(log), _leaks(log)


async def test_debug_logging_hides_the_token_and_updates_unless_log_updates(
        emulator: Emulator, tmp_path: Path) -> None:
    """LOG_LEVEL=DEBUG logged the token and every update in full."""
    for log_updates in ("", "1"):
        data = tmp_path / (log_updates or "plain")
        data.mkdir()
        url = f"sqlite:///{data / 'bot.sqlite3'}"
        upgrade(url)
        bot = BotProcess(emulator, data, url, extra_env={
            "LOG_LEVEL": "DEBUG", "LOG_UPDATES": log_updates,
            "TELEGRAM_BOT_TOKEN": REAL_SHAPE_TOKEN})
        await bot.start()
        try:
            siti = emulator.person(NAME, username=USERNAME)
            siti.user["last_name"] = LAST
            assert (await siti.ask(f"Saya {NAME}, HP {PHONE}, ditawari kerja di Kamboja",
                                   timeout=30)).text
        finally:
            assert await bot.terminate() == 0
        log = bot.log.read_text(encoding="utf-8")
        assert "DEBUG" in log  # debug logging was on
        assert REAL_SHAPE_TOKEN not in log and REAL_SHAPE_TOKEN.split(":")[1] not in log
        assert not re.search(r"\d+:[A-Za-z0-9_-]{30,}", log)
        found = [s for s in (NAME, LAST, USERNAME, PHONE) if s in log]
        if log_updates:
            assert found, "LOG_UPDATES=1 should show the updates"
        else:
            assert not found, found
