"""Several identical `desabot run --webhook` processes behind a reverse proxy, sharing only
PostgreSQL and Redis: any process handles any update, a person's updates stay in order, their
conversation state follows them, a broadcast goes out once even when a process is killed, and
one process alone runs the once-per-deployment work."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from bot.core.storage.leader import Leadership
from bot.core.storage.models import Village
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.programme import broadcasts, membership
from bot.domain.programme.village_import import import_villages
from bot.emulator import Emulator, Person
from tests.auxil.at_most_once import settled_at_most_once
from tests.auxil.paths import FIXTURES
from tests.auxil.process import SLOW, BotProcess
from tests.auxil.proxy import RoundRobinProxy

pytestmark = pytest.mark.timeout(SLOW)  # each starts bot processes
SECRET = "s3cret-processes"
PROCESSES = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Deployment:
    """The processes, the proxy in front of them, and their shared database."""

    bots: list[BotProcess]
    proxy: RoundRobinProxy
    db: Database


@pytest.fixture(scope="module")
def nlu_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One NLU cache for every process of the module: trained once, then loaded."""
    return tmp_path_factory.mktemp("processes-data")


@pytest.fixture
async def deployment(request: pytest.FixtureRequest, emulator: Emulator, postgres_url: str,
                     redis_url: str, nlu_cache: Path) -> AsyncIterator[Deployment]:
    """`PROCESSES` processes (or as many as the test's indirect parameter says)."""
    ports = [_free_port() for _ in range(getattr(request, "param", PROCESSES))]
    proxy = RoundRobinProxy([f"http://127.0.0.1:{port}" for port in ports])
    await proxy.start()
    env = {"REDIS_URL": redis_url, "WEBHOOK_URL": f"{proxy.url}/telegram",
           "WEBHOOK_SECRET_TOKEN": SECRET, "DELIVERY_LEASE_SECONDS": "3"}
    bots = [BotProcess(emulator, nlu_cache, postgres_url, webhook=True, name=f"bot-{i}",
                       extra_env={**env, "WEBHOOK_PORT": str(port)})
            for i, port in enumerate(ports)]
    db = Database(postgres_url)
    try:
        for bot in bots:
            await bot.start()
        await emulator.wait_for(lambda: emulator.queue.webhook, timeout=30)
        yield Deployment(bots, proxy, db)
    finally:
        for bot in bots:
            if bot.proc is not None and bot.proc.returncode is None:
                assert await bot.terminate() == 0, bot.log.read_text()[-3000:]
        await proxy.stop()
        db.dispose()


async def test_any_process_answers_and_each_persons_answers_keep_their_order(
        emulator: Emulator, deployment: Deployment) -> None:
    people = [emulator.person(f"Warga {i}") for i in range(6)]
    questions = ["/start", "cara buat paspor", "/bantuan"]
    for question in questions:
        for person in people:
            await person.say(question)
    for person in people:
        replies = await emulator.wait_for(
            lambda p=person: len(emulator.world.bot_messages(p.id)) >= 3
            and emulator.world.bot_messages(p.id), timeout=60)
        first, second, third = replies[:3]
        assert "Desa Binaan" in first.text
        assert "paspor" in second.text.lower()
        assert "/bantuan - " in third.text  # the help lists the commands
    backends = {index for index, _ in deployment.proxy.routed}
    assert backends == set(range(PROCESSES))  # every process took part
    async with httpx.AsyncClient() as client:
        forged = await client.post(f"{deployment.proxy.url}/telegram", json={"update_id": 1})
        health = await client.get(f"{deployment.proxy.url}/health")
    assert forged.status_code == 403
    assert health.json()["status"] == "ok"


async def test_a_persons_conversation_state_follows_them_to_another_process(
        emulator: Emulator, deployment: Deployment) -> None:
    siti = emulator.person("Siti")
    asked = await siti.ask("/desa", timeout=20)
    assert "nama desa/kelurahan" in asked.text.lower()
    reply = await siti.ask("Sukamajuu", timeout=20)
    # The answer to the question asked (the village search: the national list's Sukamaju
    # villages), not a generic answer: the other process knew what Siti had been asked.
    assert "Sukamaju" in reply.text and "daftar desa" in reply.text.lower()
    handled_by = [index for index, update in deployment.proxy.routed
                  if (update.get("message") or {}).get("from", {}).get("id") == siti.id]
    assert len(set(handled_by)) == 2  # two different processes


def _subscribed_village(db: Database, emulator: Emulator, n: int) -> tuple[int, list[Person]]:
    """A village (with its immigration offices) and `n` villagers subscribed to it."""
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, FIXTURES / "villages_fictional.csv")
    with db.session() as session:
        village = session.scalar(select(Village.id).where(Village.code == "52.01.01.2001"))
    people = [emulator.person(f"Warga {i}") for i in range(n)]
    for person in people:
        membership.subscribe(db, person.id, village)
    return village, people


CHATTER_QUESTIONS = ["cara buat paspor", "gaji di malaysia berapa", "/bantuan"] * 2


def _received(emulator: Emulator, text: str) -> Callable[[Person], int]:
    """How many times a person got the broadcast `text`."""
    return lambda person: sum(e.text == text for e in emulator.world.bot_messages(person.id))


async def _chat(person: Person) -> int:
    """Six questions, about one a second (twenty villagers: twenty a second together), as
    villagers type: load generation, not synchronisation. Returns how many were answered."""
    answered = 0
    for question in CHATTER_QUESTIONS:
        started = time.monotonic()
        answered += bool((await person.ask(question, timeout=30)).text)
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    return answered


