"""Drains broadcast deliveries within Telegram's limits, resumable after a crash."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.domain.messaging.bots import BotShare
from bot.domain.programme import broadcasts, membership
from bot.domain.programme.quiz_results import poll_row
from bot.domain.programme.texts import lesson_reply, progress_text
from bot.domain.services import Services
from bot.faces.telegram.ext_bot import DesaBot
from bot.faces.telegram.http_client import AnswerLost
from bot.faces.telegram.pacer import BROADCASTING
from bot.faces.telegram.senders.table_worker import TableWorker

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5.0  # seconds between progress edits for the official
QUIZ_OPEN_SECONDS = 3 * 3600  # a village quiz evening: the poll closes three hours after it is sent
RECOVER_EVERY = 5.0  # seconds between looks for deliveries of a process that died
CLAIM_BATCH = 20  # deliveries claimed at once: under a second of sending at 30/s
# Sends in flight at once. One at a time, a send's round trips (mark it sending, the request,
# mark it sent) must fit in 1/30 s or the broadcast falls below Telegram's rate; the budget,
# not this number, sets the pace.
IN_FLIGHT = 8
READ_TIMEOUT = 15.0  # seconds to wait for Telegram's answer to one broadcast message


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
        self._claimed: list[int] = []
        self._to_report: set[int] = set()

    async def stop(self) -> None:
        """Stop after the message being sent; give back what was claimed but not sent.

        Those go back to pending at once, for the next process, not after the lease.
        """
        await super().stop()
        if self._claimed:
            await asyncio.to_thread(broadcasts.release, self.services.db, self._claimed)

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
        unknown = broadcasts.recover_interrupted(self.services.db, lease)
        if unknown:
            log.warning("%d delivery(ies) were in flight when a process stopped; not re-sent",
                        len(unknown))
            self._to_report.update(unknown)  # their broadcasts may be finished now

    async def drain_once(self) -> int:
        """Claim the due deliveries; send each when the token's budget allows it.

        The budget is taken in order, one message at a time; the sends themselves overlap
        (up to IN_FLIGHT), so a slow answer or database write does not hold the next one back.
        """
        if time.monotonic() - self._recovered > RECOVER_EVERY:  # another process may have died
            await asyncio.to_thread(self._recover, self.lease)
        while self._to_report:
            await self._report(self._to_report.pop())
        jobs = await asyncio.to_thread(broadcasts.next_jobs, self.services.db, CLAIM_BATCH,
                                       share=self.share)
        self._claimed = [job.id for job in jobs]
        slots = asyncio.Semaphore(IN_FLIGHT)

        async def send(job: broadcasts.Job) -> None:
            try:
                await self._send(job)
            finally:
                slots.release()

        async with asyncio.TaskGroup() as sending:
            for job in jobs:
                await slots.acquire()
                await self.bot.budget.acquire("broadcast", job.chat_id, job.is_group)
                sending.create_task(send(job))
        for broadcast_id in sorted({job.broadcast_id for job in jobs}):
            await self._report(broadcast_id)
        return len(jobs)

    async def _send(self, job: broadcasts.Job) -> None:
        db = self.services.db
        if not await asyncio.to_thread(broadcasts.start_sending, db, job):
            return  # another process took it over after our lease ran out
        try:
            poll_id = await self._deliver(job)
        except RetryAfter as exc:
            delay = _seconds(exc.retry_after)
            await self.bot.budget.pause(delay)
            await asyncio.to_thread(broadcasts.mark, db, job.id, "pending", str(exc), delay)
        except Forbidden as exc:
            await asyncio.to_thread(broadcasts.mark, db, job.id, "blocked", str(exc))
            await asyncio.to_thread(membership.deactivate_chat, db, job.chat_id)
        except BadRequest as exc:
            await asyncio.to_thread(broadcasts.mark, db, job.id, "failed", str(exc))
        except (TimedOut, AnswerLost) as exc:
            # It may have arrived: at most once, so it is reported as unknown, never re-sent.
            log.warning("delivery %s: outcome unknown (%s); not sent again", job.id,
                        exc.__class__.__name__)
            await asyncio.to_thread(broadcasts.mark, db, job.id, "unknown", str(exc))
        except NetworkError as exc:  # NotSent, or Telegram answered with a 5xx: not delivered
            retry = min(2 ** job.attempts, 60) if job.attempts < 6 else None
            status = "pending" if retry is not None else "failed"
            await asyncio.to_thread(broadcasts.mark, db, job.id, status, str(exc), retry)
        else:
            await asyncio.to_thread(self._sent, job, poll_id)

    def _sent(self, job: broadcasts.Job, poll_id: str | None) -> None:
        rows = []
        if poll_id:
            question = self.services.library.questions[job.content["question"]]
            rows.append(poll_row(poll_id, question, job.chat_id, job.village_id))
        broadcasts.mark(self.services.db, job.id, "sent", also=rows)

    async def _deliver(self, job: broadcasts.Job) -> str | None:
        token = BROADCASTING.set(True)  # its budget was taken by drain_once already
        try:
            return await self._deliver_paced(job)
        finally:
            BROADCASTING.reset(token)

    async def _deliver_paced(self, job: broadcasts.Job) -> str | None:
        library = self.services.library
        if job.kind == "quiz":
            q = library.questions[job.content["question"]]
            message = await self.bot.send_poll(
                job.chat_id, q.question, list(q.options), type="quiz", is_anonymous=False,
                correct_option_ids=[q.correct], explanation=q.explanation or None,
                open_period=QUIZ_OPEN_SECONDS, read_timeout=READ_TIMEOUT)
            return message.poll.id
        if job.kind == "lesson":
            reply = lesson_reply(library.lessons[job.content["lesson"]])
            await self.bot.send_message(job.chat_id, reply.text, read_timeout=READ_TIMEOUT)
            return None
        await self.bot.send_message(job.chat_id, job.content["text"][:4096],
                                    read_timeout=READ_TIMEOUT)
        return None

    async def _report(self, broadcast_id: int) -> None:
        db = self.services.db
        final = await asyncio.to_thread(broadcasts.finish_if_done, db, broadcast_id)
        last = self._progress.get(broadcast_id, 0.0)
        if final is None and time.monotonic() - last < PROGRESS_EVERY:
            return
        self._progress[broadcast_id] = time.monotonic()
        chat = await asyncio.to_thread(broadcasts.progress_chat, db, broadcast_id)
        if chat is None:
            return
        counts = final or await asyncio.to_thread(broadcasts.progress, db, broadcast_id)
        with contextlib.suppress(BadRequest, Forbidden, NetworkError):
            await self.bot.send_message(chat, progress_text(counts, final is not None))


def _seconds(value: object) -> float:
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)
