"""Stored campaigns: no identity with a text, opt-out, one alert, merges, purge."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.core.config import Settings
from bot.core.storage.models import (
    CampaignCheck,
    CampaignEvent,
    CampaignText,
    OfferCampaign,
    OutboxMessage,
    Village,
    utcnow,
)
from bot.core.storage.session import Database
from bot.domain.campaigns.checks import observe
from bot.domain.campaigns.store import Arrival, purge
from bot.domain.people import roles
from bot.domain.programme.membership import subscribe, unsubscribe

AD = "LOKER ADMIN KAMBOJA gaji 15jt visa turis tiket ditanggung. WA 0812-7713-4402 nomor {n}"
SETTINGS = replace(Settings(), campaign_alert_texts=3, campaign_alert_villages=2)


def _setup(db_url: str) -> tuple[Database, list[int]]:
    db = Database(db_url)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram", default=True, group_chat_id=-100)
    with db.session() as session:
        office = roles.office_by_code(session, "mtr").id
        villages = [Village(code=f"52.9.{i}", name=f"Desa {i}", office_id=office)
                    for i in range(3)]
        session.add_all(villages)
        session.flush()
        return db, [v.id for v in villages]


def test_texts_carry_no_identity_and_the_link_respects_opt_out(db_url: str) -> None:
    db, villages = _setup(db_url)
    subscribe(db, 555001, villages[0])
    unsubscribe(db, 555002)  # never subscribed: not an opt-out
    subscribe(db, 555003, villages[1])
    unsubscribe(db, 555003)  # /berhenti: opted out
    for i, chat in enumerate((555001, 555002, 555003)):
        observe(db, SETTINGS, Arrival(AD.format(n=i), "check", "high", chat, villages[0]))
    with db.session() as session:
        for text in session.scalars(select(CampaignText)):
            assert "55500" not in repr(vars(text))
        linked = set(session.scalars(select(CampaignCheck.chat_id)))
    assert linked == {555001, 555002}
    db.dispose()


def test_one_alert_per_office_however_many_texts_follow(db_url: str) -> None:
    db, villages = _setup(db_url)
    seen = [observe(db, SETTINGS, Arrival(AD.format(n=i), "check", "high", None,
                                          villages[i % 2])) for i in range(6)]
    assert [s.alerted for s in seen] == [False, False, True, False, False, False]
    with db.session() as session:
        alerts = list(session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == -100)))
        events = list(session.scalars(select(CampaignEvent.kind)))
    assert len(alerts) == 1 and events.count("alerted") == 1
    db.dispose()


def test_a_linking_text_merges_two_campaigns_in_the_database(db_url: str) -> None:
    db, _ = _setup(db_url)
    a = observe(db, SETTINGS, Arrival("Kerja kapal Taiwan hub 0838-7765-2210", "tip"))
    b = observe(db, SETTINGS, Arrival("Kerja pabrik Johor hub 0852-6610-3345", "tip"))
    c = observe(db, SETTINGS, Arrival("0838 7765 2210 dan 0852 6610 3345 satu orang", "tip"))
    assert a.campaign_id != b.campaign_id and c.campaign_id == a.campaign_id
    with db.session() as session:
        assert session.get(OfferCampaign, b.campaign_id).merged_into == a.campaign_id
        assert set(session.scalars(select(CampaignText.campaign_id))) == {a.campaign_id}
    db.dispose()


def test_purge_deletes_old_texts_and_links_but_keeps_the_verdict(db_url: str) -> None:
    db, villages = _setup(db_url)
    seen = observe(db, SETTINGS, Arrival(AD.format(n=1), "check", "high", 777, villages[0]))
    assert purge(db, 30) == (0, 0)
    assert purge(db, 30, now=utcnow() + timedelta(days=31)) == (1, 1)
    with db.session() as session:
        assert session.get(OfferCampaign, seen.campaign_id) is not None
        assert not list(session.scalars(select(CampaignCheck)))
    db.dispose()


def test_a_restarted_process_warms_its_index_from_the_database(db_url: str) -> None:
    """After a restart the index is rebuilt from the stored rows: a re-post joins its campaign."""
    from bot.domain.campaigns import store

    db, villages = _setup(db_url)
    first = observe(db, SETTINGS, Arrival(AD.format(n=1), "check", "high", None, villages[0]))
    store._INDEXES.clear()  # a new process
    assert store.warm(db) == 1
    again = observe(db, SETTINGS, Arrival("LOKER ADMIN KAMBOJA gaji 15jt visa turis tiket "
                                          "ditanggung", "check", "high", None, villages[1]))
    assert again.campaign_id == first.campaign_id
    db.dispose()
