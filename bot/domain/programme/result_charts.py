"""The Programme results' three charts, drawn on the server as SVG (no script in the browser).

Participation per week, each busy village's score per week, and the hardest questions. Every
label is Indonesian: weeks are dated ("30 Nov"), questions are shown by their text with their
topic's title, never by an id. matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import io
from typing import Any

from bot.domain.programme.charts import week_label
from bot.domain.programme.results import Results

GREEN, RED, BLUE = "#1f6f43", "#c0392b", "#2b6cb0"
LINES = ("#1f6f43", "#2b6cb0", "#b7791f", "#805ad5", "#c0392b", "#4a5568")
QUESTION_CHARS = 60


def participation_svg(results: Results, labels: dict[str, str]) -> bytes:
    """Bars: people who answered each week; a line: their share of the subscribers."""
    figure, axes = _figure(3.2)
    weeks = [week_label(w.monday) for w in results.weeks]
    axes.bar(weeks, [w.participants for w in results.weeks], color=GREEN)
    axes.set_ylabel(labels["people"])
    axes.set_title(labels["participation"])
    if results.subscribers:
        share = axes.twinx()
        share.plot(weeks, [100 * w.participants / results.subscribers for w in results.weeks],
                   color=BLUE, marker="o")
        share.set_ylim(0, 100)
        share.set_ylabel(labels["share"], color=BLUE)
    axes.tick_params(axis="x", labelsize=8)
    return _save(figure)


def villages_svg(results: Results, labels: dict[str, str]) -> bytes:
    """One line per busy village: its share of right answers each week it answered."""
    figure, axes = _figure(3.4)
    weeks = [week_label(m.monday) for m in results.weeks]
    for colour, (name, figures) in zip(LINES, results.villages.items(), strict=False):
        points = [(i, 100 * w.score) for i, w in enumerate(figures) if w.answers]
        axes.plot([weeks[i] for i, _ in points], [s for _, s in points], marker="o",
                  color=colour, label=name[:30])
    if results.villages:
        axes.legend(fontsize=8, loc="lower left", ncols=3)
    else:
        _nothing(axes, labels["none"])
    axes.set_xticks(range(len(weeks)), weeks)
    axes.set_ylim(0, 100)
    axes.set_ylabel("%")
    axes.set_title(labels["villages"])
    axes.tick_params(axis="x", labelsize=8)
    return _save(figure)


def hardest_svg(results: Results, labels: dict[str, str], questions: dict[str, str],
                topics: dict[str, str]) -> bytes:
    """Horizontal bars: the questions with the fewest right answers, hardest on top."""
    rows = results.hardest
    figure, axes = _figure(max(2.6, 0.5 * len(rows) + 1.0))
    names = [question_label(q.question_id, q.topic, questions, topics) for q in rows]
    values = [100 * q.score for q in rows]
    axes.barh(range(len(rows)), values, color=RED)
    axes.set_yticks(list(range(len(rows))), names, fontsize=8)
    axes.invert_yaxis()
    for y, (value, q) in enumerate(zip(values, rows, strict=True)):
        axes.text(value + 1, y, f"{round(value)}% ({q.answers})", va="center", fontsize=8)
    if not rows:
        _nothing(axes, labels["none"])
    axes.set_xlim(0, 110)
    axes.set_title(labels["hardest"])
    return _save(figure)


def question_label(question_id: str, topic: str, questions: dict[str, str],
                   topics: dict[str, str]) -> str:
    """"Berapa biaya paspor…? (Paspor)": the question's own words and its topic's title."""
    text = " ".join(questions.get(question_id, question_id).split())
    if len(text) > QUESTION_CHARS:
        text = text[:QUESTION_CHARS - 1] + "\u2026"
    title = topics.get(topic, topic)
    return f"{text} ({title})" if title else text


def _figure(height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    return plt.subplots(figsize=(9, height), dpi=100)


def _nothing(axes: Any, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes)


def _save(figure: Any) -> bytes:
    import matplotlib
    from matplotlib import pyplot as plt

    figure.tight_layout()
    buffer = io.BytesIO()
    # Text stays text, not outlines: a smaller file, and the browser draws it sharply.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()
