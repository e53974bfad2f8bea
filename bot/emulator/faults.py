"""Failures the emulator can be told to produce, so tests can show that faults cost retries.

A fault matches the next requests of a method (and optionally to one chat) and is used up
after `times` matches. Kinds: ``error`` (an HTTP 5xx with Telegram's error body), ``timeout``
(the answer is held back for `delay` seconds, longer than the client waits), ``drop`` (the
connection is closed without an answer), ``flood`` (a 429 with `retry_after`).

Two kinds carry the request out first, as Telegram does when only its answer is lost on the
way back: ``lost_answer`` (delivered, then the connection is closed without an answer) and
``late_answer`` (delivered, the answer held back for `delay` seconds). The client cannot tell
these from ``drop`` and ``timeout``; a sender that retries them blindly sends twice.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {"error", "timeout", "drop", "flood", "lost_answer", "late_answer"}
DELIVERING = {"lost_answer", "late_answer"}


@dataclass
class Fault:
    """One planned failure."""

    kind: str
    method: str | None = None
    chat_id: int | None = None
    times: int = 1
    status: int = 502
    delay: float = 30.0
    retry_after: int = 1

    def matches(self, method: str, chat_id: int | None) -> bool:
        """True when this fault applies to a request of `method` towards `chat_id`."""
        if self.times <= 0:
            return False
        if self.method and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id


class FaultPlan:
    """The faults still to be produced, in the order they were planned."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self.produced: list[tuple[str, str]] = []

    def add(self, kind: str, **kwargs: object) -> Fault:
        """Plan a fault; see the module docstring for the kinds."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(KINDS)}")
        fault = Fault(kind=kind, **kwargs)  # type: ignore[arg-type]
        self._faults.append(fault)
        return fault

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """The first planned fault matching this request, used up by one."""
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.times -= 1
                self.produced.append((fault.kind, method))
                return fault
        return None

    def clear(self) -> None:
        """Forget every planned fault."""
        self._faults.clear()
