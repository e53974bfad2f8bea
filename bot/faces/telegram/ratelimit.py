"""Token buckets with debt: the bot paces its broadcasts with them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bucket:
    """`capacity` tokens, refilled at `rate` tokens a second."""

    capacity: float
    rate: float
    tokens: float | None = None  # None: full, from the first use on
    updated: float = 0.0

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        tokens = self._refill(now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend one token; call only after `wait_time` returned 0."""
        self.charge(now, floor=0.0)

    def charge(self, now: float, floor: float, count: int = 1) -> None:
        """Spend tokens that may not be there, because something already left unasked.

        The debt (down to `floor`) makes what this bucket paces wait for it.
        """
        tokens = self._refill(now)
        self.tokens = max(floor, tokens - count)

    def level(self, now: float) -> float:
        """Tokens there now (negative: debt)."""
        return self._refill(now)

    def _refill(self, now: float) -> float:
        if self.tokens is None:
            self.tokens = self.capacity
        else:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return self.tokens
