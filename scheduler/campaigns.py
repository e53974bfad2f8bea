"""When a campaign should run, in its village's own time zone.

Schedules live in our tables, not in an APScheduler job store (python-telegram-bot's job
wrapper cannot be pickled); APScheduler's CronTrigger computes the fire times. A run missed
while the bot was down is made up once if it is within the grace period, otherwise skipped
and logged: villagers never get a burst of stale quizzes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Schedule:
    """A campaign's weekly slot."""

    weekday: int
    hour: int
    minute: int
    timezone: str

    def trigger(self) -> CronTrigger:
        """The APScheduler trigger for this slot."""
        return CronTrigger(day_of_week=WEEKDAYS[self.weekday], hour=self.hour,
                           minute=self.minute, timezone=ZoneInfo(self.timezone))


def last_fire_before(schedule: Schedule, now: datetime) -> datetime:
    """The most recent scheduled moment at or before `now`."""
    trigger = schedule.trigger()
    start = now - timedelta(days=8)
    fire = trigger.get_next_fire_time(None, start)
    previous = fire
    while fire is not None and fire <= now:
        previous = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return previous


def next_fire_after(schedule: Schedule, now: datetime) -> datetime:
    """The next scheduled moment after `now`."""
    return schedule.trigger().get_next_fire_time(None, now + timedelta(seconds=1))


def due_run(schedule: Schedule, created_at: datetime, last_run: datetime | None,
            now: datetime, grace: timedelta) -> datetime | None:
    """The slot to run now, or None; a slot older than `grace` is skipped (and logged)."""
    slot = last_fire_before(schedule, now)
    if slot is None or slot <= (last_run or created_at):
        return None
    if now - slot > grace:
        log.warning("campaign slot %s missed by %s (grace %s): skipped", slot.isoformat(),
                    now - slot, grace)
        return None
    return slot
