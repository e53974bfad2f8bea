"""The delivery writes of every sender in one process, grouped into shared transactions.

With regional bots one process runs a delivery worker per bot token (34 for a national
campaign), and each wrote its own small transactions: a `sending` mark per group of five
messages and the outcomes four times a second. At 34 x 30 messages a second that is ~350
transactions a second, and their statements (SQLAlchemy's compile and cache-key work, a
connection checkout, a thread hop, a commit), not the rows, were most of the bot's CPU per
message (benchmarks/national_campaign.py). Here the marks and the outcomes that arrive while
a write runs go together into the next one (`GroupCommit`): still one mark before any of
its messages leave, each sender still told which of its deliveries are its own.
"""

from __future__ import annotations

import asyncio
import weakref
from itertools import chain

from bot.core.storage.session import Database
from bot.domain.messaging.group_commit import GroupCommit
from bot.domain.programme import broadcasts
from bot.domain.programme.broadcasts import Job, Outcome

# Marks in flight at once: a send waits for its mark, so a second and third write may start
# while one commits on a busy server; outcomes wait for nobody, one write at a time will do.
MARKS_PARALLEL = 3
RECORDS_PARALLEL = 1


class DeliveryWrites:
    """The `sending` marks and the outcomes of one process's senders, for one database."""

    def __init__(self, db: Database) -> None:
        # Weakly: the process-wide registry below is keyed by the database, weakly too.
        self._db = weakref.ref(db)
        self._marks: GroupCommit[list[Job], list[Job]] = GroupCommit(self._mark, MARKS_PARALLEL)
        self._records: GroupCommit[list[Outcome], None] = GroupCommit(self._record,
                                                                      RECORDS_PARALLEL)

    async def start_sending(self, jobs: list[Job]) -> list[Job]:
        """Mark `jobs` sending (with other senders' groups); returns those still ours."""
        if not jobs:
            return []
        return await self._marks.submit(jobs)

    async def record(self, outcomes: list[Outcome]) -> None:
        """Write `outcomes` (with other senders'); returns once they are committed."""
        if outcomes:
            await self._records.submit(outcomes)

    def _mark(self, groups: list[list[Job]]) -> list[list[Job]]:
        return broadcasts.start_sending_groups(self._database(), groups)

    def _record(self, batches: list[list[Outcome]]) -> list[None]:
        broadcasts.record(self._database(), chain.from_iterable(batches))
        return [None] * len(batches)

    def _database(self) -> Database:
        db = self._db()
        if db is None:
            raise RuntimeError("the database is gone")
        return db


_shared: weakref.WeakKeyDictionary[Database, tuple[asyncio.AbstractEventLoop, DeliveryWrites]] = \
    weakref.WeakKeyDictionary()


def shared_writes(db: Database) -> DeliveryWrites:
    """The process's one `DeliveryWrites` for `db` on the running event loop."""
    loop = asyncio.get_running_loop()
    found = _shared.get(db)
    if found is None or found[0] is not loop:
        found = _shared[db] = (loop, DeliveryWrites(db))
    return found[1]
