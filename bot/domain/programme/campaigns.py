"""A village's weekly quiz campaigns: list, pause, resume and stop them.

A weekly `/kampanye` could be created but never listed or stopped, so a wrong time kept
sending quizzes every week. Every change re-checks on the server that the person manages
the campaign's village (the buttons' data can be forged).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update

from bot.core.i18n import _
from bot.core.storage.models import Broadcast, Campaign
from bot.core.storage.session import Database
from bot.domain.people.roles import manages
from bot.domain.replies import Button, Reply

ACTIONS = ("pause", "resume", "stop")


@dataclass(frozen=True)
class CampaignRow:
    """One campaign as the official sees it."""

    id: int
    weekday: int
    hour: int
    minute: int
    questions: int
    topic: str | None
    active: bool


def _row(campaign: Campaign) -> CampaignRow:
    return CampaignRow(campaign.id, campaign.weekday, campaign.hour, campaign.minute,
                       campaign.questions, campaign.topic, bool(campaign.active))


def village_campaigns(db: Database, village_id: int) -> list[CampaignRow]:
    """The village's campaigns, oldest first."""
    with db.session() as session:
        return [_row(c) for c in session.scalars(select(Campaign).where(
            Campaign.village_id == village_id).order_by(Campaign.id))]


def change(db: Database, telegram_id: int, campaign_id: int, action: str
           ) -> tuple[int, CampaignRow | None] | None:
    """Pause, resume or stop; (village id, the campaign after it or None when stopped).

    None when the campaign does not exist or the person may not manage its village. A
    stopped campaign is deleted; the quizzes it already sent stay, without the link to it.
    """
    if action not in ACTIONS:
        return None
    with db.session() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or not manages(session, telegram_id, campaign.village_id):
            return None
        village_id = campaign.village_id
        if action == "stop":
            session.execute(update(Broadcast).where(Broadcast.campaign_id == campaign_id)
                            .values(campaign_id=None))
            session.execute(delete(Campaign).where(Campaign.id == campaign_id))
            return village_id, None
        campaign.active = action == "resume"
        session.flush()
        return village_id, _row(campaign)


WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def describe(row: CampaignRow, zone_label: str) -> str:
    """"setiap Jumat pukul 19.00 WIB, 5 soal" in words."""
    return _("every {day} at {hour:02d}.{minute:02d} {zone}, {count} questions{topic}").format(
        day=WEEKDAYS[row.weekday], hour=row.hour, minute=row.minute, zone=zone_label,
        count=row.questions, topic=f" ({row.topic})" if row.topic else "")


def campaigns_reply(village: str, zone_label: str, rows: list[CampaignRow]) -> Reply:
    """The list with a pause/resume and a stop button for each campaign."""
    if not rows:
        return Reply(_("{village} has no weekly quiz yet. Set one with, for example: "
                       "/kampanye tiap Jumat jam 7 malam 5").format(village=village))
    lines = [_("Weekly quizzes of {village}:").format(village=village)]
    buttons = []
    for number, row in enumerate(rows, 1):
        state = _("running") if row.active else _("paused")
        lines.append(f"{number}. {describe(row, zone_label)} - {state}")
        toggle = Button(_("Pause {n}").format(n=number), f"kc:pause:{row.id}") if row.active \
            else Button(_("Resume {n}").format(n=number), f"kc:resume:{row.id}")
        buttons.append((toggle, Button(_("Stop {n}").format(n=number), f"kc:stop:{row.id}")))
    lines.append(_("A new one: /kampanye tiap Jumat jam 7 malam 5"))
    return Reply("\n".join(lines), tuple(buttons))
