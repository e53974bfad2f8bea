"""The load benchmark's report: medians of runs, the floor, profiles (see load.py)."""

from __future__ import annotations

import pstats
from pathlib import Path
from typing import Any

from benchlib import fmt, median

FLOOR_RATE = 200.0  # the floor for question answering on this 2-core machine
FLOOR_P99_MS = 100.0


def floor_met(mix: str, rate: float, s: dict[str, Any]) -> bool:
    """Question traffic at >= 200/s answered at that rate with p99 under 100 ms."""
    return (mix == "qa" and rate >= FLOOR_RATE
            and (s["replies_per_s"] or 0) >= FLOOR_RATE * 0.98
            and s["p99_ms"] is not None and s["p99_ms"] < FLOOR_P99_MS)


def profile_tops(path: Path, n: int = 15) -> dict[str, list[dict[str, Any]]]:
    """Top functions by cumulative time (main thread, worker threads) and by own time (all)."""
    tops: dict[str, list[dict[str, Any]]] = {}
    for label, file, key in (
            ("main_thread_(event_loop)_cumulative", path.with_suffix(".main.prof"), "cumtime"),
            ("asyncio.to_thread_work_cumulative", path.with_suffix(".threads.prof"), "cumtime"),
            ("own_time_(both)", path, "tottime")):
        if not file.exists():
            continue
        stats = pstats.Stats(str(file))
        rows = []
        for (filename, line, name), (cc, nc, tt, ct, _callers) in stats.stats.items():
            rows.append({"function": f"{_short_path(filename)}:{line}({name})", "calls": nc,
                         "primitive_calls": cc, "tottime_s": round(tt, 3),
                         "cumtime_s": round(ct, 3)})
        sort_key = "cumtime_s" if key == "cumtime" else "tottime_s"
        rows.sort(key=lambda r: r[sort_key], reverse=True)
        tops[label] = rows[:n]
    return tops


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def print_profile(tops: dict[str, list[dict[str, Any]]], title: str) -> None:
    """The profile's top functions, one block per view."""
    print(f"\n{title}")
    for label, rows in tops.items():
        print(f"  -- top {len(rows)} by {label.replace('_', ' ')} --")
        print(f"  {'cumtime s':>10} {'own s':>8} {'calls':>9}  function")
        for r in rows:
            print(f"  {r['cumtime_s']:>10.2f} {r['tottime_s']:>8.2f} {r['calls']:>9}  "
                  f"{r['function']}")


def summarise(runs: list[Any]) -> dict[str, Any]:
    """Medians over repeated runs of one (mix, rate)."""
    keys = ("sent_per_s", "replies_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "unanswered",
            "extra_bot_messages", "bot_cpu_cores", "bench_cpu_cores", "backlog_at_end",
            "bot_cpu_ms_per_update", "bench_cpu_ms_per_update",
            "max_schedule_lag_s")
    out: dict[str, Any] = {k: median([getattr(r, k) for r in runs]) for k in keys}
    out["runs"] = len(runs)
    out["unanswered_total"] = sum(r.unanswered for r in runs)
    out["poll_answers_sent"] = sum(r.poll_answers_sent for r in runs)
    out["poll_answers_recorded"] = sum(r.poll_answers_recorded for r in runs)
    out["tips_completed"] = sum(r.tips_completed for r in runs)
    out["tips_stored"] = sum(r.tips_stored for r in runs)
    return out


def print_table(db: str, rows: list[tuple[str, float, dict[str, Any]]], base_rps: float,
                title: str) -> None:
    """One row per (mix, rate): medians, CPU, the ratio to the emulator baseline, the floor."""
    print(f"\n{title} ({db}; medians of runs; latency from send_text to the bot's first reply)")
    head = (f"{'mix':<6} {'target/s':>8} {'sent/s':>7} {'replies/s':>9} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'unans.':>6} {'extra':>5} {'bot CPU':>7} {'bench CPU':>9} "
            f"{'bot ms/upd':>10} {'bench ms/upd':>12} {'replies/getMe':>13} {'floor':>5}")
    print(head)
    print("-" * len(head))
    for mix, rate, s in rows:
        ratio = s["replies_per_s"] / base_rps if base_rps and s["replies_per_s"] else None
        floor = ("met" if floor_met(mix, rate, s) else "NOT") if mix == "qa" else ""
        print(f"{mix:<6} {rate:>8.0f} {fmt(s['sent_per_s']):>7} {fmt(s['replies_per_s']):>9} "
              f"{fmt(s['p50_ms'], 0):>8} {fmt(s['p99_ms'], 0):>8} "
              f"{s['unanswered_total']:>6} {fmt(s['extra_bot_messages'], 0):>5} "
              f"{fmt(s['bot_cpu_cores'], 2):>7} {fmt(s['bench_cpu_cores'], 2):>9} "
              f"{fmt(s['bot_cpu_ms_per_update'], 2):>10} "
              f"{fmt(s['bench_cpu_ms_per_update'], 2):>12} {fmt(ratio, 3):>13} {floor:>5}")

