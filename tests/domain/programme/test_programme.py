"""Villages, subscriptions, broadcasts, quiz results and the scheduler tick, on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.core.storage.models import Delivery, Village, utcnow
from bot.core.storage.session import Database
from bot.domain.content.sources import Source
from bot.domain.people import roles
from bot.domain.people.demo import DemoPeople, seed_demo
from bot.domain.programme import broadcasts, membership, villages
from bot.domain.programme.library import Library, Question
from bot.domain.programme.planning import (
    CampaignSpec,
    create_campaign,
    parse_campaign,
)
from bot.domain.programme.quiz_results import poll_row, record_answer, remember_poll, village_stats
from bot.domain.programme.village_import import VillageImportError, import_villages
from scheduler.ticker import tick
from tests.auxil.paths import FIXTURES
from tests.auxil.villages import village_id

SOURCE = Source("KP2MI", "Contoh", "https://kp2mi.go.id", "2025-01-01")


@pytest.fixture
def db(villages_db: Database) -> Database:
    return villages_db



def test_import_sets_time_zones_and_offices_and_reimport_keeps_subscribers(
        db: Database, tmp_path: Path) -> None:
    lombok = village_id(db, "52.01.01.2001")
    membership.subscribe(db, 111, lombok)
    with db.session() as session:
        village = session.get(Village, lombok)
        assert village.timezone == "Asia/Makassar"
    renamed = tmp_path / "v.csv"
    renamed.write_text((FIXTURES / "villages_fictional.csv").read_text().replace(
        "52.01.01.2001,Sukamaju", "52.01.01.2001,Suka Maju"), encoding="utf-8")
    report = import_villages(db, renamed)
    assert (report.added, report.updated) == (0, 4)
    assert membership.recipients(db, lombok) == [(111, False)]


def test_a_bad_time_zone_names_the_row(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,village,district,regency,province,timezone,office\n"
                   "1.1,X,Y,Z,P,CET-ish,\n", encoding="utf-8")
    with pytest.raises(VillageImportError, match=r"bad\.csv:2"):
        import_villages(db, bad)


def test_fuzzy_search_tells_same_named_villages_apart(db: Database) -> None:
    found = villages.search(db, "sukamaju")
    labels = [v.label for v in found]
    assert "Sukamaju (Bintan Timur, Bintan)" in labels
    assert "Sukamaju (Gerung, Lombok Barat)" in labels
    assert villages.search(db, "sukmaju")  # a typo still finds it


def test_a_bracketed_note_in_a_village_name_does_not_hide_it_from_a_typo(db_url: str) -> None:
    """The console's demo village is 'Sukamaju (DEMO)'; Siti types 'sukamju' as she would."""
    database = Database(db_url)
    try:
        assert seed_demo(database, DemoPeople(990001, "Petugas", 990002))
        assert [v.name for v in villages.search(database, "sukamju")] == ["Sukamaju (DEMO)"]
        assert [v.name for v in villages.search(database, "lembah hjau")] == [
            "Lembah Hijau (DEMO)"]
    finally:
        database.dispose()


def test_group_linking_needs_an_official_who_is_admin(db: Database) -> None:
    token = roles.create_invite(db, "official", village_code="52.01.01.2001")
    assert roles.redeem(db, token, 4242, "Pak Kades").ok
    assert membership.link_group(db, -100123, 999, True) == "not_official"
    assert membership.link_group(db, -100123, 4242, False) == "not_admin"
    linked = membership.link_group(db, -100123, 4242, True)
    assert linked.name == "Sukamaju"
    assert (-100123, True) in membership.recipients(db, village_id(db, "52.01.01.2001"))


def test_broadcast_stores_one_delivery_per_chat_before_sending(db: Database) -> None:
    village = village_id(db, "52.01.01.2001")
    for chat in (1, 2, 3):
        membership.subscribe(db, chat, village)
    membership.unsubscribe(db, 3)
    broadcast = broadcasts.create(db, village, "lesson", {"lesson": "x"}, 4242)
    jobs = broadcasts.next_jobs(db)
    assert sorted(j.chat_id for j in jobs) == [1, 2]
    assert broadcasts.start_sending(db, jobs[0])
    assert broadcasts.next_jobs(db) == []  # claimed: no other process gets them
    # After a crash: the one in flight is not sent twice, the one only claimed is sent later.
    assert len(broadcasts.recover_interrupted(db, timedelta(0))) == 1
    assert [j.chat_id for j in broadcasts.next_jobs(db)] == [jobs[1].chat_id]
    broadcasts.mark(db, jobs[1].id, "sent")
    broadcasts.mark(db, jobs[1].id, "sent")  # a late second outcome is not counted twice
    final = broadcasts.finish_if_done(db, broadcast)
    assert (final.total, final.sent, final.failed, final.unknown) == (2, 1, 0, 1)


