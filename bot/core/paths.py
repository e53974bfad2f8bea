"""Where the repository's data lives: content, catalogs and the NLU training data."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def content_dir() -> Path:
    """The content tree (answers, lessons, quizzes, catalogs); overridable for tests."""
    return Path(os.environ.get("DESABOT_CONTENT_DIR", ROOT / "content"))


def nlu_dir() -> Path:
    """The Rasa project with the training data."""
    return Path(os.environ.get("DESABOT_NLU_DIR", ROOT / "nlu"))
