"""The broadcast benchmark's measurements and table (benchmarks/broadcast.py)."""

from __future__ import annotations

import asyncio
import bisect
import collections
import math
import time
from dataclasses import dataclass
from typing import Any

from benchlib import fmt, loadavg, percentile

from bot.emulator.methods import SENDING
from bot.emulator.world import Event
from bot.faces.telegram.pacer import OVERALL_PER_SECOND

TELEGRAM_RATE = 30.0
EDGE_SECONDS = 10  # the first and the last seconds of a broadcast: its ramp-up and its tail
AFTER_429_SECONDS = 3.0  # a second counts as "after a 429" within this long of one
STALL_MS = 200.0  # the emulator's loop this late: the bot's sends reach it as one burst
WARMED_UP_AFTER = 10.0  # 429s this long after the first poll are "once warmed up"


@dataclass
class RunFigures:
    """What one run saw, in the emulator and the database, for `results` to sum up.

    The run collects some twenty lists, counters and counts while the broadcast goes; one
    object carries them out of it, so the figures are derived here, beside their table.
    Times are `time.monotonic()` seconds; 429 counts are the emulator's running total.
    """

    question: str
    recipients: set[int]  # every chat the broadcast is for
    polls: collections.Counter[int]  # broadcast polls seen per recipient chat
    strangers: collections.Counter[int]  # polls to chats that are not recipients
    times: list[float]  # when each broadcast poll reached the emulator
    other_out: list[Event]  # every other message the token sent
    t_create: float  # when the broadcast was stored
    hits0: int  # the emulator's 429s before the broadcast ...
    hits: int  # ... and at the end
    hits_by: dict[str, int]  # the whole run's 429s, by the limit that answered
    hit_times: list[float]  # when the emulator answered 429
    hit_samples: list[tuple[float, int]]  # (time, 429s so far), every quarter second
    lags: list[float]  # ms, how late the emulator's loop ran
    stalls: list[float]  # when it had been stalled for more than STALL_MS
    statuses: dict[str, int]  # the broadcast's delivery rows by status
    unknown: set[int]  # chats whose delivery ended 'unknown'
    quiz_polls_rows: int
    timed_out: bool
    kill: dict[str, Any]  # empty without --kill
    peak_rss_kib: list[int | None]  # VmHWM of each bot process


def results(run: RunFigures) -> dict[str, Any]:
    """The run's figures, as written to its JSON file and printed by `print_report`."""
    times, unknown = run.times, run.unknown
    dupes = {c: n for c, n in run.polls.items() if n > 1}
    missing = run.recipients - set(run.polls)
    first_at = times[0] if times else None
    last_at = times[-1] if times else None
    rate = (len(times) - 1) / (last_at - first_at) if len(times) > 1 else None
    warm_hits = None
    if first_at is not None:
        base = [h for t_, h in run.hit_samples if t_ <= first_at + WARMED_UP_AFTER]
        warm_hits = run.hits - (base[-1] if base else run.hits0)
    return {
        "question": run.question, "recipients": len(run.recipients), "polls_seen": len(times),
        "distinct_chats_with_poll": len(run.polls),
        "send_rate_per_s": rate, "share_of_30_per_s": rate / TELEGRAM_RATE if rate else None,
        "first_delivery_after_create_s": (first_at - run.t_create) if first_at else None,
        "time_to_last_delivery_s": (last_at - run.t_create) if last_at else None,
        "http_429_total": run.hits - run.hits0,
        "http_429_after_warm_up": warm_hits,
        "http_429_by_limit": run.hits_by,
        "duplicates": len(dupes), "duplicate_chats_sample": list(dupes)[:10],
        "chats_without_poll": len(missing),
        "unknown_by_design": len(unknown),
        "unknown_but_delivered": len(unknown & set(run.polls)),
        "unknown_not_delivered": len(unknown - set(run.polls)),
        "true_losses": len(missing - unknown),
        "true_loss_chats_sample": sorted(missing - unknown)[:10],
        "polls_to_non_recipients": sum(run.strangers.values()),
        "delivery_statuses": run.statuses, "quiz_polls_rows": run.quiz_polls_rows,
        "other_bot_messages_during": len(run.other_out),
        # Everything the token sent between the first and the last poll (polls, replies
        # to chatting villagers, progress reports): what Telegram's 30/s is about.
        "token_sends": token_sends(times, run.other_out),
        "shortfall": shortfall(times, run.other_out, run.hit_times),
        "http_429_at_s": [round(h - run.t_create, 2) for h in run.hit_times][:200],
        "http_429_after_emulator_stall": during_stalls(run.hit_times, run.stalls),
        "emulator_stalls_over_200ms": len(run.stalls),
        "timed_out": run.timed_out, "kill": run.kill or None,
        "bot_peak_rss_kib": run.peak_rss_kib,
        "load_average_end": loadavg(),
        # The emulator runs in this loop: a stall here turns the bot's even sends into a
        # burst at the emulator (and so 429s) that Telegram's servers would not see.
        "emulator_loop_lag_ms": {"p99": percentile(run.lags, 99),
                                 "max": max(run.lags, default=0)},
    }


