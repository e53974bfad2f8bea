"""The programme's tests start from two offices and the fictional villages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.programme.village_import import import_villages
from tests.auxil.paths import FIXTURES


@pytest.fixture
def villages_db(db_url: str) -> Iterator[Database]:
    """Tanjungpinang (the default office), Mataram and tests/fixtures/villages_fictional.csv."""
    database = Database(db_url)
    roles.add_office(database, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(database, "mtr", "Kantor Imigrasi Mataram")
    import_villages(database, FIXTURES / "villages_fictional.csv")
    yield database
    database.dispose()
