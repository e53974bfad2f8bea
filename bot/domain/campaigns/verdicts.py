"""Officers' side of campaigns: list, show, verdict, warning lesson.

Callback data can be forged, so every action checks on the server that the account is an
active officer of an office whose villages the campaign reached; refusals are logged and
every verdict is written to the campaign's audit log.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.storage.models import (
    CampaignCheck,
    CampaignEvent,
    CampaignText,
    OfferCampaign,
    Officer,
    utcnow,
)
from bot.core.storage.session import Database
from bot.domain.campaigns.alerts import view, views
from bot.domain.campaigns.store import opted_out
from bot.domain.campaigns.texts import VERDICTS, CampaignView, follow_up
from bot.domain.messaging.outbox import enqueue
from bot.domain.people.roles import active_officer
from bot.domain.programme import broadcasts

log = logging.getLogger(__name__)
WARNING_LESSON = "tanda-penipuan"  # content/id/lessons/tanda-penipuan.yml


class CampaignError(Exception):
    """A campaign action was refused; `reason` is a stable word the face translates."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _authorised(session: Session, telegram_id: int, campaign_id: int) -> tuple[Officer,
                                                                                OfferCampaign]:
    officer = active_officer(session, telegram_id)
    campaign = session.get(OfferCampaign, campaign_id)
    if campaign is not None and campaign.merged_into:
        campaign = session.get(OfferCampaign, campaign.merged_into)
    reached = officer is not None and campaign is not None and session.scalar(
        select(CampaignText.id).where(CampaignText.campaign_id == campaign.id,
                                      CampaignText.office_id == officer.office_id).limit(1))
    if not reached:
        log.warning("refused campaign action: account %s on campaign %s", telegram_id,
                    campaign_id)
        raise CampaignError("forbidden")
    return officer, campaign


def campaigns_of_office(db: Database, office_id: int, limit: int = 50) -> list[CampaignView]:
    """The campaigns that reached an office's villages, most recently seen first."""
    with db.session() as session:
        ids = session.scalars(
            select(CampaignText.campaign_id).where(CampaignText.office_id == office_id)
            .group_by(CampaignText.campaign_id)
            .order_by(func.max(CampaignText.created_at).desc()).limit(limit))
        return views(session, list(ids), office_id)


def campaign_of_office(db: Database, office_id: int, campaign_id: int) -> CampaignView | None:
    """One campaign as the office sees it; None when it never reached the office."""
    with db.session() as session:
        campaign = session.get(OfferCampaign, campaign_id)
        if campaign is not None and campaign.merged_into:
            campaign_id = campaign.merged_into
        reached = session.scalar(select(CampaignText.id).where(
            CampaignText.campaign_id == campaign_id, CampaignText.office_id == office_id)
            .limit(1))
        return view(session, campaign_id, office_id) if reached else None


def for_officer(db: Database, telegram_id: int, campaign_id: int | None = None
                ) -> list[CampaignView]:
    """The officer's office's campaigns (or the one asked for), after checking the role."""
    with db.session() as session:
        officer = active_officer(session, telegram_id)
        if officer is None:
            raise CampaignError("forbidden")
        office_id = officer.office_id
    if campaign_id is None:
        return campaigns_of_office(db, office_id)
    found = campaign_of_office(db, office_id, campaign_id)
    if found is None:
        raise CampaignError("forbidden")
    return [found]


def give_verdict(db: Database, telegram_id: int, campaign_id: int, verdict: str) -> int:
    """Record the verdict; on "confirmed", queue the one follow-up per villager who checked.

    Returns how many villagers will be told. A second "confirmed" tells nobody twice: the
    check row is marked, and the outbox key is per campaign and chat.
    """
    if verdict not in VERDICTS:
        raise CampaignError("bad_verdict")
    with db.session() as session:
        officer, campaign = _authorised(session, telegram_id, campaign_id)
        campaign.status, campaign.verdict_at = verdict, utcnow()
        session.add(CampaignEvent(campaign_id=campaign.id, office_id=officer.office_id,
                                  actor=f"officer:{officer.id}", kind="verdict", text=verdict))
        if verdict != "confirmed":
            return 0
        told = 0
        for check in session.scalars(select(CampaignCheck).where(
                CampaignCheck.campaign_id == campaign.id, CampaignCheck.notified_at.is_(None))):
            check.notified_at = utcnow()
            if opted_out(session, check.chat_id):
                continue
            enqueue(session, f"campaign:{campaign.id}:followup:{check.chat_id}", check.chat_id,
                    follow_up())
            told += 1
        return told


def send_warning_lesson(db: Database, telegram_id: int, campaign_id: int) -> int:
    """Queue the ready warning lesson to the office's villages the campaign reached, once."""
    with db.session() as session:
        officer, campaign = _authorised(session, telegram_id, campaign_id)
        if campaign.status != "confirmed":
            raise CampaignError("not_confirmed")
        if session.scalar(select(CampaignEvent.id).where(
                CampaignEvent.campaign_id == campaign.id, CampaignEvent.kind == "lesson",
                CampaignEvent.office_id == officer.office_id)):
            raise CampaignError("lesson_sent")
        villages = sorted(set(session.scalars(select(CampaignText.village_id).where(
            CampaignText.campaign_id == campaign.id, CampaignText.office_id == officer.office_id,
            CampaignText.village_id.is_not(None)))))
        session.add(CampaignEvent(campaign_id=campaign.id, office_id=officer.office_id,
                                  actor=f"officer:{officer.id}", kind="lesson",
                                  text=f"{WARNING_LESSON} -> {len(villages)} villages"))
    for village_id in villages:
        broadcasts.create(db, village_id, "lesson", {"lesson": WARNING_LESSON}, telegram_id)
    return len(villages)
