"""A district office's database for the dashboard benchmark: 10,000 tips, 500 villages.

Two offices share the rows (the measured one holds 90%), so every query also has to leave
the other office's tips out. Bulk INSERTs through SQLAlchemy Core: seconds, not minutes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from bot.core.storage.models import (
    CampaignContact,
    CampaignEvent,
    CampaignText,
    OfferCampaign,
    OfficeEvent,
    Officer,
    Official,
    QuizAnswer,
    QuizPoll,
    Subscription,
    Tip,
    TipEvent,
    UnansweredQuestion,
    Village,
)
from bot.core.storage.session import Database
from bot.domain.people import roles

ADMIN_ID = 900_001
STATUSES = ("new", "claimed", "escalated", "closed", "closed", "closed")
WORDS = ("kerja", "admin", "kamboja", "malaysia", "thailand", "gaji", "calo", "paspor",
         "visa", "turis", "tiket", "gratis", "online", "bangkok", "batam", "agen")


def seed(db: Database, tips: int = 10_000, villages: int = 500, seed_value: int = 7) -> dict:
    """Fill the database; returns the ids the benchmark's pages need."""
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    main = roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    other = roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    token = roles.create_invite(db, "admin", office_code="tpi")
    roles.redeem(db, token, ADMIN_ID, "Admin Bench")
    with db.session() as session:
        session.execute(insert(Officer), [
            {"telegram_id": 900_100 + i, "office_id": main.id if i % 5 else other.id,
             "name": f"Petugas {i}", "active": True, "created_at": now, "is_admin": False}
            for i in range(20)])
        session.execute(insert(Village), [
            {"code": f"21.{i // 100:02d}.{i % 100:04d}", "name": f"Desa {i:03d}",
             "district": f"Kecamatan {i % 40}", "regency": "Bintan", "province": "Kepri",
             "timezone": "Asia/Jakarta", "office_id": main.id if i % 10 else other.id}
            for i in range(villages)])
        village_ids = list(session.scalars(select(Village.id)))
        officer_ids = list(session.scalars(select(Officer.id).where(Officer.office_id == main.id)))
        session.execute(insert(Subscription), [
            {"chat_id": 1_000_000 + i, "village_id": rng.choice(village_ids), "active": True,
             "created_at": now} for i in range(20_000)])
        session.execute(insert(Official), [
            {"telegram_id": 800_000 + i, "village_id": v, "active": True}
            for i, v in enumerate(village_ids[:300])])
        rows = []
        for i in range(tips):
            status = rng.choice(STATUSES)
            created = now - timedelta(hours=rng.uniform(0, 24 * 90))
            rows.append({
                "code": f"LP-B{i:07d}", "reporter_id": 2_000_000 + i % 3000,
                "reporter_name": f"Warga {i}", "consent": i % 4 == 0,
                "office_id": main.id if i % 10 else other.id,
                "village_id": rng.choice(village_ids), "status": status,
                "outcome": "followed_up" if status == "closed" else None,
                "urgent": i % 7 == 0, "story": " ".join(rng.choices(WORDS, k=25)),
                "offer_text": " ".join(rng.choices(WORDS, k=15)),
                "recruiter": f"Pak {rng.choice(('Joko', 'Budi', 'Ali', 'Rudi'))} {i % 97}",
                "destination": rng.choice(("Kamboja", "Malaysia", "Thailand", "Myanmar")),
                "at_risk": "family", "timing": "soon", "risk": rng.choice(("high", "medium")),
                "risk_flags": "[]", "claimed_by": rng.choice(officer_ids) if status != "new"
                else None, "created_at": created, "announced_at": created,
                "closed_at": created + timedelta(days=1) if status == "closed" else None,
                "purged": False})
        session.execute(insert(Tip), rows)
        tip_ids = list(session.scalars(select(Tip.id).where(Tip.office_id == main.id)
                                       .order_by(Tip.id)))
        session.execute(insert(TipEvent), [
            {"tip_id": t, "actor": kind[0], "kind": kind[1], "text": "catatan" * 5,
             "created_at": now} for t in tip_ids
            for kind in (("reporter", "created"), (f"officer:{officer_ids[0]}", "claimed"),
                         (f"officer:{officer_ids[0]}", "note"))])
        polls = [{"poll_id": f"p{i}", "question_id": f"q{i % 30}", "topic": f"topik{i % 8}",
                  "correct_option": 0, "chat_id": -100 - i, "village_id": village_ids[i % 500],
                  "sent_at": now - timedelta(days=i % 60)} for i in range(2000)]
        session.execute(insert(QuizPoll), polls)
        session.execute(insert(QuizAnswer), [
            {"poll_id": f"p{i % 2000}", "telegram_id": 1_000_000 + i, "option": i % 3,
             "correct": i % 3 == 0, "village_id": village_ids[i % 2000 % 500],
             "answered_at": now - timedelta(days=(i % 2000) % 60)} for i in range(50_000)])
        session.execute(insert(UnansweredQuestion), [
            {"text": f"pertanyaan {i} " + " ".join(rng.choices(WORDS, k=6)), "count": i % 9 + 1,
             "last_asked": now, "best_intent": f"intent_{i % 12}", "reviewed": False}
            for i in range(1500)])
        main_villages = [v for i, v in enumerate(village_ids) if i % 10]
        campaign = _campaigns(session, rng, now, main.id, main_villages)
        session.execute(insert(OfficeEvent), [
            {"office_id": main.id, "actor": f"officer:{officer_ids[i % len(officer_ids)]}",
             "kind": ("signed_in", "signed_out", "invited")[i % 3], "subject": "officer",
             "created_at": now - timedelta(minutes=i)} for i in range(3000)])
    busiest = village_ids[1]
    return {"tip": tip_ids[len(tip_ids) // 2], "village": busiest, "campaign": campaign}


def _campaigns(session, rng: random.Random, now: datetime, office_id: int,  # type: ignore[no-untyped-def]
               villages: list[int], count: int = 300) -> int:
    """Recruiters' campaigns: 300, with 2 to 40 texts each from the office's villages."""
    session.execute(insert(OfferCampaign), [
        {"status": ("open", "open", "unsure", "confirmed", "legitimate")[i % 5],
         "first_seen": now - timedelta(days=30), "last_seen": now} for i in range(count)])
    ids = list(session.scalars(select(OfferCampaign.id).order_by(OfferCampaign.id)))
    texts, contacts, events = [], [], []
    for n, campaign in enumerate(ids):
        for j in range(rng.randint(2, 40)):
            texts.append({"campaign_id": campaign, "source": "check" if j % 4 else "tip",
                          "text": f"LOKER {n} " + " ".join(rng.choices(WORDS, k=30)),
                          "village_id": rng.choice(villages), "office_id": office_id,
                          "risk": rng.choice(("high", "medium", "low")),
                          "signature": bytes(128), "size": 30, "contacts": "[]",
                          "created_at": now - timedelta(hours=rng.uniform(0, 24 * 30))})
        contacts += [{"campaign_id": campaign, "kind": "phone", "value": f"+62812{n:07d}"},
                     {"campaign_id": campaign, "kind": "handle", "value": f"loker_{n}"}]
        events.append({"campaign_id": campaign, "office_id": office_id, "actor": "system",
                       "kind": "alerted", "text": "", "created_at": now})
    session.execute(insert(CampaignText), texts)
    session.execute(insert(CampaignContact), contacts)
    session.execute(insert(CampaignEvent), events)
    return ids[0]
