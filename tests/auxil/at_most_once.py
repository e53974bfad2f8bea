"""What a broadcast interrupted by a kill still guarantees, per villager, from the database.

A delivery is marked `sending` just before its request leaves. A process killed then may or
may not have got that request to Telegram (it may still sit in a socket buffer when the
process dies), so recovery makes it `unknown` and never sends it again: the villager has the
message once or not at all, and the office's final report counts it as uncertain. Waiting
for every villager to receive the message therefore waits for ever now and then (the tests
that did so timed out on loaded machines); these are the guarantees instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy import select

from bot.core.storage.models import Delivery
from bot.core.storage.session import Database


def settled_at_most_once(db: Database, chats: Iterable[int],
                         received: Callable[[int], int]) -> Counter[str]:
    """Asserts every delivery is final, nobody got it twice, a `sent` one arrived and only an
    `unknown` one may be missing; returns the deliveries by status."""
    with db.session() as session:
        status = dict(session.execute(select(Delivery.chat_id, Delivery.status)).all())
    got = {chat: received(chat) for chat in chats}
    ours = Counter(status[chat] for chat in got)
    assert set(ours) <= {"sent", "unknown"}, ours  # none lost, none left pending or sending
    assert max(got.values()) <= 1  # nobody twice
    missing = {chat for chat, count in got.items() if count == 0}
    assert {chat for chat in missing if status[chat] != "unknown"} == set()  # sent: arrived
    return ours
