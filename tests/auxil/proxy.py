"""A round-robin reverse proxy on loopback, standing in for nginx in front of bot processes.

Like nginx with `proxy_pass` to an upstream group: each request goes to the next backend in
turn and the client gets the backend's answer only when the backend gave it (so Telegram's
"next update of this chat after the previous one was answered" holds through it). It records
which backend got each update, so a test can check that a person's updates really were spread
over several processes.
"""

from __future__ import annotations

import itertools

import aiohttp
from aiohttp import web


class RoundRobinProxy:
    """Forwards every request to backends[0], backends[1], ... in turn."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self._next = itertools.cycle(range(len(backends)))
        self.routed: list[tuple[int, dict]] = []  # (backend index, update) per update
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The proxy's root URL."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> None:
        """Listen on loopback."""
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner:
            await self._runner.cleanup()
        if self._http:
            await self._http.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        index = next(self._next)
        body = await request.read()
        if request.method == "POST" and body:
            import json

            self.routed.append((index, json.loads(body)))
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("host", "content-length", "transfer-encoding")}
        try:
            async with self._http.request(request.method, self.backends[index] + request.path_qs,
                                          data=body, headers=headers) as resp:
                return web.Response(status=resp.status, body=await resp.read(),
                                    content_type=resp.content_type)
        except aiohttp.ClientError:
            return web.Response(status=502, text="bad gateway")  # as nginx says