def test_a_live_processes_claims_are_left_alone_by_another_processes_recovery(
        db: Database) -> None:
    village = village_id(db, "52.01.01.2001")
    for chat in (1, 2):
        membership.subscribe(db, chat, village)
    broadcasts.create(db, village, "lesson", {"lesson": "x"}, 4242)
    first, second = broadcasts.next_jobs(db)
    assert broadcasts.start_sending(db, first)
    assert broadcasts.recover_interrupted(db) == []  # within the lease: still its own
    assert broadcasts.next_jobs(db) == []
    # A stalled process whose lease ran out: its claim went to another, only one sends.
    broadcasts.recover_interrupted(db, timedelta(0))
    (again,) = broadcasts.next_jobs(db)
    assert again.id == second.id
    assert not broadcasts.start_sending(db, second)
    assert broadcasts.start_sending(db, again)


def test_a_live_process_keeps_its_claims_longer_than_the_lease_by_renewing_them(
        db: Database) -> None:
    """A batch waits its turn longer than the lease when the token's 30/s are shared: renewed,
    nobody else's recovery takes it away; a claim lost before its renewal is not sent twice."""
    village = village_id(db, "52.01.01.2001")
    for chat in (1, 2, 3):
        membership.subscribe(db, chat, village)
    broadcasts.create(db, village, "lesson", {"lesson": "x"}, 4242)
    long_ago = utcnow() - timedelta(minutes=10)
    with db.session() as session:  # as if claimed 10 minutes ago
        session.execute(update(Delivery).values(status="claimed", claimed_at=long_ago))
        rows = session.execute(select(Delivery.id, Delivery.broadcast_id, Delivery.chat_id)
                               .order_by(Delivery.id)).all()
    first, second, third = (broadcasts.Job(row.id, row.broadcast_id, row.chat_id, False,
                                           "lesson", {}, village, 0, long_ago) for row in rows)
    assert broadcasts.start_sending(db, third)  # its answer is slow to come
    lease = timedelta(minutes=1)
    kept = broadcasts.renew(db, [first, second], [third.id])
    assert [job.id for job in kept] == [first.id, second.id]
    assert broadcasts.recover_interrupted(db, lease) == []  # nothing made unknown
    assert broadcasts.next_jobs(db) == []  # nothing given to another process
    assert all(broadcasts.start_sending(db, job) for job in kept)
    assert not broadcasts.start_sending(db, first)  # the claim before its renewal is void
    assert broadcasts.renew(db, [first], []) == []  # not "claimed" any more: not ours to renew


def test_quiz_answers_count_per_person_andvillage_id(db: Database) -> None:
    village = village_id(db, "52.01.01.2001")
    question = Question("q1", "tanda-penipuan", "Apa?", ("A", "B"), 1, "", SOURCE)
    remember_poll(db, "poll-1", question, -100123, village)
    assert record_answer(db, "poll-1", 1, [1]) is True
    assert record_answer(db, "poll-1", 2, [0]) is False
    assert record_answer(db, "poll-1", 1, [0]) is None  # second answer of the same person
    assert record_answer(db, "unknown-poll", 1, [0]) is None
    stats = village_stats(db, village)
    assert (stats.participants, stats.answers, stats.correct) == (2, 2, 1)
    assert stats.weakest == [("tanda-penipuan", 0.5)]


def test_a_sent_quiz_and_its_poll_are_stored_together(db: Database) -> None:
    """A crash can not leave a quiz marked sent without the poll its answers are scored by."""
    village = village_id(db, "52.01.01.2001")
    for chat in (7, 8):
        membership.subscribe(db, chat, village)
    question = Question("q1", "tanda-penipuan", "Apa?", ("A", "B"), 1, "", SOURCE)
    broadcasts.create(db, village, "quiz", {"question": "q1"}, 4242)
    first, second = broadcasts.next_jobs(db)
    for job in (first, second):
        broadcasts.mark(db, job.id, "sending")
    broadcasts.mark(db, first.id, "sent", also=[poll_row("p-1", question, 7, village)])
    assert record_answer(db, "p-1", 7, [1]) is True
    with pytest.raises(IntegrityError):  # the poll row fails: the delivery is not "sent"
        broadcasts.mark(db, second.id, "sent", also=[poll_row("p-1", question, 8, village)])
    with db.session() as session:
        status = dict(session.execute(select(Delivery.id, Delivery.status)).all())
    assert status == {first.id: "sent", second.id: "sending"}


