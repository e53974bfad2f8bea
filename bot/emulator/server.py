"""The HTTP face of the emulator: `/bot<token>/<method>` and `/file/bot<token>/<path>`."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.emulator.faults import DELIVERING
from bot.emulator.methods import TooManyRequests
from bot.emulator.spec import BadRequest

if TYPE_CHECKING:
    from bot.emulator.emulator import Emulator

log = logging.getLogger(__name__)
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{1,64}$")


def make_app(server: Emulator) -> web.Application:
    """Build the aiohttp application that answers like api.telegram.org, for every bot."""
    app = web.Application(client_max_size=60 * 1024 * 1024)

    async def api(request: web.Request) -> web.StreamResponse:
        token, name = request.match_info["token"], request.match_info["method"]
        if not TOKEN_RE.match(token):
            return _error(404, "Not Found")
        emu = server.for_token(token)
        if emu is None:
            return _error(401, "Unauthorized")
        return await answer(emu, name, request)

    async def answer(emu: Emulator, name: str, request: web.Request) -> web.StreamResponse:
        try:
            method = emu.spec.canonical_method(name)
            raw, files = await _read_params(request)
            chat_id = _chat_hint(raw)
            fault = emu.faults.take(method, chat_id)
            if fault and fault.kind not in DELIVERING:
                await emu.world.notify()
                return await _produce(fault, request)
            params = emu.spec.parse(method, raw, files)
            await emu.held()
            result = await emu.api.call(method, params, files)
            if fault:  # carried out; only the answer goes missing
                await emu.world.notify()
                return await _produce(fault, request, result)
        except TooManyRequests as exc:
            emu.stats["429"] += 1
            return _error(429, exc.description, {"retry_after": exc.retry_after})
        except BadRequest as exc:
            emu.stats[str(exc.code)] += 1
            emu.rejected.append((name, exc.description))
            return _error(exc.code, exc.description)
        emu.stats["ok"] += 1
        return web.json_response({"ok": True, "result": result})

    async def download(request: web.Request) -> web.StreamResponse:
        emu = server.for_token(request.match_info["token"])
        if emu is None:
            return _error(401, "Unauthorized")
        data = emu.world.files.get(request.match_info["file_id"])
        if data is None:
            return _error(404, "Not Found")
        return web.Response(body=data, content_type="application/octet-stream")

    app.router.add_route("*", r"/bot{token}/{method}", api)
    app.router.add_get(r"/file/bot{token}/files/{file_id}", download)
    return app


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    ctype = request.content_type
    if ctype == "application/json":
        try:
            body = await request.json()
        except json.JSONDecodeError:
            raise BadRequest("Bad Request: can't parse JSON body") from None
        if not isinstance(body, dict):
            raise BadRequest("Bad Request: JSON body must be an object")
        raw.update(body)
    elif ctype == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if part.filename is not None:
                files[part.name] = bytes(await part.read())
            else:
                raw[part.name] = await part.text()
    elif request.can_read_body:
        raw.update(await request.post())
    return raw, files


def _chat_hint(raw: dict[str, Any]) -> int | None:
    try:
        return int(raw.get("chat_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


async def _produce(fault: Any, request: web.Request,
                   result: Any = None) -> web.StreamResponse:
    if fault.kind == "error":
        return _error(fault.status, "Internal Server Error" if fault.status == 500 else
                      "Bad Gateway")
    if fault.kind == "flood":
        return _error(429, f"Too Many Requests: retry after {fault.retry_after}",
                      {"retry_after": fault.retry_after})
    if fault.kind in ("timeout", "late_answer"):
        await asyncio.sleep(fault.delay)  # simulates a server that does not answer in time
        if fault.kind == "late_answer":
            return web.json_response({"ok": True, "result": result})
        return _error(504, "Gateway Timeout")
    # "drop" and "lost_answer": close the connection without an answer.
    if request.transport:
        request.transport.close()
    raise asyncio.CancelledError


def _error(code: int, description: str, parameters: dict | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)
