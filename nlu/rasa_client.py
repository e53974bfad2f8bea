"""Calls a Rasa server's `POST /model/parse`, with a short timeout."""

from __future__ import annotations

from typing import Any

import httpx

FALLBACK = "nlu_fallback"


class RasaUnavailable(Exception):
    """The Rasa server is down, slow or answered nonsense."""


class RasaClient:
    """A small synchronous client; the bot calls it from a worker thread."""

    def __init__(self, url: str, timeout: float = 0.5) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=timeout)

    def parse(self, text: str) -> dict[str, Any]:
        """Parse one message, or raise RasaUnavailable."""
        try:
            response = self._http.post(f"{self.url}/model/parse", json={"text": text})
            response.raise_for_status()
            result = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc) or type(exc).__name__) from exc
        if not isinstance(result, dict) or "intent" not in result:
            raise RasaUnavailable("unexpected answer from Rasa")
        return to_contract(result)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()


def to_contract(result: dict[str, Any]) -> dict[str, Any]:
    """Rasa's FallbackClassifier says `nlu_fallback`; our contract calls that out_of_scope."""
    intent = result.get("intent") or {}
    if intent.get("name") in (FALLBACK, None):
        result["intent"] = {"name": "out_of_scope", "confidence": intent.get("confidence", 0.0)}
    return result
