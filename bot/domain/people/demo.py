"""The console's demo data: an office, two villages, an officer and an official.

`make run` without a token should let a newcomer try every role at once, instead of first
finding out that an office, a village CSV and invites must exist. The data is seeded only by
the console, only into a database without offices, and is marked so that `desabot doctor`
flags it if that database is ever used for the real bot.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bot.core.storage.models import Office, Officer, Official, Village
from bot.core.storage.session import Database

DEMO_OFFICE = "demo"
DEMO_VILLAGES = (  # fictional region codes (province 99 does not exist) in two time zones
    ("99.01.01.0001", "Sukamaju (DEMO)", "Cibodas", "Kabupaten Contoh", "Jawa Barat",
     "Asia/Jakarta"),
    ("99.02.01.0001", "Lembah Hijau (DEMO)", "Sembalun", "Kabupaten Contoh Timur",
     "Nusa Tenggara Barat", "Asia/Makassar"),
)


@dataclass(frozen=True)
class DemoPeople:
    """The console's accounts that get a role."""

    officer_id: int
    officer_name: str
    official_id: int


def seed_demo(db: Database, people: DemoPeople) -> bool:
    """Seed the demo into a database without offices; False (nothing done) otherwise."""
    with db.session() as session:
        if session.scalar(select(func.count(Office.id))):
            return False
        office = Office(code=DEMO_OFFICE, name="Kantor Imigrasi DEMO (contoh, bukan kantor "
                        "sungguhan)", kind="imigrasi", is_default=True,
                        allow_custom_messages=True)
        session.add(office)
        session.flush()
        villages = [Village(code=code, name=name, district=district, regency=regency,
                            province=province, timezone=zone, office_id=office.id)
                    for code, name, district, regency, province, zone in DEMO_VILLAGES]
        session.add_all(villages)
        session.flush()
        session.add(Officer(telegram_id=people.officer_id, office_id=office.id,
                            name=people.officer_name))
        session.add(Official(telegram_id=people.official_id, village_id=villages[0].id))
        return True


def has_demo(db: Database) -> bool:
    """Is the console's demo office in this database?"""
    with db.session() as session:
        return session.scalar(select(Office.id).where(Office.code == DEMO_OFFICE)) is not None
