"""Programme results: participation, score per village, hardest questions, in Indonesian words."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.core.storage.models import Office, QuizAnswer, QuizPoll, Subscription, Village, utcnow
from bot.core.storage.session import Database
from tests.faces.web.conftest import MTR_OFFICER, TPI_OFFICER, signed_in
from tests.faces.web.conftest import Office as Seeded


def seed_answers(db: Database, library) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Kelong and Mapur (Tanjungpinang) answered for three weeks; Senggigi (Mataram) too."""
    now = utcnow()
    hard, easy = list(library.questions.values())[:2]
    with db.session() as session:
        offices = {o.code: o.id for o in session.scalars(select(Office))}
        villages = {name: Village(code=f"9.{i}", name=name, office_id=offices[office])
                    for i, (name, office) in enumerate((("Kelong", "tpi"), ("Mapur", "tpi"),
                                                        ("Senggigi", "mtr")))}
        session.add_all(villages.values())
        session.flush()
        session.add_all([Subscription(chat_id=60_000 + i, village_id=villages["Kelong"].id)
                         for i in range(20)])
        for week in range(3):
            for name, village in villages.items():
                for question in (hard, easy):
                    poll = f"{name}-{week}-{question.id}"
                    session.add(QuizPoll(poll_id=poll, question_id=question.id,
                                         topic=question.topic, correct_option=0, chat_id=-1,
                                         village_id=village.id,
                                         sent_at=now - timedelta(weeks=week)))
                    session.flush()
                    session.add_all([QuizAnswer(
                        poll_id=poll, telegram_id=60_000 + i, option=0, village_id=village.id,
                        correct=(i < 2) if question is hard else (i < 9),
                        answered_at=now - timedelta(weeks=week)) for i in range(10)])
        return {name: v.id for name, v in villages.items()}


async def test_the_office_results_name_questions_and_topics(server: TestServer,
                                                           offices: Seeded) -> None:
    db, library = offices.services.db, offices.services.library
    ids = seed_answers(db, library)
    hard = next(iter(library.questions.values()))
    officer = await signed_in(server, db, TPI_OFFICER)
    page = await (await officer.get("/program/hasil")).text()
    assert "Kantor Imigrasi Tanjungpinang" in page and "20 pelanggan" in page
    hardest = page.split('id="hardest"')[1]
    assert hard.question[:30] in hardest and library.topics[hard.topic] in hardest
    assert "20%" in hardest.split("</tr>")[1]  # 2 of 10 right, the hardest row first
    assert ">40<" in page.split('id="weeks"')[1]  # a week: 2 villages x 2 polls x 10 answers
    for kind in ("partisipasi", "desa", "soal"):
        chart = await officer.get(f"/program/hasil/{kind}.svg")
        assert chart.status == 200 and chart.content_type == "image/svg+xml"
        svg = await chart.text()
        assert "<svg" in svg and "Senggigi" not in svg
    svg = await (await officer.get("/program/hasil/soal.svg")).text()
    assert library.topics[hard.topic][:20] in svg and f"({hard.topic})" not in svg
    assert "Kelong" in await (await officer.get("/program/hasil/desa.svg")).text()
    one = await (await officer.get(f"/program/hasil?desa={ids['Kelong']}")).text()
    assert "Hasil kuis Kelong" in one and ">20<" in one.split('id="weeks"')[1]
    assert (await officer.get(f"/program/hasil?desa={ids['Senggigi']}")).status == 404
    await officer.close()
    stranger = await signed_in(server, db, MTR_OFFICER)
    theirs = await (await stranger.get("/program/hasil")).text()
    assert "Kelong" not in await (await stranger.get("/program/hasil/desa.svg")).text()
    assert "0 pelanggan" in theirs
    await stranger.close()