async def loop_lag(lags: list[float], every: float = 0.05,
                   late: list[float] | None = None) -> None:
    """Record, in ms, how much later than asked each short sleep of this loop returned.

    `late` gets the times at which the loop had been stalled for more than `STALL_MS`: the
    emulator runs in this loop, so a stall turns the bot's evenly paced sends into one burst
    at "Telegram" (a 429 that Telegram's own servers would not give).
    """
    while True:
        t = time.monotonic()
        await asyncio.sleep(every)  # measuring the loop's own delay, not synchronising
        now = time.monotonic()
        lags.append((now - t - every) * 1000)
        if late is not None and lags[-1] > STALL_MS:
            late.append(now)


def during_stalls(hits: list[float], stalls: list[float], within: float = 0.5) -> int:
    """How many 429s came within `within` s after one of the emulator's loop stalls."""
    stalls = sorted(stalls)
    return sum(1 for h in hits
               if bisect.bisect_right(stalls, h + 0.05) > bisect.bisect_left(stalls, h - within))


def token_sends(times: list[float], others: list[Event]) -> dict[str, Any] | None:
    """Every message the token sent from the first to the last broadcast poll.

    Telegram's 30/s is per token: polls, replies to chatting villagers, progress reports and
    polls to anyone else all count, so with chatter a polls-only rate cannot reach 30/s and
    this is the figure to hold against it. The methods are those the emulator's flood limits
    count (`bot.emulator.methods.SENDING`).
    """
    if len(times) < 2:
        return None
    first, last = times[0], times[-1]
    inside = [e for e in others if first <= e.at <= last and e.method.lower() in SENDING]
    span = last - first
    rate = (len(times) - 1 + len(inside)) / span
    by_method = collections.Counter(e.method for e in inside)
    every = sorted([*times, *(e.at for e in inside)])
    return {"per_s": rate, "share_of_30_per_s": rate / TELEGRAM_RATE,
            "messages": len(every), "broadcast_polls": len(times),
            "others_by_method": dict(by_method.most_common()),
            "busiest_second": busiest_second(every)}


def busiest_second(at: list[float]) -> int:
    """The most sends in any one-second window (Telegram's 429s come from such peaks)."""
    best, start = 0, 0
    for end, t in enumerate(at):
        while at[start] <= t - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def shortfall(times: list[float], others: list[Event], hits: list[float]) -> dict[str, Any]:
    """Where the token's sends fell short of 30/s between the first and the last poll.

    The span is cut into seconds; each second's shortfall is the pacer's rate
    (`OVERALL_PER_SECOND`) minus what the token sent in it (negative: a burst above it). The
    seconds are put in one of: the first `EDGE_SECONDS` (ramp-up), the last (tail), within
    `AFTER_429_SECONDS` of a 429 (its pause), else steady. The pacer's own margin under 30/s
    is its own line. The lines add up to 30/s x span minus the messages sent.
    """
    if len(times) < 2:
        return {}
    first, last = times[0], times[-1]
    span = last - first
    every = sorted([*times, *(e.at for e in others if first <= e.at <= last
                              and e.method.lower() in SENDING)])
    hits = sorted(hits)
    seconds = max(1, math.ceil(span))
    parts = collections.Counter({f"pacer margin (30/s - {OVERALL_PER_SECOND:g}/s)":
                                 (TELEGRAM_RATE - OVERALL_PER_SECOND) * span})
    for i in range(seconds):
        lo, hi = first + i, min(first + i + 1, last)
        width = hi - lo
        count = bisect.bisect_right(every, hi) - bisect.bisect_right(every, lo) + (i == 0)
        if i < EDGE_SECONDS:
            where = f"ramp-up (first {EDGE_SECONDS} s)"
        elif i >= seconds - EDGE_SECONDS:
            where = f"tail (last {EDGE_SECONDS} s)"
        elif bisect.bisect_right(hits, hi) > bisect.bisect_left(hits, lo - AFTER_429_SECONDS):
            where = f"after a 429 ({AFTER_429_SECONDS:g} s)"
        else:
            where = "steady"
        parts[where] += OVERALL_PER_SECOND * width - count
    total = TELEGRAM_RATE * span - len(every)
    return {"messages_short_of_30_per_s": round(total, 1),
            "share_short": total / (TELEGRAM_RATE * span),
            "by_part": {k: round(v, 1) for k, v in parts.items()}}


