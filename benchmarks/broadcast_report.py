"""The broadcast benchmark's measurements and table (benchmarks/broadcast.py)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchlib import fmt

from bot.emulator.world import Event

SENDING_METHODS = {"sendMessage", "sendPoll", "sendPhoto", "sendDocument", "copyMessage",
                   "forwardMessage", "sendMediaGroup"}


async def loop_lag(lags: list[float], every: float = 0.05) -> None:
    """Record, in ms, how much later than asked each short sleep of this loop returned."""
    while True:
        t = time.monotonic()
        await asyncio.sleep(every)  # measuring the loop's own delay, not synchronising
        lags.append((time.monotonic() - t - every) * 1000)


def token_rate(times: list[float], others: list[Event]) -> float | None:
    """Messages a second of every send of the token from the first to the last poll."""
    if len(times) < 2:
        return None
    inside = sum(1 for e in others if times[0] <= e.at <= times[-1]
                 and e.method in SENDING_METHODS)
    return (len(times) - 1 + inside) / (times[-1] - times[0])


def print_report(o: dict[str, Any]) -> None:
    print(f"\nBroadcast of one quiz to {o['recipients']} chats ({o['args']['subscribers']} "
          f"private, {o['args']['groups']} groups), db={o['db']}, flood limits on")
    rows = [
        ("emulator baseline getMe (c=1)", f"{o['baseline_getMe_c1']['rps']:.0f} req/s"),
        ("polls delivered (distinct chats)",
         f"{o['polls_seen']} ({o['distinct_chats_with_poll']})"),
        ("send rate first..last poll", f"{fmt(o['send_rate_per_s'], 2)} /s = "
                                       f"{fmt((o['share_of_30_per_s'] or 0) * 100, 1)}% of 30/s"),
        ("all the token's sends first..last poll",
         f"{fmt(o.get('token_rate_per_s'), 2)} /s (polls + replies + reports)"),
        ("first poll after create", f"{fmt(o['first_delivery_after_create_s'], 2)} s"),
        ("time to last delivery", f"{fmt(o['time_to_last_delivery_s'], 1)} s"),
        ("429s (all / after first 10 s)", f"{o['http_429_total']} / {o['http_429_after_warm_up']}"),
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
