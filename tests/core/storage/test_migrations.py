"""Migrations upgrade a database that already holds data, not only an empty one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from bot.core.storage.migrate import current_revision, head_revision, upgrade


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
