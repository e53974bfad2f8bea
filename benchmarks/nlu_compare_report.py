"""The report of `nlu_compare.py`: the side-by-side table and the figures over baselines."""

from __future__ import annotations

from typing import Any


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b, or None when either is missing or b is zero."""
    if a is None or b is None or b == 0:
        return None
    return a / b


def dig(tree: dict[str, Any], path: str) -> Any:
    """tree["a"]["b"] for path "a.b"; None if any step is missing."""
    node: Any = tree
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def table(results: dict[str, Any]) -> str:
    """The side-by-side table of both engines, with Rasa/embedded ratios."""
    emb, rasa = results["embedded"], results.get("rasa", {})
    rows: list[tuple[str, Any, Any, str]] = [
        ("training (s)", emb.get("train_cold_s"), rasa.get("train_s"), "s"),
        ("start-up: ready to parse (s)", emb.get("load_cached_s"),
         rasa.get("startup_first_parse_s"), "s"),
        ("accuracy", dig(emb, "quality.accuracy"), dig(rasa, "quality.accuracy"), "f"),
        ("macro-F1", dig(emb, "quality.macro_f1"), dig(rasa, "quality.macro_f1"), "f"),
        ("out-of-scope recall", dig(emb, "quality.oos_recall"),
         dig(rasa, "quality.oos_recall"), "f"),
        ("out-of-scope false-positive rate", dig(emb, "quality.oos_false_positive_rate"),
         dig(rasa, "quality.oos_false_positive_rate"), "f"),
        ("parse latency p50 (ms)", dig(emb, "latency.p50_ms"), dig(rasa, "latency.p50_ms"),
         "ms"),
        ("parse latency p99 (ms)", dig(emb, "latency.p99_ms"), dig(rasa, "latency.p99_ms"),
         "ms"),
        ("peak RSS (MiB)", emb.get("peak_rss_mib"), rasa.get("peak_rss_mib"), "mib"),
    ]

    def fmt(value: Any, kind: str) -> str:
        if value is None:
            return "n/a"
        return {"s": f"{value:.2f}", "f": f"{value:.3f}", "ms": f"{value:.2f}",
                "mib": f"{value:.0f}"}[kind]

    width = 34
    lines = [f"{'':{width}} {'embedded':>10} {'rasa DIET':>10} {'rasa/emb':>9}",
             "-" * (width + 32)]
    for label, e, r, kind in rows:
        rel = ratio(r, e) if kind != "f" else None
        lines.append(f"{label:{width}} {fmt(e, kind):>10} {fmt(r, kind):>10} "
                     f"{(f'{rel:.1f}x' if rel is not None else ''):>9}")
    lines.append("")
    lines.append("baselines (same run, same machine):")
    for phase, base in (("embedded phase", results["baseline"]),
                        ("rasa phase", rasa.get("baseline"))):
        if base:
            lines.append(f"  {phase:15} str.lower(): {base['str_lower_ns']:.0f} ns/call   "
                         f"loopback HTTP POST p50 {base['http']['p50_ms']:.3f} ms, "
                         f"p99 {base['http']['p99_ms']:.3f} ms   "
                         f"load avg {base['loadavg'][0]:.2f}")
    norm = results.get("normalized", {})
    if norm:
        lines.append("normalized by those baselines:")
        for key, value in norm.items():
            lines.append(f"  {key:58} {value:,.1f}")
    if "error" in rasa:
        lines.append("")
        lines.append(f"RASA FAILED: {rasa['error']}")
    return "\n".join(lines)


def normalized(results: dict[str, Any]) -> dict[str, float]:
    """Figures divided by the baselines measured next to them (machine-independent-ish)."""
    emb, rasa = results["embedded"], results.get("rasa", {})
    out: dict[str, float] = {}
    base_e = results["baseline"]
    out["embedded p50 / str.lower() call"] = emb["latency"]["p50_ms"] * 1e6 / base_e[
        "str_lower_ns"]
    out["embedded p50 / loopback HTTP p50"] = (emb["latency"]["p50_ms"]
                                               / base_e["http"]["p50_ms"])
    base_r = rasa.get("baseline")
    if base_r and "latency" in rasa:
        out["rasa p50 / str.lower() call"] = rasa["latency"]["p50_ms"] * 1e6 / base_r[
            "str_lower_ns"]
        out["rasa p50 / loopback HTTP p50"] = (rasa["latency"]["p50_ms"]
                                               / base_r["http"]["p50_ms"])
        out["rasa p50 minus loopback HTTP p50 (ms, model time)"] = (
            rasa["latency"]["p50_ms"] - base_r["http"]["p50_ms"])
        out["(rasa/emb p50) each over its own str.lower() baseline"] = (
            out["rasa p50 / str.lower() call"] / out["embedded p50 / str.lower() call"])
    return out
