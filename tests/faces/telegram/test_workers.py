"""Several worker processes (BOT_WORKERS=2): each villager keeps one worker, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.storage.migrate import upgrade
from bot.emulator import Emulator
from bot.faces.telegram.pacer import Pacer
from bot.faces.telegram.supervisor import partition_key
from bot.faces.telegram.worker import SendReport, charge_report
from tests.auxil.clock import FakeClock
from tests.auxil.process import BotProcess

SITI = {"id": 1001, "is_bot": False, "first_name": "Siti"}
GROUP = {"id": -500, "type": "group", "title": "Desa"}


@pytest.mark.parametrize("update", [
    {"update_id": 1, "message": {"message_id": 1, "date": 0, "from": SITI,
                                 "chat": {"id": 1001, "type": "private"}, "text": "halo"}},
    {"update_id": 2, "edited_message": {"message_id": 1, "date": 0, "from": SITI,
                                        "chat": GROUP, "text": "halo"}},
    {"update_id": 3, "callback_query": {"id": "q", "from": SITI, "chat_instance": "c",
                                        "data": "menu"}},
    {"update_id": 4, "poll_answer": {"poll_id": "p", "user": SITI, "option_ids": [0]}},
    {"update_id": 5, "my_chat_member": {"chat": GROUP, "from": SITI, "date": 0}},
], ids=["message", "edited-in-group", "button", "poll-answer", "added-to-group"])
def test_every_kind_of_update_from_a_person_goes_to_that_persons_worker(update: dict) -> None:
    """Same person, same worker: their conversation state lives in one process."""
    assert partition_key(update) == 1001


def test_an_update_without_a_person_goes_by_chat_or_to_worker_zero() -> None:
    assert partition_key({"update_id": 1, "channel_post": {"message_id": 1, "date": 0,
                                                           "chat": {"id": -77}}}) == -77
    assert partition_key({"update_id": 1, "poll": {"id": "p"}}) == 0


async def test_two_workers_answer_everyone_in_order_and_stop_cleanly(
        emulator: Emulator, tmp_path: Path) -> None:
    """Six villagers write at once; each gets every answer, in the order they asked."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    upgrade(url)
    bot = BotProcess(emulator, tmp_path, url, workers=2)
    await bot.start()
    try:
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
    finally:
        assert await bot.terminate() == 0


async def test_two_workers_behind_the_webhook(emulator: Emulator, tmp_path: Path) -> None:
    """Webhook mode with workers: the secret is checked, updates are answered, /health."""
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    upgrade(url)
    hook = f"http://127.0.0.1:{port}/telegram"
    bot = BotProcess(emulator, tmp_path, url, workers=2, webhook=True, extra_env={
        "WEBHOOK_URL": hook, "WEBHOOK_SECRET_TOKEN": "s3cret", "WEBHOOK_PORT": str(port)})
    await bot.start()
    try:
        await emulator.wait_for(lambda: emulator.queue.webhook, timeout=30)
        reply = await emulator.person("Siti").ask("cara buat paspor", timeout=20)
        assert "paspor" in reply.text.lower()
        async with httpx.AsyncClient() as client:
            forged = await client.post(hook, json={"update_id": 1})
            health = (await client.get(f"http://127.0.0.1:{port}/health")).json()
        assert forged.status_code == 403
        assert health == {"status": "ok", "workers": 2, "workers_alive": 2, "database": "ok",
                          "outbox_pending": 0, "deliveries_pending": 0}
    finally:
        assert await bot.terminate() == 0


async def test_two_workers_report_unhealthy_when_the_database_is_dropped(
        emulator: Emulator, tmp_path: Path, postgres) -> None:  # type: ignore[no-untyped-def]
    """With BOT_WORKERS=2, /health said 200 ok after the database was dropped."""
    import socket

    import httpx

    if postgres is None:
        pytest.skip("dropping a live database is a PostgreSQL scenario")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = postgres.fresh()
    name = url.rsplit("/", 1)[1]
    hook = f"http://127.0.0.1:{port}/telegram"
    bot = BotProcess(emulator, tmp_path, url, workers=2, webhook=True, extra_env={
        "WEBHOOK_URL": hook, "WEBHOOK_SECRET_TOKEN": "s3cret", "WEBHOOK_PORT": str(port)})
    await bot.start()
    try:
        await emulator.wait_for(lambda: emulator.queue.webhook, timeout=30)
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"http://127.0.0.1:{port}/health")).status_code == 200
            postgres._execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            dropped = await client.get(f"http://127.0.0.1:{port}/health")
        assert dropped.status_code == 503
        assert dropped.json()["database"] == "unreachable"
        assert name not in dropped.text and "5432" not in dropped.text
    finally:
        await bot.terminate()


def test_other_workers_replies_use_up_worker_zeros_broadcast_budget(
        caplog: pytest.LogCaptureFixture) -> None:
    """Worker 1's sends reach worker 0's pacer as `#sent N` lines (relayed by the supervisor)."""
    worker_one, worker_zero = Pacer(clock=FakeClock()), Pacer(clock=FakeClock())
    report = SendReport(worker_one)
    assert report.line() is None  # nothing sent yet
    for _ in range(40):
        worker_one.note_send()  # forty replies to villagers on worker 1
    line = report.line()
    assert line == b"#sent 40\n" and report.line() is None
    assert worker_zero.wait_time(7, is_group=False) == 0
    worker_zero.take(7, is_group=False)
    assert worker_zero.wait_time(8, is_group=False) == 0  # still within its burst
    charge_report(worker_zero, line)
    assert worker_zero.elsewhere == 40
    assert worker_zero.wait_time(8, is_group=False) == pytest.approx(0.5)  # the 2/s minimum
    charge_report(worker_zero, b"#sent lots\n")
    assert "unreadable send report" in caplog.text
