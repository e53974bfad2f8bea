"""Officials' own messages: allowed per office, sent only after an officer approves them.

A village official's account could be misused to spread a recruiter's "lowongan" to a whole
village, so a message that is not one of the sourced lessons waits for an officer.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from bot.core.i18n import _
from bot.core.storage.models import Broadcast, Office, Officer, Village
from bot.core.storage.session import Database
from bot.domain.messaging.outbox import enqueue
from bot.domain.people.roles import active_officer, official_villages
from bot.domain.programme.broadcasts import expand
from bot.domain.replies import Button, Reply

log = logging.getLogger(__name__)
MAX_TEXT = 3000


class ApprovalError(Exception):
    """Why a message cannot be proposed, approved or rejected (a stable word)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def propose(db: Database, official_id: int, text: str) -> int:
    """Store the official's message as awaiting approval and alert the office's officers."""
    text = text.strip()[:MAX_TEXT]
    with db.session() as session:
        villages = official_villages(session, official_id)
        if not villages:
            raise ApprovalError("not_official")
        village = session.get(Village, villages[0])
        office = session.get(Office, village.office_id) if village.office_id else None
        if office is None or not office.allow_custom_messages:
            raise ApprovalError("not_allowed")
        broadcast = Broadcast(village_id=village.id, kind="text",
                              content=json.dumps({"text": text}), created_by=official_id,
                              status="awaiting", progress_chat_id=official_id)
        session.add(broadcast)
        session.flush()
        request = Reply(
            _("Message from the official of {village}, waiting for approval:").format(
                village=village.name) + f"\n\n\u201c{text}\u201d",
            ((Button(_("Approve"), f"ap:a:{broadcast.id}"),
              Button(_("Reject"), f"ap:r:{broadcast.id}")),))
        for officer in session.scalars(select(Officer).where(Officer.office_id == office.id,
                                                             Officer.active.is_(True))):
            enqueue(session, f"approval:{broadcast.id}:{officer.telegram_id}",
                    officer.telegram_id, request)
        return broadcast.id


def decide(db: Database, officer_id: int, broadcast_id: int, approve: bool) -> str:
    """Approve (deliveries are stored) or reject; only officers of the village's office."""
    with db.session() as session:
        officer = active_officer(session, officer_id)
        broadcast = session.get(Broadcast, broadcast_id)
        village = session.get(Village, broadcast.village_id) if broadcast else None
        if officer is None or village is None or village.office_id != officer.office_id:
            log.warning("refused approval by account %s for broadcast %s", officer_id,
                        broadcast_id)
            raise ApprovalError("forbidden")
        if broadcast.status != "awaiting":
            raise ApprovalError("decided")
        if approve:
            expand(db, session, broadcast)
            note = _("Your message was approved by an officer and is being sent.")
        else:
            broadcast.status = "rejected"
            note = _("Your message was not approved by the officer; it will not be sent.")
        enqueue(session, f"approval:{broadcast.id}:decision", broadcast.created_by, Reply(note))
        return broadcast.status
