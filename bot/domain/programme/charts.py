"""The /statistik chart: weekly average score and the weakest topics, as a PNG."""

from __future__ import annotations

import io

from bot.domain.programme.quiz_results import VillageStats


def stats_chart(stats: VillageStats, title: str, labels: dict[str, str]) -> bytes:
    """Render a small two-panel chart (matplotlib is imported only when a chart is drawn)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, (trend, topics) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=100)
    weeks = [w for w, _, _ in stats.weekly] or ["-"]
    scores = [s * 100 for _, s, _ in stats.weekly] or [0]
    trend.plot(weeks, scores, marker="o", color="#1f6f43")
    trend.set_ylim(0, 100)
    trend.set_title(labels["trend"])
    trend.set_ylabel("%")
    trend.tick_params(axis="x", labelrotation=45, labelsize=7)
    names = [t for t, _ in stats.weakest] or ["-"]
    values = [s * 100 for _, s in stats.weakest] or [0]
    topics.barh(names, values, color="#c0392b")
    topics.set_xlim(0, 100)
    topics.set_title(labels["weakest"])
    figure.suptitle(title)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
