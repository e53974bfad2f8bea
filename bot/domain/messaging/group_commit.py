"""Group commit: the work that arrives while one transaction runs goes into the next one.

Every update of a busy bot needs a few small database statements (its claim, its person's
conversation state). Each in its own transaction costs a hop to a worker thread, a pooled
connection's checkout and a commit; under a campaign's load those costs, not the statements,
were most of the database's share of an update. A `GroupCommit` keeps at most `parallel`
batches in flight: whatever is submitted while they all run waits and goes together into the
next batch (one thread hop, one transaction). Each caller still waits until its own item is
committed, so nothing is acknowledged before it is stored; an idle bot's lone update goes at
once, without a timer. More than one batch in flight because on a busy server one
transaction's round trips take tens of milliseconds: with a single batch at a time the bot
used half the CPU of the old code but answered later (benchmarks/load.py, load average 12).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    """Runs `run_batch(items) -> results` (same order) in a worker thread, one batch at a time.

    One instance per event loop. An exception fails every caller of that batch alike.
    """

    def __init__(self, run_batch: Callable[[list[Item]], list[Result]], parallel: int = 4) -> None:
        self._run_batch = run_batch
        self._parallel = parallel
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._flushers: set[asyncio.Task[None]] = set()

    async def submit(self, item: Item) -> Result:
        """Returns `item`'s result once its batch is committed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if len(self._flushers) < self._parallel:
            flusher = asyncio.create_task(self._flush())
            self._flushers.add(flusher)
            flusher.add_done_callback(self._flushers.discard)
        return await future

    async def _flush(self) -> None:
        try:
            await self._drain()
        finally:
            # At once, not in the task's done callback: a caller woken by the last batch runs
            # before that callback, and an item it submitted then found every flusher still
            # counted as running and waited for ever.
            self._flushers.discard(asyncio.current_task())  # type: ignore[arg-type]

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                results = await asyncio.to_thread(self._run_batch, [item for item, _ in batch])
            except Exception as exc:  # noqa: BLE001 - every waiting caller gets the error
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