def print_report(o: dict[str, Any]) -> None:
    print(f"\nBroadcast of one quiz to {o['recipients']} chats ({o['args']['subscribers']} "
          f"private, {o['args']['groups']} groups), db={o['db']}, flood limits on")
    token = o.get("token_sends") or {}
    short = o.get("shortfall") or {}
    rows = [
        ("emulator baseline getMe (c=1)", f"{o['baseline_getMe_c1']['rps']:.0f} req/s"),
        ("polls delivered (distinct chats)",
         f"{o['polls_seen']} ({o['distinct_chats_with_poll']})"),
        ("broadcast polls only, first..last poll",
         f"{fmt(o['send_rate_per_s'], 2)} /s = "
         f"{fmt((o['share_of_30_per_s'] or 0) * 100, 1)}% of 30/s"),
        ("ALL the token's sends, first..last poll",
         f"{fmt(token.get('per_s'), 2)} /s = "
         f"{fmt((token.get('share_of_30_per_s') or 0) * 100, 1)}% of 30/s "
         f"({token.get('messages')} messages: {token.get('broadcast_polls')} broadcast polls"
         + "".join(f", {n} {m}" for m, n in (token.get("others_by_method") or {}).items())
         + ")"),
        ("busiest second (all the token's sends)", f"{token.get('busiest_second')} messages"),
        ("short of 30/s, first..last poll",
         f"{short.get('messages_short_of_30_per_s')} messages "
         f"({fmt((short.get('share_short') or 0) * 100, 1)}%): " + ", ".join(
             f"{k} {v}" for k, v in (short.get("by_part") or {}).items())),
        ("first poll after create", f"{fmt(o['first_delivery_after_create_s'], 2)} s"),
        ("time to last delivery", f"{fmt(o['time_to_last_delivery_s'], 1)} s"),
        ("429s (all / after first 10 s / just after an emulator stall)",
         f"{o['http_429_total']} / {o['http_429_after_warm_up']} / "
         f"{o.get('http_429_after_emulator_stall')}"),
        ("429s by the limit that answered", str(o.get("http_429_by_limit"))),
        ("429s by kind (broadcast, reply, carried in a webhook answer)",
         str(o.get("http_429_by_kind"))),
        ("duplicates (chats with >1 poll)", str(o["duplicates"])),
        ("chats without a poll", str(o["chats_without_poll"])),
        ("  of which 'unknown' by design", str(o["unknown_not_delivered"])),
        ("  true losses", str(o["true_losses"])),
        ("'unknown' rows that were delivered", str(o["unknown_but_delivered"])),
        ("other polls (not to recipients)", str(o["polls_to_non_recipients"])),
        ("delivery rows by status", str(o["delivery_statuses"])),
        ("quiz_polls rows", str(o["quiz_polls_rows"])),
        ("bot peak RSS (VmHWM) per process", ", ".join(
            f"{(k or 0) / 1024:.0f} MiB" for k in o["bot_peak_rss_kib"])),
        ("bot log ERROR lines / tracebacks", f"{o['bot_log']['errors']} / "
                                             f"{o['bot_log']['tracebacks']}"),
        ("timed out", str(o["timed_out"])),
        ("emulator's loop lag p99 / max", f"{fmt(o['emulator_loop_lag_ms']['p99'], 0)} / "
                                          f"{fmt(o['emulator_loop_lag_ms']['max'], 0)} ms"),
    ]
    if o.get("chatter"):
        c = o["chatter"]
        rows.append((f"chatter: {c['target_rate']:.0f} questions/s during the broadcast",
                     f"sent {c['sent_per_s']:.1f}/s, replies {c['replies_per_s']:.1f}/s, "
                     f"p50 {fmt(c['p50_ms'], 0)} ms, p99 {fmt(c['p99_ms'], 0)} ms, "
                     f"unanswered {c['unanswered']}"))
    if o.get("kill"):
        k = o["kill"]
        rows.insert(5, ("SIGKILL", f"after {k['polls_before']} polls at {k['at_s']} s; restart "
                                   f"{k['restart_s']} s; next poll "
                                   f"{k['first_poll_after_restart_s']} s after the kill"))
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(f"load average: start {o['load_average_start']}, end {o['load_average_end']}")
