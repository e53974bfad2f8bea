"""What the bot says, independent of Telegram: text, button rows and sources.

Handlers turn a Reply into a Telegram message; domain code and `desabot ask` produce and read
Replies without a bot, so content authors can preview answers and tests need no network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.content.sources import Source

CALLBACK_MAX_BYTES = 64


@dataclass(frozen=True)
class Button:
    """An inline button: a label and the callback data the bot will receive."""

    label: str
    data: str

    def __post_init__(self) -> None:
        if not 1 <= len(self.data.encode()) <= CALLBACK_MAX_BYTES:
            raise ValueError(f"callback data must be 1-64 bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """One message from the bot."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    sources: tuple[Source, ...] = ()
    intent: str | None = None
    action: str | None = None
    meta: dict = field(default_factory=dict)

    def render(self) -> str:
        """A plain-text view for terminals: the text, then numbered buttons."""
        labels = [b.label for row in self.buttons for b in row]
        lines = [self.text]
        if labels:
            lines.append("  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1)))
        return "\n".join(lines)

    def as_dict(self) -> dict:
        """The JSON shape of `desabot ask --json`."""
        return {
            "intent": self.intent,
            "entry": self.meta.get("entry"),  # "intent#entry" when a question-level entry answered
            "text": self.text,
            "buttons": [[{"label": b.label, "data": b.data} for b in row]
                        for row in self.buttons],
            "sources": [s.__dict__ for s in self.sources],
        }