def print_report(out: dict[str, Any], summary: list[tuple[str, float, dict[str, Any]]]) -> None:
    """The figures of a whole benchmark run, as a table and a few lines."""
    b0, b1 = out["baseline_before"], out["baseline_after"]
    base = median([b0["getMe_c1"]["rps"], b1["getMe_c1"]["rps"]]) or 0.0
    print("\nBaseline: the emulator's own round trips from an httpx client subprocess "
          "(before / after the runs)")
    for key in ("getMe_c1", "getMe_c8", "sendMessage_c8"):
        print(f"  {key:<16} {b0[key]['rps']:>8.0f} / {b1[key]['rps']:>8.0f} req/s   "
              f"p50 {b0[key]['p50_ms']:.2f} / {b1[key]['p50_ms']:.2f} ms   "
              f"p99 {b0[key]['p99_ms']:.2f} / {b1[key]['p99_ms']:.2f} ms")
    first = out["args"]["workers"].split(",")[0]
    print_table(out["db"], summary, base,
                "One bot process" if first == "1" else f"{first} bot processes")
    print(f"\nfloor (qa: >= {FLOOR_RATE:.0f} replies/s sustained with p99 < {FLOOR_P99_MS:.0f} "
          f"ms): {'MET' if out['floor_met'] else 'NOT MET'}")
    print(f"bot peak RSS (VmHWM): {(out.get('bot_peak_rss_kib') or 0) / 1024:.0f} MiB; bot start "
          f"{out.get('bot_start_s')} s; bot log: {out['bot_log']['errors']} ERROR line(s), "
          f"{out['bot_log']['tracebacks']} traceback(s); exit code {out.get('bot_exit_code')}")
    for mix, rate, s in summary:
        if s["poll_answers_sent"] or s["tips_completed"]:
            print(f"  {mix} @ {rate:.0f}/s: poll answers sent {s['poll_answers_sent']}, stored "
                  f"{s['poll_answers_recorded']}; tips completed {s['tips_completed']}, stored "
                  f"{s['tips_stored']}")
    if "profile" in out:
        p = out["profile"]
        print_profile(p["top"], f"Profile of the bot as shipped (qa @ {p['rate']:.0f}/s; "
                                f"cProfile over the {p['window_s']:.0f} s steady window; "
                                f"file {p['profile_file']})")
    if "diagnostic_no_overall_limit" in out:
        d = out["diagnostic_no_overall_limit"]
        rows = [(s["mix"], s["rate"], s) for s in d["summary"]]
        print_table(out["db"], rows, base, "DIAGNOSTIC: PTB AIORateLimiter overall limit removed")
        p = d["profile"]
        print_profile(p["top"], f"Profile, DIAGNOSTIC no overall limit (qa @ {p['rate']:.0f}/s; "
                                f"{p['window_s']:.0f} s steady window)")
    print(f"load average: start {out['load_average_start']}, end {out['load_average_end']}")


def print_workers(out: dict[str, Any], count: int, other: dict[str, Any]) -> None:
    """The table of a fleet of `count` processes measured in the same run."""
    b0, b1 = out["baseline_before"], out["baseline_after"]
    base = median([b0["getMe_c1"]["rps"], b1["getMe_c1"]["rps"]]) or 0.0
    rows = [(s["mix"], s["rate"], s) for s in other["summary"]]
    title = (f"{count} bot processes (webhooks through a proxy, PostgreSQL + Redis), same run"
             if count else "CEILING: bare python-telegram-bot echo bot (one reply, no database, "
                           "no NLU; benchmarks/botproc.py --echo), same run")
    print_table(out["db"], rows, base, title)
    print(f"floor: {'MET' if other['floor_met'] else 'NOT MET'}; peak RSS (sum of VmHWM) "
          f"{(other.get('bot_peak_rss_kib') or 0) / 1024:.0f} MiB; logs "
          f"{other['bot_log']['errors']} ERROR line(s), {other['bot_log']['tracebacks']} "
          f"traceback(s); exit code {other.get('bot_exit_code')}")
