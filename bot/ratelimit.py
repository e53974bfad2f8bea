"""Token buckets: the bot paces its broadcasts with them, the emulator enforces limits with them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bucket:
    """`capacity` tokens, refilled at `rate` tokens a second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    updated: float = 0.0

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend one token; call only after `wait_time` returned 0."""
        self._refill(now)
        self.tokens -= 1

    def _refill(self, now: float) -> None:
        if self.tokens < 0:
            self.tokens, self.updated = self.capacity, now
            return
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
