"""Interactive load: many villagers asking at once, against the bot as a subprocess.

Usage:
    .venv/bin/python benchmarks/load.py --db sqlite|postgres [--users 300] [--seconds 20]
        [--runs 3] [--rates 200,300,400] [--mixed-rates 200] [--profile auto|always|never]
        [--diagnose]

The emulator runs in this process with flood limits DISABLED (hundreds of simulated users each
get one reply; Telegram's 30/s overall limit is about broadcasts, and this benchmark measures
how fast the bot itself answers). The bot runs as `desabot run` in a subprocess, on a fresh
SQLite file or a fresh PostgreSQL database `desabot_bench_<hex>` (dropped at the end).

Load: an open-loop schedule of arrivals at the target rate; each arrival is taken by an idle
simulated user, who sends its next message (the next step of its conversation) and waits for
the bot's first reply before it is idle again (a user's messages keep their order; many users
run concurrently). When every user is waiting for a reply, arrivals wait for a free user, so
an overloaded bot shows as "sent/s" below the target and as latency.

Two mixes: "qa" (informal questions from content/id/answers/*.yml and nlu/tests/test_data.yml)
and "mixed" (questions, pasted job offers to check, /kuis + answering the poll, and whole
/lapor tip reports pressing the flow's buttons through "tf:send").

Figures per run: replies/s over the steady window (the load period minus a warm-up), reply
latency p50/p99 from the moment send_text (or the button press) is called to the Event.at of
the bot's first message in that user's chat, unanswered messages (no reply within the drain
time after the load stops), the bot's CPU use and peak RSS (VmHWM). Baseline in the same run:
the emulator's own getMe / sendMessage round-trip rate from a client subprocess. Medians of
--runs are printed as a table and written to benchmarks/results/load_<db>.json. A benchmark,
not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import gc
import os
import random
import resource
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchlib import (  # noqa: E402
    RESULTS,
    TOKEN,
    BenchDatabase,
    BotProcess,
    emulator_baseline,
    fmt,
    loadavg,
    percentile,
    prewarm_nlu,
    process_cpu_seconds,
    write_json,
)
from load_report import floor_met, print_report, profile_tops, summarise  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bot.db.models import QuizAnswer, Tip  # noqa: E402
from bot.db.session import Database  # noqa: E402
from bot.domain import roles  # noqa: E402
from bot.domain.village_import import import_villages  # noqa: E402
from bot.emulator import Emulator, FloodLimits  # noqa: E402
from bot.emulator.world import Event  # noqa: E402

VILLAGES_CSV = ROOT / "tests" / "fixtures" / "villages_fictional.csv"

OFFERS = [
    "Dicari admin online penempatan Kamboja, gaji 15jt/bulan, berangkat pakai visa turis dulu, "
    "tiket ditanggung. Paspor nanti dipegang kantor selama kontrak. Minat WA 0812-0000-7777",
    "Loker CS online Phnom Penh gaji $1.200, tanpa pengalaman, visa turis, paspor disimpan "
    "perusahaan, berangkat minggu depan. DM kak",
    "Lowongan resmi G to G Korea lewat SISKOP2MI, daftar online, ikut ujian EPS-TOPIK dulu, "
    "biaya ujian USD 28 bayar di BNI. Proses di LTSA, visa kerja E-9.",
    "Dibutuhkan segera pekerja pabrik di Malaysia, gaji 6 juta, potong gaji 6 bulan untuk biaya "
    "berangkat, tidak perlu ke Disnaker, langsung terbang dari Batam. Hubungi Bu Rina.",
    "Kerja di Myawaddy jadi marketing online, bonus besar, tiket gratis, berangkat lewat "
    "Bangkok pakai visa kunjungan, jangan bilang ke keluarga dulu ya. WA 0813-0000-1111",
    "PT Contoh Sejahtera Mandiri (FIKTIF) buka lowongan perawat lansia ke Jepang, pelatihan "
    "bahasa di LPK resmi, kontrak kerja dan visa kerja diurus sebelum berangkat.",
]
STORIES = [
    "Sepupu saya ditawari kerja admin di Kamboja oleh calo kampung sebelah",
    "Ada calo menawari kerja di Kamboja lewat Bangkok, katanya gaji besar",
    "Tetangga saya disuruh berangkat pakai visa turis ke Malaysia minggu ini",
    "Adik saya diajak kerja online ke Myanmar, paspornya mau dipegang agen",
]
RECRUITERS = ["Pak Joko, WA 0812-0000-2222", "Bu Rina di Facebook", "akun IG @loker_cepat"]
DESTINATIONS = ["Kamboja lewat Bangkok", "Malaysia", "Myanmar", "Phnom Penh"]
MIXED_WEIGHTS = {"qa": 0.60, "offer": 0.20, "quiz": 0.17, "tip": 0.03}  # per conversation


def load_questions() -> list[str]:
    """Informal questions: answer files' `questions:` and the NLU's held-out test texts."""
    texts: list[str] = []
    for path in sorted((ROOT / "content" / "id" / "answers").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts += [str(q) for q in data.get("questions") or []]
    test = yaml.safe_load((ROOT / "nlu" / "tests" / "test_data.yml").read_text(encoding="utf-8"))
    for block in test.get("nlu") or []:
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(line[2:].strip())
    return [t for t in texts if t]


# -- simulated users -------------------------------------------------------------------------
@dataclass
class Record:
    """One message (or button press, or poll answer) a simulated user sent."""

    kind: str
    t_sched: float
    t_send: float = 0.0
    t_reply: float | None = None
    expects_reply: bool = True


@dataclass
class SimUser:
    """A villager with the conversation they are in."""

    person: Any
    rng: random.Random
    mix: str
    scenario: str | None = None
    step: int = 0
    last: Event | None = None
    tips_done: int = 0

    def next_action(self, questions: list[str]) -> tuple[str, str, Any]:
        """(kind, op, argument): op is "text", "press" (callback data) or "poll" (option)."""
        for _ in range(3):
            if self.scenario is None:
                self.scenario = self._pick()
                self.step = 0
            action = self._action(questions)
            if action is not None:
                return action
            self.scenario = None
        return ("qa", "text", self.rng.choice(questions))

    def _pick(self) -> str:
        if self.mix == "qa":
            return "qa"
        kinds, weights = zip(*MIXED_WEIGHTS.items(), strict=True)
        return self.rng.choices(kinds, weights)[0]

    def _action(self, questions: list[str]) -> tuple[str, str, Any] | None:
        s, rng = self.scenario, self.rng
        if s in {"qa", "offer"}:
            if self.step:
                return None
            return (s, "text", rng.choice(questions if s == "qa" else OFFERS))
        if s == "quiz":
            if self.step == 0:
                return ("quiz_cmd", "text", "/kuis")
            poll = (self.last.message or {}).get("poll") if self.last else None
            if self.step == 1 and poll:
                return ("quiz_answer", "poll", rng.randrange(len(poll["options"])))
            return None
        if s == "tip":
            return ("tip", "text", "/lapor") if self.step == 0 else self._tip_step()
        return None

    def _tip_step(self) -> tuple[str, str, Any] | None:
        """The next answer in the /lapor flow, read from the bot's last message."""
        if self.last is None or self.step > 14:
            return None
        last = self.last
        data = {b.get("callback_data") for row in last.buttons for b in row}
        text, rng = last.text, self.rng
        if "LP-" in text and "tf:send" not in data:
            self.tips_done += 1
            return None
        for choice in ("tf:send", "tf:consent:no", "tf:at_risk:family", "tf:timing:soon"):
            if choice in data:
                return ("tip", "press", choice)
        if "(2/8)" in text:
            return ("tip", "text", rng.choice(OFFERS))
        if "(3/8)" in text:
            return ("tip", "text", rng.choice(RECRUITERS))
        if "(4/8)" in text:
            return ("tip", "text", rng.choice(DESTINATIONS))
        if "tf:skip" in data:
            return ("tip", "press", "tf:skip")
        if "1/8" in text:
            return ("tip", "text", rng.choice(STORIES))
        return None


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
        bot_cpu0 = process_cpu_seconds(self.bot.pid)
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
            bot_cpu1 = process_cpu_seconds(self.bot.pid)
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