def test_campaign_tick_in_village_time_and_grace(db: Database) -> None:
    village = village_id(db, "52.01.01.2001")  # WITA
    membership.subscribe(db, 7, village)
    spec = parse_campaign(["jumat", "19.00", "2"], {"tanda-penipuan"})
    assert spec == CampaignSpec(4, 19, 0, 2, None)
    create_campaign(db, village, spec, 4242)
    library = Library({}, {f"q{i}": Question(f"q{i}", "t", "Apa?", ("A", "B"), 0, "", SOURCE)
                           for i in range(5)}, {"t": "T"})
    friday = datetime(2026, 12, 4, 19, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    grace = timedelta(hours=1)
    assert not tick(db, library, friday - timedelta(minutes=1), grace).anything
    result = tick(db, library, friday + timedelta(minutes=2), grace)
    assert len(result.campaign_broadcasts) == 2
    assert not tick(db, library, friday + timedelta(minutes=3), grace).anything
    with db.session() as session:
        assert len(list(session.scalars(select(Delivery)))) == 2
    next_friday = friday + timedelta(days=7)
    assert not tick(db, library, next_friday + timedelta(hours=3), grace).anything


def test_scheduled_lesson_is_released_at_its_time(db: Database) -> None:
    village = village_id(db, "91.01.01.2001")  # WIT
    membership.subscribe(db, 9, village)
    when = datetime(2026, 12, 4, 19, 0, tzinfo=ZoneInfo("Asia/Jayapura"))
    broadcasts.create(db, village, "lesson", {"lesson": "x"}, 1, scheduled_for=when)
    library = Library({}, {}, {})
    assert not tick(db, library, when - timedelta(minutes=1), timedelta(hours=1)).anything
    assert tick(db, library, when.astimezone(UTC), timedelta(hours=1)).released
    assert [j.chat_id for j in broadcasts.next_jobs(db)] == [9]


def test_outcomes_recorded_together_count_once_and_keep_their_polls(db: Database) -> None:
    """Many sends written in one transaction: counters, poll rows, no second count."""
    village = village_id(db, "52.01.01.2001")
    for chat in (7, 8, 9, 10):
        membership.subscribe(db, chat, village)
    question = Question("q1", "tanda-penipuan", "Apa?", ("A", "B"), 1, "", SOURCE)
    broadcast = broadcasts.create(db, village, "quiz", {"question": "q1"}, 4242)
    jobs = broadcasts.next_jobs(db)
    assert broadcasts.start_sending_many(db, jobs) == jobs
    assert broadcasts.start_sending_many(db, jobs) == []  # not claimed any more: not ours
    outcomes = [broadcasts.Outcome(jobs[0].id, "sent", also=(poll_row("p-7", question, 7,
                                                                     village),)),
                broadcasts.Outcome(jobs[1].id, "sent", also=(poll_row("p-8", question, 8,
                                                                     village),)),
                broadcasts.Outcome(jobs[2].id, "blocked", "Forbidden"),
                broadcasts.Outcome(jobs[3].id, "pending", "Too Many Requests", 3.0)]
    broadcasts.record(db, outcomes)
    broadcasts.record(db, outcomes[:3])  # a late second write is not counted twice
    assert broadcasts.progress(db, broadcast) == broadcasts.Progress(4, 2, 1, 1, 0)
    assert record_answer(db, "p-8", 8, [1]) is True
    with db.session() as session:
        status = dict(session.execute(select(Delivery.chat_id, Delivery.status)).all())
    assert status == {7: "sent", 8: "sent", 9: "blocked", 10: "pending"}


def test_several_senders_groups_marked_and_counted_together(db: Database) -> None:
    """Two villages' senders write together: each keeps only its own claims, counters add."""
    first, second = village_id(db, "52.01.01.2001"), village_id(db, "91.01.01.2001")
    for chat in (7, 8, 9):
        membership.subscribe(db, chat, first)
    for chat in (20, 21):
        membership.subscribe(db, chat, second)
    one = broadcasts.create(db, first, "lesson", {"lesson": "x"}, 1)
    two = broadcasts.create(db, second, "lesson", {"lesson": "x"}, 1)
    earlier = broadcasts.next_jobs(db, limit=3)
    later = broadcasts.next_jobs(db, limit=2)  # another claim: another claim time
    stale = replace(earlier[0], claimed_at=earlier[0].claimed_at - timedelta(seconds=1))
    marked = broadcasts.start_sending_groups(db, [[stale, *earlier[1:]], later])
    assert marked == [earlier[1:], later]  # a claim time not ours: not sent by us
    broadcasts.record(db, [broadcasts.Outcome(job.id, "sent") for job in earlier[1:] + later])
    assert broadcasts.progress(db, one) == broadcasts.Progress(3, 2, 0, 1, 0)
    assert broadcasts.progress(db, two) == broadcasts.Progress(2, 2, 0, 0, 0)
    assert broadcasts.start_sending_groups(db, [[], []]) == [[], []]
