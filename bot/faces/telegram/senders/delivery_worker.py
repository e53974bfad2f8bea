"""Drains broadcast deliveries within Telegram's limits, resumable after a crash."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.domain.programme import broadcasts, membership
from bot.domain.programme.quiz_results import poll_row
from bot.domain.programme.texts import lesson_reply, progress_text
from bot.domain.services import Services
from bot.faces.telegram.ext_bot import DesaBot
from bot.faces.telegram.pacer import BROADCASTING
from bot.faces.telegram.senders.table_worker import TableWorker

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5.0  # seconds between progress edits for the official
QUIZ_OPEN_SECONDS = 3 * 3600  # a village quiz evening: the poll closes three hours after it is sent


class DeliveryWorker(TableWorker):
    """One background task per process."""

    name = "deliveries"

    def __init__(self, bot: DesaBot, services: Services) -> None:
        super().__init__(services.delivery_wakeup)
        self.bot = bot
        self.services = services
        self.pacer = bot.pacer  # the bot's own sends are charged to the same budget
        self._progress: dict[int, float] = {}

    def start(self) -> None:
        """Recover interrupted deliveries, then start draining."""
        unknown = broadcasts.recover_interrupted(self.services.db)
        if unknown:
            log.warning("%d delivery(ies) were in flight at the last crash; not re-sent", unknown)
        super().start()

    async def drain_once(self) -> int:
        """Send the due deliveries, each when the pacer allows it."""
        jobs = await asyncio.to_thread(broadcasts.next_jobs, self.services.db)
        for job in jobs:
            await self.pacer.acquire(job.chat_id, job.is_group)
            await self._send(job)
            await self._report(job.broadcast_id)
        return len(jobs)

    async def _send(self, job: broadcasts.Job) -> None:
        db = self.services.db
        await asyncio.to_thread(broadcasts.mark, db, job.id, "sending")
        try:
            poll_id = await self._deliver(job)
        except RetryAfter as exc:
            delay = _seconds(exc.retry_after)
            self.pacer.pause(delay)
            await asyncio.to_thread(broadcasts.mark, db, job.id, "pending", str(exc), delay)
        except Forbidden as exc:
            await asyncio.to_thread(broadcasts.mark, db, job.id, "blocked", str(exc))
            await asyncio.to_thread(membership.deactivate_chat, db, job.chat_id)
        except BadRequest as exc:
            await asyncio.to_thread(broadcasts.mark, db, job.id, "failed", str(exc))
        except (TimedOut, NetworkError) as exc:
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
        token = BROADCASTING.set(True)  # paced by acquire() already
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
                open_period=QUIZ_OPEN_SECONDS)
            return message.poll.id
        if job.kind == "lesson":
            reply = lesson_reply(library.lessons[job.content["lesson"]])
            await self.bot.send_message(job.chat_id, reply.text)
            return None
        await self.bot.send_message(job.chat_id, job.content["text"][:4096])
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
