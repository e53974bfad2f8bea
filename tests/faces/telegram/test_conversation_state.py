"""`context.user_data` lives in the database, per person, and a forgotten question expires."""

from __future__ import annotations

from sqlalchemy import update

from bot.core.storage.models import ConversationState, utcnow
from bot.domain.messaging import conversation_state
from tests.auxil.harness import Harness
from tests.auxil.watching import Finished


async def test_a_question_left_unanswered_expires(harness_any_db: Harness) -> None:
    harness = harness_any_db
    db = harness.services.db
    finished = Finished(harness.app)
    siti = harness.villager("Siti")
    await finished.wait([await siti.say("/desa")])  # handled, and its state saved
    assert "nama desa/kelurahan" in (await siti.reply()).text.lower()
    assert conversation_state.load(db, siti.id) == {"awaiting": "village"}
    assert harness.app.user_data.get(siti.id) in (None, {})  # not kept in the process
    with db.session() as session:  # an hour and more later
        session.execute(update(ConversationState).values(expires_at=utcnow()))
    reply = await siti.ask("cara buat paspor")
    assert "paspor" in reply.text.lower()  # an answer, not "no village called ..."


async def test_the_state_is_read_from_the_database_not_from_memory(
        harness_any_db: Harness) -> None:
    harness = harness_any_db
    db = harness.services.db
    finished = Finished(harness.app)
    budi = harness.villager("Budi")
    # Another process asked Budi for his village: only the database knows.
    conversation_state.save(db, budi.id, conversation_state.encode({"awaiting": "village"}))
    await finished.wait([await budi.say("Sukamajuu")])
    reply = await budi.reply()
    # Taken as the village he was asked for: not in the (empty) programme, so the bot names
    # the gazetteer's Sukamaju villages instead of answering a question.
    assert "daftar desa di Indonesia" in reply.text and "Sukamaju" in reply.text
    # A miss: his next message is read as the village once more (handlers/villages.py).
    assert conversation_state.load(db, budi.id) == {"awaiting": "village_retry"}
