"""One tick of the scheduler: release scheduled lessons and start due campaign runs.

The tick takes `now` as an argument, so tests drive the clock instead of sleeping.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.core.storage.models import Campaign, Village
from bot.core.storage.session import Database
from bot.domain.programme import broadcasts
from bot.domain.programme.library import Library
from scheduler.campaigns import Schedule, due_run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickResult:
    """What a tick started."""

    released: list[int]
    campaign_broadcasts: list[int]  # one broadcast per quiz question

    @property
    def anything(self) -> bool:
        """True when there is something new to deliver."""
        return bool(self.released or self.campaign_broadcasts)


def tick(db: Database, library: Library, now: datetime, grace: timedelta) -> TickResult:
    """Do what is due at `now`."""
    released = broadcasts.release_scheduled(db, now)
    started = []
    for campaign_id, slot in _due_campaigns(db, now, grace):
        started += _run_campaign(db, library, campaign_id, slot)
    return TickResult(released, started)


def _due_campaigns(db: Database, now: datetime, grace: timedelta) -> list[tuple[int, datetime]]:
    due = []
    with db.session() as session:
        rows = session.execute(select(Campaign, Village.timezone).join(
            Village, Campaign.village_id == Village.id).where(Campaign.active.is_(True))).all()
        for campaign, zone in rows:
            schedule = Schedule(campaign.weekday, campaign.hour, campaign.minute, zone)
            slot = due_run(schedule, _utc(campaign.created_at), _utc(campaign.last_run_at),
                           now, grace)
            campaign.last_run_at = now  # a slot skipped as too old is not made up later
            if slot is not None:
                due.append((campaign.id, slot))
    return due


def _run_campaign(db: Database, library: Library, campaign_id: int,
                  slot: datetime) -> list[int]:
    with db.session() as session:
        campaign = session.get(Campaign, campaign_id)
        village_id, count, topic = campaign.village_id, campaign.questions, campaign.topic
        creator = campaign.created_by
    questions = [q.id for q in library.pick(count, topic)]
    log.info("campaign %s: %d question(s) for the %s slot", campaign_id, len(questions),
             slot.isoformat())
    return [broadcasts.create(db, village_id, "quiz", {"question": q}, creator,
                              campaign_id=campaign_id) for q in questions]


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