# -- seeding ---------------------------------------------------------------------------------
def seed_database(db: Database, emu: Emulator) -> None:
    """Offices, the fictional villages and one officer per office (tips get alerted)."""
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, VILLAGES_CSV)
    for code, name in (("tpi", "Petugas Satu"), ("mtr", "Petugas Dua")):
        token = roles.create_invite(db, "officer", office_code=code)
        officer = emu.person(name)
        roles.redeem(db, token, officer.id, name)


# -- the profile -----------------------------------------------------------------------------
async def measure_baselines(emu: Emulator, chat_id: int) -> dict[str, Any]:
    return {
        "getMe_c1": await emulator_baseline(emu, "getMe", concurrency=1),
        "getMe_c8": await emulator_baseline(emu, "getMe", concurrency=8),
        "sendMessage_c8": await emulator_baseline(
            emu, "sendMessage", {"chat_id": chat_id, "text": "baseline"}, concurrency=8),
    }


async def run_series(driver: LoadDriver, plan: list[tuple[str, float]], args: argparse.Namespace,
                     runs: int, label: str) -> dict[tuple[str, float], list[RunResult]]:
    results: dict[tuple[str, float], list[RunResult]] = {}
    for mix, rate in plan:
        for n in range(runs):
            result = await driver.run(mix, rate, args.users, args.seconds, args.drain)
            results.setdefault((mix, rate), []).append(result)
            print(f"  [{label}] {mix} @ {rate:.0f}/s run {n + 1}/{runs}: "
                  f"sent {result.sent_per_s:.1f}/s, replies {result.replies_per_s:.1f}/s, "
                  f"p50 {fmt(result.p50_ms, 0)} ms, p99 {fmt(result.p99_ms, 0)} ms, "
                  f"unanswered {result.unanswered}, extra msgs {result.extra_bot_messages}, "
                  f"bot CPU {fmt(result.bot_cpu_cores, 2)} cores, "
                  f"bench CPU {fmt(result.bench_cpu_cores, 2)}, load {loadavg()}", flush=True)
            await asyncio.sleep(1.0)
    return results


