"""The /statistik chart: weekly average score and every topic's score, as a PNG.

The chart left out topics at 0 % (a bar of length zero), showed only three topics, and
labelled weeks "2026-W49". Every topic of the library now has a row with its value written
next to it ("belum ada jawaban" when nobody answered), and weeks are dated in Indonesian.
"""

from __future__ import annotations

import io
from datetime import date

from babel.dates import format_date

from bot.core.i18n import current_locale
from bot.domain.programme.quiz_results import VillageStats


def week_label(monday: date) -> str:
    """"30 Nov": the week's Monday, in the locale's words."""
    return format_date(monday, "d MMM", locale=current_locale())


def stats_chart(stats: VillageStats, title: str, labels: dict[str, str],
                titles: dict[str, str] | None = None) -> bytes:
    """Render the two-panel chart (matplotlib is imported only when a chart is drawn).

    `labels` holds the panel titles and the "no answers yet" text; `titles` maps topic ids
    to their titles, and its topics are all shown, answered or not.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    titles = titles or {t: t for t in stats.topics}
    rows = sorted(set(titles) | set(stats.topics), key=lambda t: titles.get(t, t))
    figure, (trend, topics) = plt.subplots(
        1, 2, figsize=(11, max(3.6, 0.42 * len(rows) + 1.2)), dpi=100,
        gridspec_kw={"width_ratios": [1, 1.3]})
    weeks = [week_label(w) for w, _, _ in stats.weekly]
    if weeks:
        trend.plot(weeks, [s * 100 for _, s, _ in stats.weekly], marker="o", color="#1f6f43")
    else:
        trend.text(0.5, 0.5, labels.get("none", "-"), ha="center", va="center",
                   transform=trend.transAxes)
    trend.set_ylim(0, 100)
    trend.set_title(labels["trend"])
    trend.set_ylabel("%")
    trend.tick_params(axis="x", labelrotation=45, labelsize=8)
    names = [titles.get(t, t)[:38] for t in rows]
    values = [stats.topics[t][0] * 100 if t in stats.topics else 0 for t in rows]
    positions = range(len(rows))
    topics.barh(positions, values, color="#c0392b")
    topics.set_yticks(list(positions), names, fontsize=8)
    topics.invert_yaxis()
    for y, topic, value in zip(positions, rows, values, strict=True):
        text = f"{round(value)}%" if topic in stats.topics else labels.get("none", "-")
        inside = value > 85  # a long bar: the number goes inside it, in white
        topics.text(value - 2 if inside else value + 1, y, text, va="center", fontsize=8,
                    ha="right" if inside else "left", color="white" if inside else "black")
    topics.set_xlim(0, 100)
    topics.set_title(labels.get("topics") or labels.get("weakest", ""))
    figure.suptitle(title)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
