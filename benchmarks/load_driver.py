"""One timed run of the load benchmark: an open-loop schedule of villagers' messages.

See `load.py` for what is measured and how it is reported.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import random
import resource
import signal
import time
from dataclasses import dataclass, field
from typing import Any

from benchlib import BotProcess, percentile
from load_users import Record, SimUser
from sqlalchemy import func, select

from bot.core.storage.models import QuizAnswer, Tip
from bot.core.storage.session import Database
from bot.emulator import Emulator
from bot.emulator.world import Event


@dataclass
class RunResult:
    """The figures of one timed run."""

    mix: str
    target_rate: float
    seconds: float
    window_s: float
    users: int
    scheduled: int = 0
    sent: int = 0
    sent_per_s: float = 0.0
    replies_in_window: int = 0
    replies_per_s: float = 0.0
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    unanswered: int = 0
    answered: int = 0
    extra_bot_messages: int = 0
    poll_answers_sent: int = 0
    poll_answers_recorded: int = 0
    tips_completed: int = 0
    tips_stored: int = 0
    max_schedule_lag_s: float = 0.0
    backlog_at_end: int = 0
    bot_cpu_cores: float | None = None
    bench_cpu_cores: float | None = None
    handled_in_load: int = 0
    bot_cpu_ms_per_update: float | None = None
    bench_cpu_ms_per_update: float | None = None
    by_kind: dict[str, dict[str, Any]] = field(default_factory=dict)


class LoadDriver:
    """Runs one timed load against the emulator and collects a RunResult."""

    def __init__(self, emu: Emulator, db: Database, bot: BotProcess, questions: list[str],
                 seed: int) -> None:
        self.emu = emu
        self.db = db
        self.bot = bot
        self.questions = questions
        self.rng = random.Random(seed)
        self.user_counter = 0

    def _users(self, n: int, mix: str) -> list[SimUser]:
        users = []
        for _ in range(n):
            self.user_counter += 1
            person = self.emu.person(f"Warga {self.user_counter}")
            users.append(SimUser(person, random.Random(self.rng.random()), mix))
        return users

    def _db_counts(self) -> tuple[int, int]:
        with self.db.session() as session:
            return (session.scalar(select(func.count(QuizAnswer.id))) or 0,
                    session.scalar(select(func.count(Tip.id))) or 0)

    async def run(self, mix: str, rate: float, n_users: int, seconds: float,
                  drain: float = 15.0, profile_window: bool = False) -> RunResult:
        users = self._users(n_users, mix)
        ids = {u.person.id for u in users}
        waiting: dict[int, asyncio.Future] = {}
        out_count: collections.Counter[int] = collections.Counter()

        def on_event(event: Event) -> None:
            if event.direction != "out" or event.chat_id not in ids:
                return
            out_count[event.chat_id] += 1
            fut = waiting.pop(event.chat_id, None)
            if fut is not None and not fut.done():
                fut.set_result(event)

        quiz_before, tips_before = await asyncio.to_thread(self._db_counts)
        idle: collections.deque[SimUser] = collections.deque(users)
        idle_event = asyncio.Event()
        records: list[Record] = []
        loop = asyncio.get_running_loop()
        t_start = time.monotonic() + 0.2
        t_end = t_start + seconds
        deadline = t_end + drain
        emu = self.emu

        async def perform(user: SimUser, action: tuple[str, str, Any], due: float) -> None:
            kind, op, arg = action
            rec = Record(kind, due, expects_reply=op != "poll")
            records.append(rec)
            fut = None
            if rec.expects_reply:
                fut = loop.create_future()
                waiting[user.person.id] = fut
            rec.t_send = time.monotonic()
            if op == "text":
                await emu.send_text(user.person.user, arg)
            elif op == "press":
                await emu.press(user.person.user, user.last, data=arg)
            else:
                await emu.answer_poll(user.person.user, user.last, [arg])
            if fut is not None:
                try:
                    event = await asyncio.wait_for(fut, max(0.05, deadline - time.monotonic()))
                except TimeoutError:
                    waiting.pop(user.person.id, None)
                    return  # unanswered: this user stays silent for the rest of the run
                rec.t_reply = event.at
                user.last = event
            user.step += 1
            idle.append(user)
            idle_event.set()

        warm = min(5.0, seconds / 4)
        w0, w1 = t_start + warm, t_end

        async def window_signals() -> None:  # benchmarks/botproc.py --profile listens
            await asyncio.sleep(max(0.0, w0 - time.monotonic()))
            if self.bot.pid:
                os.kill(self.bot.pid, signal.SIGUSR1)
            await asyncio.sleep(max(0.0, w1 - time.monotonic()))
            if self.bot.pid:
                os.kill(self.bot.pid, signal.SIGUSR2)

        signaller = asyncio.create_task(window_signals()) if profile_window else None
        emu.world.listeners.append(on_event)
        bot_cpu0 = self.bot.cpu_seconds()
        self_cpu0 = _self_cpu()
        tasks: set[asyncio.Task] = set()
        scheduled = int(rate * seconds)
        i, max_lag = 0, 0.0
        try:
            while i < scheduled:
                now = time.monotonic()
                if now >= t_end:
                    break
                due = t_start + i / rate
                if due > now:
                    await asyncio.sleep(due - now)
                    continue
                if not idle:
                    idle_event.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(idle_event.wait(), t_end - now)
                    continue
                user = idle.popleft()
                max_lag = max(max_lag, now - due)
                action = user.next_action(self.questions)
                task = asyncio.create_task(perform(user, action, due))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                i += 1
            await asyncio.sleep(max(0.0, t_end - time.monotonic()))
            backlog = emu.queue.pending
            bot_cpu1 = self.bot.cpu_seconds()
            self_cpu1 = _self_cpu()
            if tasks:
                await asyncio.wait(set(tasks), timeout=max(0.1, deadline - time.monotonic()))
            for task in list(tasks):
                task.cancel()
        finally:
            emu.world.listeners.remove(on_event)
            if signaller is not None:
                await signaller
        # Poll answers and tips are stored without a reply: give the bot a moment to finish.
        polls_sent = sum(1 for r in records if r.kind == "quiz_answer")
        tips_done = sum(u.tips_done for u in users)
        end_wait = time.monotonic() + 10
        while True:
            quiz_after, tips_after = await asyncio.to_thread(self._db_counts)
            if (quiz_after - quiz_before >= polls_sent) or time.monotonic() > end_wait:
                break
            await asyncio.sleep(0.5)
        self.bot.sample()

        result = RunResult(mix, rate, seconds, w1 - w0, n_users, scheduled=scheduled, sent=i,
                           sent_per_s=i / seconds, backlog_at_end=backlog,
                           max_schedule_lag_s=round(max_lag, 3),
                           poll_answers_sent=polls_sent,
                           poll_answers_recorded=quiz_after - quiz_before,
                           tips_completed=tips_done, tips_stored=tips_after - tips_before)
        expecting = [r for r in records if r.expects_reply]
        answered = [r for r in expecting if r.t_reply is not None]
        result.answered = len(answered)
        result.unanswered = len(expecting) - len(answered)
        result.extra_bot_messages = sum(out_count.values()) - len(answered)
        result.replies_in_window = sum(1 for r in answered if w0 <= r.t_reply <= w1)
        result.replies_per_s = result.replies_in_window / (w1 - w0)
        lat = [(r.t_reply - r.t_send) * 1000 for r in answered if w0 <= r.t_send <= w1]
        result.p50_ms, result.p90_ms = percentile(lat, 50), percentile(lat, 90)
        result.p99_ms, result.max_ms = percentile(lat, 99), max(lat) if lat else None
        if bot_cpu0 is not None and bot_cpu1 is not None:
            result.bot_cpu_cores = round((bot_cpu1 - bot_cpu0) / seconds, 2)
        result.bench_cpu_cores = round((self_cpu1 - self_cpu0) / seconds, 2)
        # CPU per update does not depend on how busy the machine is (replies/s and p99 do):
        # the CPU spent during the load period over the updates answered within it.
        handled = sum(1 for r in answered if t_start <= r.t_reply <= t_end)
        result.handled_in_load = handled
        if handled and bot_cpu0 is not None and bot_cpu1 is not None:
            result.bot_cpu_ms_per_update = round((bot_cpu1 - bot_cpu0) * 1000 / handled, 2)
        if handled:
            result.bench_cpu_ms_per_update = round((self_cpu1 - self_cpu0) * 1000 / handled, 2)
        for kind in sorted({r.kind for r in records}):
            mine = [r for r in records if r.kind == kind]
            klat = [(r.t_reply - r.t_send) * 1000 for r in mine
                    if r.t_reply is not None and w0 <= r.t_send <= w1]
            result.by_kind[kind] = {
                "sent": len(mine),
                "unanswered": sum(1 for r in mine if r.expects_reply and r.t_reply is None),
                "p50_ms": percentile(klat, 50), "p99_ms": percentile(klat, 99)}
        return result


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