async def main_async(args: argparse.Namespace) -> int:
    rates = [float(r) for r in args.rates.split(",") if r]
    mixed_rates = [float(r) for r in args.mixed_rates.split(",") if r]
    plan = [("qa", r) for r in rates] + [("mixed", r) for r in mixed_rates]
    questions = load_questions()
    workdir = Path(tempfile.mkdtemp(prefix="desabot-load-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    print(f"load benchmark: db={args.db} users={args.users} seconds={args.seconds} "
          f"runs={args.runs} rates={rates} mixed={mixed_rates} BOT_WORKERS={args.workers}; "
          f"{len(questions)} question texts")
    print("NOTE: emulator flood limits are DISABLED for this benchmark (FloodLimits(enabled="
          "False)): each simulated user gets one reply per message; Telegram's 30/s overall "
          "limit is not enforced by the emulator here.")
    print(f"work dir {workdir} (bot log: {data_dir / 'bot.log'}); load average {loadavg()}")
    print(f"NLU cache pre-warmed in {prewarm_nlu(data_dir):.1f} s", flush=True)

    bench_db = BenchDatabase(args.db, workdir)
    db = Database(bench_db.url)
    emu = Emulator(token=TOKEN, limits=FloodLimits(enabled=False))
    await emu.start()
    out: dict[str, Any] = {"benchmark": "load", "db": args.db,
                           "started": datetime.now(UTC).isoformat(timespec="seconds"),
                           "args": vars(args), "load_average_start": loadavg(),
                           "flood_limits": "disabled (FloodLimits(enabled=False))"}
    bot: BotProcess | None = None
    code = 0
    try:
        seed_database(db, emu)
        base_user = emu.person("Baseline")
        out["baseline_before"] = await measure_baselines(emu, base_user.id)
        bot = BotProcess(emu, data_dir, bench_db.url, {"TIP_DAILY_LIMIT": "100000",
                                                         "BOT_WORKERS": str(args.workers)})
        t = time.monotonic()
        await bot.start()
        out["bot_start_s"] = round(time.monotonic() - t, 2)
        driver = LoadDriver(emu, db, bot, questions, args.seed)
        print("warm-up (not reported): mixed @ 50/s for 4 s", flush=True)
        await driver.run("mixed", 50, min(args.users, 100), 4, args.drain)
        # The emulator and the simulated villagers live in this process: a full collection
        # of their start-up objects would stall it and be counted as the bot's latency.
        gc.freeze()
        results = await run_series(driver, plan, args, args.runs, "measured")
        bot.sample()
        out["bot_peak_rss_kib"] = bot.peaks[-1].get("VmHWM")
        out["baseline_after"] = await measure_baselines(emu, base_user.id)
        out["bot_log"] = bot.log_problems()
        out["bot_exit_code"] = await bot.terminate()
        summary = [(mix, rate, summarise(rs)) for (mix, rate), rs in results.items()]
        out["runs"] = [{"mix": m, "rate": r, "results": [asdict(x) for x in rs]}
                       for (m, r), rs in results.items()]
        out["summary"] = [{"mix": m, "rate": r, **s} for m, r, s in summary]
        qa_ok = any(floor_met(m, r, s) for m, r, s in summary)
        out["floor_met"] = qa_ok

        if args.profile == "always" or (args.profile == "auto" and not qa_ok):
            out["profile"] = await profiled_run(emu, db, bench_db.url, data_dir, questions,
                                                args, rates[0], [])
        if args.diagnose:
            out["diagnostic_no_overall_limit"] = await diagnostic(
                emu, db, bench_db.url, data_dir, questions, args, rates)
        out["load_average_end"] = loadavg()
        print_report(out, summary)
    except Exception:
        code = 1
        if bot is not None:
            print(f"bot log tail:\n{bot.log.read_text(errors='replace')[-3000:]}"
                  if bot.log.exists() else "no bot log")
        raise
    finally:
        if bot is not None:
            await bot.terminate()
        await emu.stop()
        db.dispose()
        bench_db.drop()
        path = Path(args.output) if args.output else RESULTS / f"load_{args.db}.json"
        write_json(path, out)
        print(f"\nwrote {path}")
    return code


async def profiled_run(emu: Emulator, db: Database, url: str, data_dir: Path,
                       questions: list[str], args: argparse.Namespace, rate: float,
                       extra: list[str]) -> dict[str, Any]:
    """One qa run with the bot under cProfile on all threads; returns the top functions."""
    prof = data_dir / f"bot{'-'.join(['', *[e.strip('-') for e in extra]])}.prof"
    bot = BotProcess(emu, data_dir, url, {"TIP_DAILY_LIMIT": "100000", "BOT_WORKERS": "1"},
                     wrapper_args=["--profile", str(prof), *extra])
    label = "profiled" + (" (no overall limit)" if extra else "")
    print(f"\n{label}: qa @ {rate:.0f}/s for {args.seconds} s, bot under cProfile "
          f"(all threads; slower than unprofiled)", flush=True)
    await bot.start()
    driver = LoadDriver(emu, db, bot, questions, args.seed + 7)
    result = await driver.run("qa", rate, args.users, args.seconds, args.drain,
                              profile_window=True)
    print(f"  [{label}] sent {result.sent_per_s:.1f}/s, replies {result.replies_per_s:.1f}/s, "
          f"p50 {fmt(result.p50_ms, 0)} ms, p99 {fmt(result.p99_ms, 0)} ms, "
          f"bot CPU {fmt(result.bot_cpu_cores, 2)} cores", flush=True)
    exit_code = await bot.terminate(timeout=90)
    tops = profile_tops(prof) if prof.exists() else {}
    return {"rate": rate, "result": asdict(result), "exit_code": exit_code,
            "profile_file": str(prof), "window_s": result.window_s, "top": tops}


async def diagnostic(emu: Emulator, db: Database, url: str, data_dir: Path,
                     questions: list[str], args: argparse.Namespace,
                     rates: list[float]) -> dict[str, Any]:
    """DIAGNOSTIC: the same qa runs with python-telegram-bot's overall 30/s cap removed."""
    print("\nDIAGNOSTIC (not the bot as shipped): AIORateLimiter overall limit removed "
          "via benchmarks/botproc.py --no-overall-limit", flush=True)
    bot = BotProcess(emu, data_dir, url, {"TIP_DAILY_LIMIT": "100000", "BOT_WORKERS": "1"},
                     wrapper_args=["--no-overall-limit"])
    await bot.start()
    driver = LoadDriver(emu, db, bot, questions, args.seed + 13)
    await driver.run("qa", 50, min(args.users, 100), 4, args.drain)  # warm-up
    results = await run_series(driver, [("qa", r) for r in rates], args, 1, "diagnostic")
    bot.sample()
    peak = bot.peaks[-1].get("VmHWM")
    await bot.terminate()
    out: dict[str, Any] = {
        "summary": [{"mix": m, "rate": r, **summarise(rs)} for (m, r), rs in results.items()],
        "bot_peak_rss_kib": peak}
    out["profile"] = await profiled_run(emu, db, url, data_dir, questions, args, rates[0],
                                        ["--no-overall-limit"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rates", default="200,300,400", help="qa target rates, updates/s")
    parser.add_argument("--mixed-rates", default="200", help="mixed-traffic target rates")
    parser.add_argument("--drain", type=float, default=15.0,
                        help="seconds to wait for replies after the load stops")
    parser.add_argument("--profile", choices=["auto", "always", "never"], default="auto",
                        help="profile one qa run (auto: when the floor is not met)")
    parser.add_argument("--diagnose", action="store_true",
                        help="also run qa with PTB's overall 30/s client limit removed "
                             "(diagnostic only)")
    parser.add_argument("--workers", type=int, default=1,
                        help="BOT_WORKERS for the bot (1: one process; N: supervisor + N)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
