"""Drains broadcast deliveries within Telegram's limits, resumable after a crash.

The pipeline, so that nothing waits between two sends but the budget: the next batch of
deliveries is claimed while the current one is sent; the budget lets a few messages go at
once (`WAVE`), which are marked `sending` in one statement and sent concurrently; their
outcomes are written together a fraction of a second later (`broadcasts.record`). Waiting
for a batch's last answers and writes before claiming the next cost the broadcast about a
seventh of Telegram's rate (benchmarks/README.md). The claims are kept this process's own
while they wait (renewed, adopted, marked sending) by `claims_keeper.ClaimsKeeper`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.domain.messaging.bots import BotShare
from bot.domain.messaging.paid_broadcast import PaidPolicy, is_balance_short
from bot.domain.programme import broadcasts, membership
from bot.domain.programme.broadcasts import Job, Outcome
from bot.domain.programme.quiz_results import poll_row
from bot.domain.programme.texts import paid_spend_text, progress_text
from bot.domain.services import Services
from bot.faces.telegram.ext_bot import DesaBot
from bot.faces.telegram.http_client import AiohttpRequest, AnswerLost, NotSent
from bot.faces.telegram.pacer import WAVE
from bot.faces.telegram.senders.claims_keeper import ClaimsKeeper
from bot.faces.telegram.senders.delivery_writes import shared_writes
from bot.faces.telegram.senders.paid_lane import PaidLane
from bot.faces.telegram.senders.raw_send import Answer, RawSender
from bot.faces.telegram.senders.send_gate import SendGate
from bot.faces.telegram.senders.table_worker import TableWorker

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5.0  # seconds between progress edits for the official
RECOVER_EVERY = 5.0  # seconds between looks for deliveries of a process that died
CLAIM_BATCH = 100  # deliveries claimed at once: about 3 s of sending at 30/s
# Sends in flight at once: the budget, not this number, sets the pace; it only bounds
# what a slow answer can hold up (at 29.5/s, 32 cover an answer a second late). Sends held
# up together by a slow write leave spaced out (`SendGate`); with several processes the
# token's budget also bounds the messages in flight of all of them together.
IN_FLIGHT = 32
PAID_IN_FLIGHT = 256  # with paid broadcasts: 900 a second with answers ~0.25 s late
READ_TIMEOUT = 15.0  # seconds to wait for Telegram's answer to one broadcast message
RECORD_EVERY = 0.25  # seconds: outcomes are written together at most this late
RECORD_BATCH = 64  # ... or as soon as this many are waiting


class DeliveryWorker(TableWorker):
    """One background task per process."""

    name = "deliveries"

    def __init__(self, bot: DesaBot, services: Services, share: BotShare | None = None) -> None:
        super().__init__(services.delivery_wakeup)
        self.bot = bot
        self.services = services
        self.share = share  # with regional bots: the deliveries of this bot's villages
        self._progress: dict[int, float] = {}
        self._recovered = time.monotonic()
        self._to_report: set[int] = set()
        self._next: asyncio.Task | None = None  # the next batch, claimed while this one goes
        self._claims = ClaimsKeeper(services.db, lambda: self._next)
        self._sending: set[asyncio.Task] = set()
        self.paid = paid_lane_of(bot, services)  # None: PAID_BROADCAST is off
        self._slots = asyncio.Semaphore(IN_FLIGHT if self.paid is None else PAID_IN_FLIGHT)
        self._outcomes: list[Outcome] = []
        self._recording: asyncio.Task | None = None
        self._recorded_at = time.monotonic()
        self._raw: RawSender | None = None
        self._gate = SendGate()
        # Progress reports and the look for a dead process's deliveries: database reads and
        # a message, run beside the sends. Awaited in the send loop, each one held up every
        # send behind it (the budget's burst covers a third of a second, not more).
        self._chores: dict[object, asyncio.Task] = {}

    async def stop(self) -> None:
        """Stop after the messages being sent; give back what was claimed but not sent.

        Those go back to pending at once, for the next process, not after the lease.
        """
        await super().stop()
        await self._chores_done()
        if self._next is not None:
            with contextlib.suppress(Exception):
                await self._next
            self._claims.adopt(self._next)
        if self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)
        await self._record_all()
        await self._claims.release()
        if self.paid is not None:
            await self.paid.release()

    def start(self) -> None:
        """Recover interrupted deliveries, then start draining.

        Alone (no REDIS_URL), whatever is in flight was this process's predecessor's; among
        several processes only deliveries older than the lease are (the others' are live).
        """
        self._recover(timedelta(0) if self.services.settings.redis_url is None
                      else self.lease)
        super().start()

    @property
    def lease(self) -> timedelta:
        """How long another process's claim counts as alive (DELIVERY_LEASE_SECONDS)."""
        return timedelta(seconds=self.services.settings.delivery_lease_seconds)

    def _recover(self, lease: timedelta) -> None:
        self._recovered = time.monotonic()
        unknown = broadcasts.recover_interrupted(self.services.db, lease, self.share)
        if unknown:
            log.warning("%d delivery(ies) were in flight when a process stopped; not re-sent",
                        len(unknown))
            self._to_report.update(unknown)  # their broadcasts may be finished now

    def _claim(self) -> asyncio.Task:
        return asyncio.get_running_loop().create_task(asyncio.to_thread(
            broadcasts.next_jobs, self.services.db, CLAIM_BATCH, share=self.share))

    def _renew_soon(self) -> None:
        """Renew this process's claims every third of the lease (a chore beside the sends)."""
        if self._claims.renewal_due(self.lease):
            self._chore("renew", self._claims.renew())

    async def drain_once(self) -> int:
        """Send one claimed batch while the next is claimed; the budget sets the pace.

        Returns at once when the batch's messages are on their way (not answered): the next
        batch starts right behind them. With nothing left it waits for the last answers,
        writes them and reports.
        """
        if self.services.settings.redis_url is not None and \
                time.monotonic() - self._recovered > RECOVER_EVERY:  # another process may have died
            self._recovered = time.monotonic()
            self._chore("recover", asyncio.to_thread(self._recover, self.lease))
        while self._to_report:
            broadcast_id = self._to_report.pop()
            self._chore(broadcast_id, self._report(broadcast_id))
        current, self._next = self._next or self._claim(), None
        jobs = await current
        self._claims.adopt(current)
        if not jobs:
            await self._settle()
            return 0
        self._next = self._claim()
        for job in jobs:
            self._progress.setdefault(job.broadcast_id, 0.0)
        pending = list(jobs)
        while pending:
            self._renew_soon()
            await self._slots.acquire()
            # A claim lost meanwhile (this process stalled past its lease) costs no budget.
            pending = [job for job in pending if job.id in self._claims.claimed]
            if not pending:
                self._slots.release()
                break
            try:
                count, month = await self._turn(pending[:WAVE])
            except BaseException:
                self._slots.release()
                raise
            wave, pending = pending[:count], pending[count:]
            for _ in range(count - 1):
                await self._slots.acquire()
            task = asyncio.get_running_loop().create_task(self._send_wave(wave, month))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        now = time.monotonic()
        for broadcast_id in sorted({job.broadcast_id for job in jobs}):
            if now - self._progress.get(broadcast_id, 0.0) >= PROGRESS_EVERY:
                self._chore(broadcast_id, self._report(broadcast_id))
        return len(jobs)

    async def _turn(self, jobs: list[Job]) -> tuple[int, str]:
        """How many of `jobs` go now, and the month they are paid in ("" when free).

        Without paid broadcasts: the free budget's turn, as always. With them: what the free
        budget takes at once goes free; a group it cannot take goes paid if the month's cap
        has room (the group's unused paid slots go back), else it waits for the free turn.
        """
        chats = [(job.chat_id, job.is_group) for job in jobs]
        if self.paid is not None:
            if count := await self.bot.budget.try_many(chats):
                return count, ""
            slots, month = await self.paid.take(len(chats))
            if slots:
                count = await self.bot.budget.acquire_paid(chats[:slots])
                if count < slots:
                    self.paid.unused(slots - count, month)
                return count, month
        return await self.bot.budget.acquire_many(chats), ""

    def _chore(self, key: object, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` beside the sends, unless the same chore is still running."""
        running = self._chores.get(key)
        if running is not None and not running.done():
            work.close()
            return
        self._chores[key] = task = asyncio.get_running_loop().create_task(work)
        task.add_done_callback(self._chore_done)

    def _chore_done(self, task: asyncio.Task) -> None:
        for key, chore in list(self._chores.items()):
            if chore is task:
                del self._chores[key]
        if not task.cancelled() and task.exception() is not None:
            log.error("deliveries: a report or recovery failed (%s); tried again later",
                      task.exception().__class__.__name__)

    async def _chores_done(self) -> None:
        if self._chores:
            await asyncio.gather(*self._chores.values(), return_exceptions=True)

    async def _settle(self) -> None:
        """Nothing more to claim: the last answers, their outcomes, the final reports."""
        if self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)
        await self._record_all()
        await self._chores_done()
        if self.paid is not None:
            await self.paid.release()
        for broadcast_id in sorted(self._progress):
            await self._report(broadcast_id)

    async def _send_wave(self, wave: list[Job], month: str = "") -> None:
        """Mark the group `sending` in one write, then send its messages concurrently.

        `month`: the group goes paid (allow_paid_broadcast), its slots counted in that month;
        it skips the gate, which spaces sends for the free 30 a second.
        """
        ours: list[Job] = []
        try:
            ours = await self._claims.start_sending(wave)
            if month and self.paid is not None and len(ours) < len(wave):
                self.paid.unused(len(wave) - len(ours), month)  # another process had them
            if not month:
                await self._gate.wait(len(ours))
            await asyncio.gather(*(self._send(job, month) for job in ours))
        except Exception as exc:  # noqa: BLE001 - the claims are retaken after their lease
            log.error("a group of %d deliveries could not be sent (%s); retried after the lease",
                      len(wave), exc.__class__.__name__)
        finally:
            for _ in wave:
                self._slots.release()
            with contextlib.suppress(Exception):  # in-flight marks also expire by themselves
                await self.bot.budget.landed([(job.chat_id, job.is_group) for job in wave],
                                             paid=bool(month))

    async def _send(self, job: Job, month: str = "") -> None:
        try:
            await self._send_one(job, month)
        except BaseException:  # no outcome: recovery settles it after the lease
            self._claims.in_flight.discard(job.id)
            raise
        finally:
            if len(self._outcomes) >= RECORD_BATCH or \
                    time.monotonic() - self._recorded_at >= RECORD_EVERY:
                self._record_soon()

    async def _send_one(self, job: Job, month: str = "") -> None:
        try:
            answer = await self._deliver(job, paid=bool(month))
        except (TimedOut, AnswerLost) as exc:
            # It may have arrived: at most once, so it is reported as unknown, never re-sent.
            # A paid one stays counted: Telegram may have billed it.
            log.warning("delivery %s: outcome unknown (%s); not sent again", job.id,
                        exc.__class__.__name__)
            self._outcomes.append(Outcome(job.id, "unknown", str(exc)))
            return
        except NetworkError as exc:  # NotSent: the request never left
            self._not_billed(month)
            self._outcomes.append(self._retry(job, str(exc)))
            return
        if month and not answer.ok:
            self._not_billed(month)
            if is_balance_short(answer.code, answer.description):
                self.paid.balance_short()  # type: ignore[union-attr]
                self._outcomes.append(Outcome(job.id, "pending", answer.description, 0.0))
                return
        await self._judge(job, answer)

    def _not_billed(self, month: str) -> None:
        """A paid message Telegram did not carry out: its slot is not spent."""
        if month and self.paid is not None:
            self.paid.unused(1, month)

    async def _judge(self, job: Job, answer: Answer) -> None:
        if answer.ok:
            rows: tuple = ()
            if answer.poll_id:
                question = self.services.library.questions[job.content["question"]]
                rows = (poll_row(answer.poll_id, question, job.chat_id, job.village_id),)
            self._outcomes.append(Outcome(job.id, "sent", also=rows))
        elif answer.code == 429:
            delay = max(answer.retry_after, 1.0)
            await self.bot.budget.pause(delay)
            self._outcomes.append(Outcome(job.id, "pending", answer.description, delay))
        elif answer.code == 403:
            self._outcomes.append(Outcome(job.id, "blocked", answer.description))
            await asyncio.to_thread(membership.deactivate_chat, self.services.db, job.chat_id)
        elif answer.code >= 500:  # Telegram could not carry it out: not delivered
            self._outcomes.append(self._retry(job, answer.description))
        else:
            self._outcomes.append(Outcome(job.id, "failed", answer.description))

    @staticmethod
    def _retry(job: Job, error: str) -> Outcome:
        if job.attempts >= 6:
            return Outcome(job.id, "failed", error)
        return Outcome(job.id, "pending", error, min(2 ** job.attempts, 60))

    async def _deliver(self, job: Job, paid: bool = False) -> Answer:
        """Through the bot's own session, or through python-telegram-bot if it has another."""
        if self._raw is None:
            request = self.bot.request
            if not isinstance(request, AiohttpRequest):
                raise NotSent("the bot's HTTP client cannot send raw bodies")
            self._raw = RawSender(request, self.bot.base_url, self.services.library)
        return await self._raw.send(job, READ_TIMEOUT, paid)

    def _record_soon(self) -> None:
        if self._recording is None or self._recording.done():
            self._recording = asyncio.get_running_loop().create_task(self._record_all())

    async def _record_all(self) -> None:
        """Write every outcome so far, in one transaction per call."""
        if self._recording is not None and not self._recording.done() \
                and self._recording is not asyncio.current_task():
            await self._recording
        while self._outcomes:
            batch, self._outcomes = self._outcomes, []
            self._recorded_at = time.monotonic()
            await shared_writes(self.services.db).record(batch)  # with the other senders'
            self._claims.in_flight.difference_update(outcome.delivery_id for outcome in batch)

    async def _report(self, broadcast_id: int) -> None:
        db = self.services.db
        final = await asyncio.to_thread(broadcasts.finish_if_done, db, broadcast_id)
        last = self._progress.get(broadcast_id, 0.0)
        if final is None and time.monotonic() - last < PROGRESS_EVERY:
            return
        if final is not None:
            self._progress.pop(broadcast_id, None)
        else:
            self._progress[broadcast_id] = time.monotonic()
        chat = await asyncio.to_thread(broadcasts.progress_chat, db, broadcast_id)
        if chat is None:
            return
        counts = final or await asyncio.to_thread(broadcasts.progress, db, broadcast_id)
        text = progress_text(counts, final is not None)
        if final is not None and self.paid is not None:
            spent = await asyncio.to_thread(self.paid.spent)
            text += "\n" + paid_spend_text(spent, self.paid.policy.cap_messages,
                                            self.paid.closed_by)
        with contextlib.suppress(BadRequest, Forbidden, NetworkError):
            await self.bot.send_message(chat, text)


def paid_lane_of(bot: DesaBot, services: Services) -> PaidLane | None:
    """The bot's paid lane when PAID_BROADCAST is on (the cap is per bot: its id)."""
    settings = services.settings
    policy = PaidPolicy(settings.paid_broadcast, settings.paid_broadcast_monthly_stars)
    if not policy.cap_messages:
        return None
    head = bot.token.split(":", 1)[0]
    return PaidLane(services.db, int(head) if head.isdigit() else 0, policy, settings.tz)
