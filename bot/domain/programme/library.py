"""Lessons and quiz questions from content/id/lessons and content/id/quizzes, validated.

Telegram refuses a quiz whose question, options or explanation are too long, so the limits
are checked here, at start-up and in CI, not discovered in the middle of a broadcast.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.content.facts import FactRegistry, join_sources
from bot.domain.content.sources import Source, parse_source
from bot.domain.content.yamlfile import ContentError, key_line, load, where

QUESTION_MAX = 300
OPTION_MAX = 100
EXPLANATION_MAX = 200
LESSON_MAX = 3500


@dataclass(frozen=True)
class Lesson:
    """A short, sourced lesson an official can send to the village."""

    id: str
    title: str
    topic: str
    text: str
    sources: tuple[Source, ...]
    image: str | None = None


@dataclass(frozen=True)
class Question:
    """One quiz question, sent as a Telegram quiz poll."""

    id: str
    topic: str
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    source: Source


@dataclass
class Library:
    """All lessons and quiz questions."""

    lessons: dict[str, Lesson]
    questions: dict[str, Question]
    topics: dict[str, str]  # topic id -> title

    @classmethod
    def load(cls, root: Path, facts: FactRegistry | None = None) -> Library:
        """Load and validate both folders; raises ContentError naming file and line.

        Fact references (`{fakta:ID}`) are rendered with the registry in `root/facts`.
        """
        facts = facts if facts is not None else FactRegistry.load(root / "facts")
        lessons = {}
        for path in sorted((root / "lessons").glob("*.yml")):
            lesson = _lesson(load(path), path, facts)
            lessons[lesson.id] = lesson
        questions: dict[str, Question] = {}
        topics: dict[str, str] = {}
        for path in sorted((root / "quizzes").glob("*.yml")):
            raw = load(path)
            if not isinstance(raw, dict) or not raw.get("topic"):
                raise ContentError(f"{path}: a quiz file needs a topic and questions")
            topics[str(raw["topic"])] = str(raw.get("title") or raw["topic"])
            for item in raw.get("questions") or []:
                question = _question(item, str(raw["topic"]), path, facts)
                if question.id in questions:
                    raise ContentError(f"{where(path, item)}: duplicate question id "
                                       f"{question.id!r}")
                questions[question.id] = question
        return cls(lessons, questions, topics)

    def pick(self, count: int, topic: str | None = None,
             rng: random.Random | None = None) -> list[Question]:
        """`count` different questions, from one topic when given."""
        pool = [q for q in self.questions.values() if topic in (None, q.topic)]
        return (rng or random).sample(pool, min(count, len(pool)))


def _lesson(raw: Any, path: Path, facts: FactRegistry) -> Lesson:
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: a lesson must be a mapping")
    for key in ("id", "title", "topic", "text"):
        if not str(raw.get(key) or "").strip():
            raise ContentError(f"{where(path, raw)}: lesson lacks {key!r}")
    if raw["id"] != path.stem:
        raise ContentError(f"{where(path, raw)}: id {raw['id']!r} must equal the file name")
    rendered = facts.render(str(raw["text"]).strip(), "text",
                            (path, key_line(raw, "text") or getattr(raw, "line", 0)))
    text = rendered.text
    if len(text) > LESSON_MAX:
        raise ContentError(f"{where(path, raw)}: lesson text is {len(text)} characters; "
                           f"the limit is {LESSON_MAX}")
    own = tuple(parse_source(s, path, str(raw["id"])) for s in raw.get("sources") or ())
    sources = join_sources(own, rendered.facts)
    if not sources:
        raise ContentError(f"{where(path, raw)}: every lesson needs a source")
    return Lesson(str(raw["id"]), str(raw["title"]), str(raw["topic"]), text, sources,
                  raw.get("image"))


def _question(raw: Any, topic: str, path: Path, facts: FactRegistry) -> Question:
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: each question must be a mapping")
    origin = (path, getattr(raw, "line", 0))
    parts = [facts.render(str(raw.get(key) or ""), f"question {raw.get('id')!r}: {key}",
                          (path, key_line(raw, key) or origin[1]))
             for key in ("question", "explanation")]
    parts += [facts.render(str(part), f"question {raw.get('id')!r}: options", origin)
              for part in raw.get("options") or []]
    text, explanation = parts[0].text, parts[1].text
    options = [part.text for part in parts[2:]]
    problems = [
        (not raw.get("id"), "lacks an id"),
        (not 1 <= len(text) <= QUESTION_MAX, f"question must be 1-{QUESTION_MAX} characters"),
        (not 2 <= len(options) <= 10, "needs 2 to 10 options"),
        (any(not 1 <= len(o) <= OPTION_MAX for o in options),
         f"options must be 1-{OPTION_MAX} characters"),
        (len(set(options)) != len(options), "has duplicate options"),
        (not isinstance(raw.get("correct"), int) or not 0 <= raw["correct"] < len(options),
         "correct must be the index of an option"),
        (len(explanation) > EXPLANATION_MAX or explanation.count("\n") > 2,
         f"explanation must be at most {EXPLANATION_MAX} characters and 2 line breaks"),
    ]
    for failed, message in problems:
        if failed:
            raise ContentError(f"{where(path, raw)}: question {raw.get('id')!r} {message}")
    used = tuple(f for part in parts for f in part.facts)
    if raw.get("source") is None and used:
        source = used[0].source  # the fact asked about carries its own source
    else:
        source = parse_source(raw.get("source"), path, str(raw["id"]))
    return Question(str(raw["id"]), topic, text, tuple(options), int(raw["correct"]),
                    explanation, source)
