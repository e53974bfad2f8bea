"""Migrations upgrade a database that already holds data, not only an empty one.

At start-up the bot checks the revision without Alembic and migrates in a child process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.core.storage.migrate import (
    current_revision,
    ensure_current,
    head_revision,
    newest_revisions,
    stored_revisions,
    upgrade,
)

ROOT = Path(__file__).resolve().parents[3]


def test_upgrading_a_database_with_offices_villages_and_tips(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0005")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("INSERT INTO offices (id, code, name, kind, is_default, contact) "
                          "VALUES (1, 'tpi', 'Kanim', 'imigrasi', 1, '')"))
        conn.execute(text("INSERT INTO villages (id, code, name, district, regency, province, "
                          "timezone, office_id) VALUES (1, '21.71', 'Sukamaju', 'D', 'R', 'P', "
                          "'Asia/Jakarta', 1)"))
    upgrade(url)
    assert current_revision(engine) == head_revision(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT name, allow_custom_messages FROM offices")).one()
        assert tuple(row) == ("Kanim", 0)
        assert conn.execute(text("SELECT office_id FROM villages")).scalar() == 1
    engine.dispose()


def test_the_cheap_head_read_agrees_with_alembic(tmp_path: Path) -> None:
    """The serving process reads the newest revision from the files; Alembic must agree."""
    assert newest_revisions() == {head_revision(f"sqlite:///{tmp_path / 'x.sqlite3'}")}


def test_start_up_upgrades_a_new_and_an_old_database_then_leaves_them(tmp_path: Path) -> None:
    fresh, old = f"sqlite:///{tmp_path / 'new.sqlite3'}", f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(old, "0005")
    for url in (fresh, old):
        assert ensure_current(url) is True
        engine = create_engine(url)
        assert current_revision(engine) == head_revision(url)
        engine.dispose()
        assert ensure_current(url) is False  # already current: nothing runs


def test_an_up_to_date_postgresql_database_is_left_alone(postgres_url: str) -> None:
    assert stored_revisions(postgres_url) == newest_revisions()
    assert ensure_current(postgres_url) is False


def test_the_serving_process_never_imports_alembic(tmp_path: Path) -> None:
    """Alembic and Mako would stay in the bot's memory at rest (issue 18): a child migrates."""
    code = ("import sys; from bot.faces.telegram.runner import run; "
            "from bot.core.storage.migrate import ensure_current; "
            "print(ensure_current(sys.argv[1]), ensure_current(sys.argv[1]), "
            "sorted(m for m in ('alembic', 'mako') if m in sys.modules))")
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    done = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["True", "False", "[]"], done.stderr
