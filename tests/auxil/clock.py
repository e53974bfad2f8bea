"""A clock the test moves by hand, for code that takes `clock=` (flood limits, the pacer)."""

from __future__ import annotations


class FakeClock:
    """Starts at 1000 s; set or add to `now`."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
