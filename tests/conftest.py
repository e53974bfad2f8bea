"""Shared fixtures: databases (SQLite and PostgreSQL), the emulator, the running bot."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.core.storage.migrate import upgrade
from bot.core.storage.session import Database
from bot.domain.services import Services
from bot.emulator import Emulator

if TYPE_CHECKING:
    from tests.auxil.harness import Harness
from tests.auxil.databases import PG_ENV, PostgresFactory, postgres_admin_url

REDIS_ENV = "DESABOT_TEST_REDIS_URL"
os.environ.setdefault("PTB_TIMEDELTA", "1")  # as the bot sets it; see bot.faces.telegram.app


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresFactory | None]:
    """A PostgreSQL database factory, or None when no server is configured."""
    url = postgres_admin_url()
    if url is None:
        yield None
        return
    factory = PostgresFactory(url)
    yield factory
    factory.drop_all()


@pytest.fixture
def postgres_url(postgres) -> str:  # type: ignore[no-untyped-def]
    """A fresh PostgreSQL database, for tests that need it (several processes, leadership)."""
    if postgres is None:
        if os.environ.get("DESABOT_REQUIRE_POSTGRES"):
            pytest.fail(f"DESABOT_REQUIRE_POSTGRES is set but {PG_ENV} is not")
        pytest.skip(f"this test needs PostgreSQL: set {PG_ENV} (CI does)")
    return postgres.fresh()


@pytest.fixture
def redis_url() -> str:
    """Redis for the tests of several processes (DESABOT_TEST_REDIS_URL; CI sets it)."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        if os.environ.get("DESABOT_REQUIRE_REDIS"):
            pytest.fail(f"DESABOT_REQUIRE_REDIS is set but {REDIS_ENV} is not")
        pytest.skip(f"this test needs Redis: set {REDIS_ENV} (CI does)")
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, postgres) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A fresh, migrated database: every test using it runs on SQLite and on PostgreSQL."""
    if request.param == "postgres":
        if postgres is None:
            if os.environ.get("DESABOT_REQUIRE_POSTGRES"):
                pytest.fail(f"DESABOT_REQUIRE_POSTGRES is set but {PG_ENV} is not")
            pytest.skip(f"PostgreSQL tests need {PG_ENV} (CI sets it)")
        url = postgres.fresh()
        yield url
        postgres.drop(url)
        return
    url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    upgrade(url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, migrated SQLite database, for tests that are not about the database."""
    url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def shared_services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    """Content and NLU are loaded once per run (training takes seconds); the db is per test."""
    from bot.faces.telegram.app import build_services
    from tests.auxil.harness import base_settings

    data_dir = tmp_path_factory.mktemp("data")
    url = f"sqlite:///{data_dir / 'unused.sqlite3'}"
    return build_services(base_settings(url, data_dir))


@pytest.fixture
def services(shared_services: Services, sqlite_url: str) -> Iterator[Services]:
    """Services with this test's own SQLite database."""
    db = Database(sqlite_url)
    yield replace(shared_services, db=db,
                  settings=replace(shared_services.settings, database_url=sqlite_url),
                  outbox_wakeup=asyncio.Event(), delivery_wakeup=asyncio.Event())
    db.dispose()


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A started Bot API emulator on a free loopback port."""
    emu = Emulator()
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
async def harness(emulator: Emulator, services: Services) -> AsyncIterator[Harness]:
    """The real bot polling the emulator, on SQLite."""
    from tests.auxil.harness import Harness, start_bot, stop_bot

    app = await start_bot(emulator, services)
    yield Harness(emulator, app, services)
    await stop_bot(app)
    assert not emulator.rejected, f"the emulator rejected requests: {emulator.rejected}"


@pytest.fixture
async def harness_any_db(emulator: Emulator, shared_services: Services,
                         db_url: str) -> AsyncIterator[Harness]:
    """The real bot on SQLite and, in a second run, on PostgreSQL."""
    from tests.auxil.harness import Harness, start_bot, stop_bot

    db = Database(db_url)
    services = replace(shared_services, db=db,
                       settings=replace(shared_services.settings, database_url=db_url),
                       outbox_wakeup=asyncio.Event(), delivery_wakeup=asyncio.Event())
    app = await start_bot(emulator, services)
    yield Harness(emulator, app, services)
    await stop_bot(app)
    db.dispose()
    assert not emulator.rejected, f"the emulator rejected requests: {emulator.rejected}"
