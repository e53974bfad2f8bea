"""The webhook server faces the internet: it never tells a stranger anything about the
database, and odd or hostile requests get a 4xx, not a 500 with a traceback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from aiohttp import web

from bot.core.storage.session import Database
from bot.faces.telegram.webhook import SECRET_HEADER, make_webhook_app, webhook_runner
from tests.auxil.harness import Harness

SECRET = "right-secret"
SLOW = 0.5  # the client timeout in these tests (10 s in production)
UNREACHABLE = "postgresql+psycopg://desabot_user@127.0.0.1:1/secret_db_name"


@pytest.fixture
async def server(harness: Harness) -> AsyncIterator[str]:
    """The single-process webhook server on a free loopback port; yields its base URL."""
    runner = webhook_runner(make_webhook_app(harness.app, SECRET, SLOW), SLOW)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_health_reports_an_unreachable_database_without_its_details(
        harness: Harness, server: str) -> None:
    services = harness.app.bot_data["services"]
    broken = Database(UNREACHABLE)
    harness.app.bot_data["services"] = replace(services, db=broken)
    try:
        async with httpx.AsyncClient() as client:
            health = await client.get(f"{server}/health")
    finally:
        harness.app.bot_data["services"] = services
        broken.dispose()
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "unreachable"}
    for detail in ("127.0.0.1", "secret_db_name", "desabot_user", "psycopg", "port"):
        assert detail not in health.text


def _nested(depth: int) -> bytes:
    return b'{"update_id": 5, "message": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("body", [
    _nested(100_000), b'{"update_id": 6, "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    + b"}", b"\xff\xfe{", b'{"update_id": 7, "message": 5}', b'{"update_id": 8, '
    b'"message": {"chat": "x"}}', b"[1, 2]", b'{"update_id": "9"}', b"",
], ids=["nested-lists", "nested-objects", "not-utf8", "message-not-object",
        "chat-not-object", "not-an-object", "id-not-int", "empty"])
async def test_odd_bodies_with_the_right_secret_are_refused_not_crashed(
        harness: Harness, server: str, body: bytes) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{server}/telegram", content=body,
                                   headers={SECRET_HEADER: SECRET,
                                            "Content-Type": "application/json"})
        assert answer.status_code == 400, answer.text
        assert "Traceback" not in answer.text
        assert (await client.get(f"{server}/health")).status_code == 200


async def _open(server: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = server.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


async def test_slow_clients_are_cut_off_and_others_are_still_served(
        harness: Harness, server: str) -> None:
    """Slow headers (slowloris) and a stalled body are closed after the client timeout."""
    headers_only = b"POST /telegram HTTP/1.1\r\nHost: bot\r\n"
    body_stalls = (b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json"
                   b"\r\n" + f"{SECRET_HEADER}: {SECRET}\r\n".encode() +
                   b"Content-Length: 500\r\n\r\n{\"update_id\": 1")
    slow = []
    for i in range(60):
        reader, writer = await _open(server)
        writer.write(headers_only if i % 2 else body_stalls)
        await writer.drain()
        slow.append((reader, writer))
    started = time.monotonic()
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{server}/health")).status_code == 200
    answers = await asyncio.wait_for(asyncio.gather(*(r.read() for r, _w in slow)), 10 * SLOW)
    elapsed = time.monotonic() - started
    assert elapsed < 5 * SLOW, elapsed
    stalled_bodies = answers[0::2]
    assert all(a.startswith(b"HTTP/1.1 408") for a in stalled_bodies), stalled_bodies[:2]
    for _reader, writer in slow:
        writer.close()

