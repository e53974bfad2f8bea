"""The NLU behind one contract: the embedded engine, or Rasa with the embedded as fallback.

Villagers must never wait on a dead Rasa server: when it fails, the bot logs it once, answers
with the embedded engine and tries Rasa again after a pause.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from nlu.embedded import EmbeddedEngine, load_or_train, start_training
from nlu.rasa_client import RasaClient, RasaUnavailable
from nlu.training import load_dir

log = logging.getLogger(__name__)
RETRY_RASA_AFTER = 30.0


INLINE_MAX_CHARS = 300  # at most about 1 ms of parsing; longer texts (pasted offers) use a thread


class Understanding:
    """Parses villagers' messages with the configured backend."""

    def __init__(self, embedded: EmbeddedEngine, rasa: RasaClient | None = None) -> None:
        self.embedded = embedded
        self.rasa = rasa
        self._rasa_down_since: float | None = None

    @classmethod
    def create(cls, nlu_dir: Path, cache_dir: Path | None, backend: str = "embedded",
               rasa_url: str = "", rasa_timeout: float = 0.5) -> Understanding:
        """Build the engine(s) from the training data in `nlu_dir/data`."""
        embedded = load_or_train(load_dir(nlu_dir / "data"), cache_dir)
        rasa = RasaClient(rasa_url, rasa_timeout) if backend == "rasa" else None
        return cls(embedded, rasa)

    @staticmethod
    def prepare(nlu_dir: Path, cache_dir: Path) -> bool:
        """Start training a cold cache in the background, so `create` finds it (nearly) done.

        The embedded engine is built for the Rasa backend too (it is the fallback).
        """
        return start_training(nlu_dir / "data", cache_dir)

    @property
    def backend(self) -> str:
        """Which backend answers now."""
        return "rasa" if self.rasa and self._rasa_down_since is None else "embedded"

    def answers_in_process(self, text: str) -> bool:
        """True when `parse(text)` is quick local work (well under a millisecond).

        Then the bot parses on its event loop: a hop to a worker thread costs more than the
        parse, and under load the threads fight the loop for the GIL. Rasa's HTTP call and
        very long texts still go to a thread.
        """
        return self.rasa is None and len(text) <= INLINE_MAX_CHARS

    def parse(self, text: str) -> dict[str, Any]:
        """Parse with Rasa when configured and up, else with the embedded engine."""
        if self.rasa and self._rasa_allowed():
            try:
                result = self.rasa.parse(text)
            except RasaUnavailable as exc:
                if self._rasa_down_since is None:
                    log.warning("Rasa unavailable (%s); answering with the embedded NLU", exc)
                self._rasa_down_since = time.monotonic()
            else:
                if self._rasa_down_since is not None:
                    log.info("Rasa is back")
                self._rasa_down_since = None
                return result
        return self.embedded.parse(text)

    def _rasa_allowed(self) -> bool:
        down = self._rasa_down_since
        return down is None or time.monotonic() - down > RETRY_RASA_AFTER

    def close(self) -> None:
        """Release the Rasa client's connections."""
        if self.rasa:
            self.rasa.close()