async def _broadcast_with_chatter(emulator: Emulator, db: Database, village: int,
                                  people: list[Person], text: str,
                                  *meanwhile: Awaitable[None]) -> list[Person]:
    """Twenty villagers chat while a broadcast to `people` is under way (and `meanwhile` runs):
    asserts that every villager got every answer and every subscriber the broadcast once;
    returns the villagers."""
    chatters = [emulator.person(f"Penanya {i}") for i in range(20)]
    received = _received(emulator, text)
    broadcasts.create(db, village, "text", {"text": text}, None)
    await emulator.wait_for(lambda: sum(received(p) for p in people) >= 30, timeout=60)
    answered = await asyncio.gather(*(_chat(person) for person in chatters), *meanwhile)
    assert answered[:len(chatters)] == [len(CHATTER_QUESTIONS)] * len(chatters)
    await emulator.wait_for(lambda: all(received(p) >= 1 for p in people), timeout=120)
    assert [received(p) for p in people] == [1] * len(people)
    return chatters


async def test_a_broadcast_goes_out_once_while_a_process_is_killed(
        emulator: Emulator, deployment: Deployment) -> None:
    db = deployment.db
    village, people = _subscribed_village(db, emulator, 240)
    held = people[5]  # its send never gets an answer: in flight when its process dies, or not
    emulator.faults.add("timeout", method="sendMessage", chat_id=held.id, delay=60)
    hits = emulator.limits.hits  # Telegram's limits on: the three share one budget in Redis
    text = "Pengumuman Desa Binaan untuk semua warga"

    received = _received(emulator, text)
    kades = emulator.person("Pak Kades")
    broadcasts.create(db, village, "text", {"text": text}, None, progress_chat_id=kades.id)
    await emulator.wait_for(lambda: sum(received(p) for p in people) >= 40, timeout=60)
    await deployment.bots[1].kill()  # mid-way
    # The final report, after the lease, once the killed process's deliveries are settled.
    # Not every villager's message: one the killed process had in flight may never have
    # reached Telegram, and it is not sent again (waiting for it timed out on a loaded machine).
    report = await emulator.wait_for(
        lambda: [e for e in emulator.world.bot_messages(kades.id) if "selesai" in e.text], 180)
    by_chat = {person.id: person for person in people}
    statuses = settled_at_most_once(db, by_chat, lambda chat: received(by_chat[chat]))
    assert emulator.limits.hits == hits  # never over Telegram's limits, a process killed or not
    assert received(held) == 0
    # Unknown: the held one, and what the killed process had in flight (it may have arrived:
    # that is why it is not sent again). Everything else is sent.
    unknown = statuses["unknown"]
    assert 1 <= unknown <= 1 + 20
    assert f"{unknown} belum pasti" in report[0].text


async def test_villagers_chatting_with_every_process_during_a_broadcast_cost_no_429(
        emulator: Emulator, deployment: Deployment) -> None:
    """Replies, from whichever process handles the update, are charged to the token's one
    budget in Redis that every process's broadcast is paced by: Telegram's 30/s holds for
    the sum, so neither the villagers nor the broadcast meet a 429."""
    village, people = _subscribed_village(deployment.db, emulator, 450)
    hits = emulator.limits.hits  # Telegram's limits on
    text = "Pengumuman Desa Binaan: pertemuan warga hari Sabtu"
    chatters = await _broadcast_with_chatter(emulator, deployment.db, village, people, text)
    last_sent = max(e.at for p in people for e in emulator.world.bot_messages(p.id))
    replies = [e.at for p in chatters for e in emulator.world.bot_messages(p.id)]
    assert sum(at < last_sent for at in replies) >= len(replies) / 2  # during the broadcast
    assert emulator.limits.hits == hits  # no 429, for the replies or the broadcast
    ids = {person.id for person in chatters}
    handled_by = {index for index, update in deployment.proxy.routed
                  if (update.get("message") or {}).get("from", {}).get("id") in ids}
    assert len(handled_by) == PROCESSES  # every process replied to some of them


@pytest.mark.parametrize("deployment", [4], indirect=True)
async def test_four_processes_replying_and_broadcasting_through_stalls_at_telegram_meet_no_429(
        emulator: Emulator, deployment: Deployment) -> None:
    """Telegram's end stops answering for a moment, then takes what came meanwhile at once:
    the messages that waited must fit its 30 a second, and so must those sent right after.
    Every message of every process, reply or broadcast, holds a place in the token's window
    from before it leaves until a second after its answer (send_budget.py)."""
    village, people = _subscribed_village(deployment.db, emulator, 600)

    async def stalls() -> None:
        for _ in range(3):
            await asyncio.sleep(1.5)  # between stalls, while the villagers chat
            emulator.stall(1.5)

    text = "Pengumuman Desa Binaan: posyandu hari Kamis"
    await _broadcast_with_chatter(emulator, deployment.db, village, people, text, stalls())
    assert emulator.limits.hits_by == {}  # no 429: not after a stall, not for any limit


def test_one_process_leads_and_another_takes_over_when_it_goes(postgres_url: str) -> None:
    first, second = Database(postgres_url), Database(postgres_url)
    try:
        one, two = Leadership(first), Leadership(second)
        assert one.try_lead() and one.try_lead()  # leads, and keeps leading
        assert not two.try_lead()
        pid = one._connection.execute(text("SELECT pg_backend_pid()")).scalar()
        one._connection.commit()
        with first.engine.connect() as admin:  # its connection is gone, as when its process dies
            assert admin.execute(text("SELECT pg_terminate_backend(:pid, 10000)"),
                                 {"pid": pid}).scalar()
        assert two.try_lead()
        assert not one.try_lead()  # notices it lost its connection, and that two leads now
        two.resign()
        assert one.try_lead()
        one.resign()
    finally:
        first.dispose()
        second.dispose()
