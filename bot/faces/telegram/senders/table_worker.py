"""A table-draining background task: work while there is work, else wait to be woken."""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)
IDLE_POLL = 1.0  # seconds between looks at the table when nobody wakes the worker


class TableWorker:
    """Subclasses implement `drain_once`; `start` and `stop` come from here."""

    name = "worker"

    def __init__(self, wakeup: asyncio.Event) -> None:
        self._wakeup = wakeup
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start draining (called from post_init)."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Stop after the message being sent."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def drain_once(self) -> int:
        """Handle one batch; returns how many items it handled."""
        raise NotImplementedError

    async def _run(self) -> None:
        while True:
            self._wakeup.clear()
            try:
                handled = await self.drain_once()
            except Exception as exc:  # noqa: BLE001 - e.g. the database busy for a moment
                # A dead worker would leave every later broadcast unsent until a restart;
                # what it had claimed is retaken after its lease.
                log.error("%s worker: %s; trying again", self.name, exc.__class__.__name__)
                handled = 0
            if not handled:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), IDLE_POLL)
