"""The early warning: a campaign that grows fast alerts its office, once.

"Fast" is configurable (CAMPAIGN_ALERT_TEXTS texts from CAMPAIGN_ALERT_VILLAGES villages within
CAMPAIGN_ALERT_HOURS). Each office whose villages the campaign reached is alerted once per
campaign: the `alerted` audit event is the record, and the outbox's dedupe key stops a second
copy even if two texts arrive together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.config import Settings
from bot.core.storage.models import (
    CampaignContact,
    CampaignEvent,
    CampaignText,
    OfferCampaign,
    Office,
    Officer,
    Village,
)
from bot.domain.campaigns.texts import CampaignView, alert_reply
from bot.domain.messaging.outbox import enqueue

RISK_ORDER = {"high": 3, "medium": 2, "low": 1, "": 0}
SAMPLES = 3
DEFAULT_ZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class Thresholds:
    """How many texts from how many villages within how many hours raise an alert."""

    texts: int = 5
    villages: int = 3
    hours: float = 72.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        """The configured thresholds."""
        return cls(settings.campaign_alert_texts, settings.campaign_alert_villages,
                   settings.campaign_alert_hours)


def alert_if_fast(session: Session, campaign: OfferCampaign, now: datetime,
                  thresholds: Thresholds) -> bool:
    """Queue the alert for every office the campaign just crossed the thresholds in."""
    if campaign.status in {"legitimate", "confirmed"}:
        return False
    since = now - timedelta(hours=thresholds.hours)
    rows = session.execute(
        select(CampaignText.office_id, func.count(CampaignText.id),
               func.count(func.distinct(CampaignText.village_id)))
        .where(CampaignText.campaign_id == campaign.id, CampaignText.created_at >= since,
               CampaignText.office_id.is_not(None))
        .group_by(CampaignText.office_id))
    alerted = False
    for office_id, texts, villages in list(rows):
        if texts < thresholds.texts or villages < thresholds.villages:
            continue
        if session.scalar(select(CampaignEvent.id).where(
                CampaignEvent.campaign_id == campaign.id, CampaignEvent.office_id == office_id,
                CampaignEvent.kind == "alerted")):
            continue
        session.add(CampaignEvent(campaign_id=campaign.id, office_id=office_id, actor="system",
                                  kind="alerted", text=f"{texts} texts, {villages} villages"))
        reply = alert_reply(view(session, campaign.id, office_id), thresholds.hours)
        for chat_id in office_chats(session, office_id):
            enqueue(session, f"campaign:{campaign.id}:alert:{office_id}:{chat_id}", chat_id,
                    reply)
        alerted = True
    return alerted


def office_chats(session: Session, office_id: int) -> list[int]:
    """The office's group, or its active officers when it has no group."""
    office = session.get(Office, office_id)
    if office and office.group_chat_id:
        return [office.group_chat_id]
    return list(session.scalars(select(Officer.telegram_id).where(
        Officer.office_id == office_id, Officer.active.is_(True))))


def view(session: Session, campaign_id: int, office_id: int | None) -> CampaignView:
    """A campaign as officers of one office see it (their own villages' texts)."""
    return views(session, [campaign_id], office_id)[0]


def views(session: Session, campaign_ids: list[int], office_id: int | None
          ) -> list[CampaignView]:
    """Several campaigns as one office sees them, in three queries whatever their number.

    The dashboard's list shows 50 campaigns; one `view` each cost 150 round trips.
    """
    campaigns = {c.id: c for c in session.scalars(
        select(OfferCampaign).where(OfferCampaign.id.in_(campaign_ids)))}
    query = select(CampaignText).where(CampaignText.campaign_id.in_(campaign_ids))
    if office_id is not None:
        query = query.where(CampaignText.office_id == office_id)
    texts: dict[int, list[CampaignText]] = {i: [] for i in campaign_ids}
    for text in session.scalars(query.order_by(CampaignText.id)):
        texts[text.campaign_id].append(text)
    village_ids = {t.village_id for rows in texts.values() for t in rows if t.village_id}
    places = {i: (name, zone) for i, name, zone in session.execute(
        select(Village.id, Village.name, Village.timezone).where(Village.id.in_(village_ids)))}
    contacts: dict[int, list[str]] = {i: [] for i in campaign_ids}
    for campaign_id, kind, value in session.execute(
            select(CampaignContact.campaign_id, CampaignContact.kind, CampaignContact.value)
            .where(CampaignContact.campaign_id.in_(campaign_ids)).order_by(CampaignContact.id)):
        contacts[campaign_id].append(f"{kind}:{value}")
    return [_view(campaigns[i], texts[i], places, contacts[i]) for i in campaign_ids]


def _view(campaign: OfferCampaign, texts: list[CampaignText],
          places: dict[int, tuple[str, str]], contacts: list[str]) -> CampaignView:
    reached = [places[v] for v in dict.fromkeys(t.village_id for t in texts) if v in places]
    samples = list(dict.fromkeys(t.text for t in texts))[:SAMPLES]
    risk = max((t.risk for t in texts), key=lambda r: RISK_ORDER.get(r, 0), default="")
    return CampaignView(
        id=campaign.id, status=campaign.status, texts=len(texts),
        checks=sum(t.source == "check" for t in texts), tips=sum(t.source == "tip" for t in texts),
        villages=tuple(sorted(name for name, _ in reached)),
        unknown_village=sum(t.village_id is None for t in texts),
        contacts=tuple(contacts), samples=tuple(samples), risk=risk,
        first_seen=min((t.created_at for t in texts), default=campaign.first_seen),
        last_seen=max((t.created_at for t in texts), default=campaign.last_seen),
        zone=reached[0][1] if reached else DEFAULT_ZONE)
