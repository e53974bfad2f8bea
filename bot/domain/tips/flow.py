"""The guided reporting conversation as a small state machine, stored in the database.

A villager may stop halfway (the phone dies, the bot restarts): the draft stays and /lapor
offers to continue. Every step but the first can be skipped, and /batal cancels.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from bot.core.i18n import _
from bot.core.storage.models import TipDraft, utcnow
from bot.core.storage.session import Database
from bot.domain.replies import Button, Reply
from bot.domain.tips import guesses
from bot.domain.tips.answers import TipAnswers

STEPS = ("story", "offer", "recruiter", "destination", "at_risk", "timing", "village",
         "consent", "confirm")
# An emergency asks three short questions and is sent right after the last one ("e_send").
EMERGENCY_STEPS = ("e_where", "e_contact", "e_now", "e_send")
ACTIVE_FOR = timedelta(minutes=30)
MAX_TEXT = 3000
MAX_MEDIA = 10
MAX_FILE_BYTES = 20 * 1024 * 1024  # bots cannot fetch larger files from Telegram anyway


@dataclass(kw_only=True)
class Draft(TipAnswers):
    """The answers collected so far, and where the conversation is."""

    telegram_id: int
    step: str = "story"
    village_name: str = ""
    urgent: bool = False
    media: list[list[str]] = field(default_factory=list)
    updated_at: datetime | None = None
    village_remembered: bool = False  # known before the report began: its step is not asked
    emergency: bool = False
    location: str = ""  # emergency: where the person is now
    contact: str = ""  # emergency: how to reach them or their family
    paused: bool = False  # a command came between: typed text is not its answer until resumed
    guessed: list[str] = field(default_factory=list)  # steps whose answer the story gave

    def advance(self, skip_village: bool) -> None:
        """Go to the next step (the village step is skipped when already known)."""
        if self.step in EMERGENCY_STEPS:
            index = EMERGENCY_STEPS.index(self.step) + 1
            self.step = EMERGENCY_STEPS[min(index, len(EMERGENCY_STEPS) - 1)]
            return
        index = STEPS.index(self.step) + 1
        self.step = STEPS[min(index, len(STEPS) - 1)]
        if self.step == "village" and skip_village:
            self.step = "consent"


class _DraftHolders:
    """Who has a draft, kept in memory so most messages skip a database query.

    Every private message is first checked for a report being written; almost nobody is
    writing one. Drafts are created only by the bot (`save`), so the set, read once from
    the database, stays complete while the bot runs. An id that stays in the set after its
    draft was sent or purged only costs one query.
    """

    def __init__(self) -> None:
        self._by_db: weakref.WeakKeyDictionary[Database, set[int]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def known(self, db: Database) -> set[int] | None:
        """The ids with a draft, or None before the first database read."""
        return self._by_db.get(db)

    def load(self, db: Database) -> set[int]:
        """Read the ids once per database."""
        with self._lock:
            if db not in self._by_db:
                with db.session() as session:
                    self._by_db[db] = set(session.scalars(select(TipDraft.telegram_id)))
            return self._by_db[db]


_holders = _DraftHolders()


def may_have_draft(db: Database, telegram_id: int) -> bool:
    """False only when this person certainly has no draft (no query needed)."""
    known = _holders.known(db)
    return known is None or telegram_id in known


def load(db: Database, telegram_id: int) -> Draft | None:
    """The person's draft, if any."""
    with db.session() as session:
        row = session.scalar(select(TipDraft).where(TipDraft.telegram_id == telegram_id))
        if row is None:
            return None
        data = json.loads(row.data)
        updated = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
        return Draft(**{**data, "telegram_id": telegram_id, "step": row.step,
                        "updated_at": updated})


def active(db: Database, telegram_id: int, now: datetime | None = None) -> Draft | None:
    """The draft when it was touched recently and not paused; others wait for /lapor."""
    if telegram_id not in _holders.load(db):
        return None
    draft = load(db, telegram_id)
    if draft is None or draft.updated_at is None or draft.paused:
        return None
    return draft if (now or utcnow()) - draft.updated_at <= ACTIVE_FOR else None


def pause(db: Database, telegram_id: int) -> bool:
    """Stop taking typed text as the report's answers; True when a report was being written.

    After /start or /menu in the middle of an emergency report, "mau ikut pelajaran desa"
    became where the person is held and the next two words its other answers, and an
    urgent alert of nonsense went out. A paused report resumes with /lapor or its buttons.
    """
    draft = active(db, telegram_id)
    if draft is None:
        return False
    draft.paused = True
    save(db, draft)
    return True


def save(db: Database, draft: Draft) -> None:
    """Store the draft (insert or update)."""
    data = {k: v for k, v in asdict(draft).items()
            if k not in {"telegram_id", "step", "updated_at"}}
    with db.session() as session:
        row = session.scalar(select(TipDraft).where(TipDraft.telegram_id == draft.telegram_id))
        if row is None:
            row = TipDraft(telegram_id=draft.telegram_id)
            session.add(row)
        row.step, row.data, row.updated_at = draft.step, json.dumps(data), utcnow()
    _holders.load(db).add(draft.telegram_id)


def discard(db: Database, telegram_id: int) -> bool:
    """Delete the draft; True when there was one."""
    with db.session() as session:
        return bool(session.execute(delete(TipDraft).where(
            TipDraft.telegram_id == telegram_id)).rowcount)


STORY_DETAILS = (
    re.compile(r"\d[\d .-]{7,}\d"),  # a phone number
    re.compile(r"\b(?:namanya|bernama|nama(?:nya)? dia|pak|bu|mas|mbak|bang|om)\s+[a-z]", re.I),
    re.compile(r"\b(?:pt|cv)\.?\s+\w", re.I),  # a company
    re.compile(r"\b\d+\s*(?:juta|jt|ribu|rb|usd|dolar|ringgit|baht)\b|\brp\.?\s*\d", re.I),
    re.compile(r"\b(?:kamboja|cambodia|myanmar|thailand|bangkok|malaysia|laos|vietnam|filipina|"
               r"dubai|taiwan|hong ?kong|jepang|korea|arab)\b", re.I),
)


def tells_a_story(text: str) -> bool:
    """True when a message already tells what happened (two concrete details or more).

    "mau lapor calo" asks to report and gets the first question; "ada calo namanya Pak
    Joko, kerja di Kamboja, WA 0812..." was asked "(1/8) Apa yang terjadi?" again.
    """
    return sum(1 for pattern in STORY_DETAILS if pattern.search(text)) >= 2


def accept_text(draft: Draft, text: str) -> str | None:
    """Store typed text for the current step; returns an error word or None."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        return "too_long"
    if draft.step == "story":
        if len(text) < 5:
            return "too_short"
        draft.story = text
        guess_from_story(draft)
    elif draft.step == "offer":
        draft.offer_text = (draft.offer_text + "\n" + text).strip()[:MAX_TEXT]
        return None  # more may follow; "Selesai" moves on
    elif draft.step in {"recruiter", "destination"}:
        setattr(draft, draft.step, text[:500])
        draft.guessed = [step for step in draft.guessed if step != draft.step]
    elif draft.step in {"e_where", "e_contact"}:
        setattr(draft, "location" if draft.step == "e_where" else "contact", text[:500])
    elif draft.step == "e_now":
        draft.story = text
    else:
        return "use_buttons"
    return None


def guess_from_story(draft: Draft) -> None:
    """Fill the recruiter and destination the story names (still shown, to confirm)."""
    for step, value in guesses.from_story(draft.story).items():
        if not getattr(draft, step):
            setattr(draft, step, value)
            draft.guessed.append(step)


def clear_guess(draft: Draft) -> bool:
    """"Not right": forget the current step's guess and ask it plainly; False if none."""
    if draft.step not in draft.guessed:
        return False
    setattr(draft, draft.step, "")
    draft.guessed.remove(draft.step)
    return True


def accept_media(draft: Draft, kind: str, file_id: str, caption: str,
                 size: int | None = None) -> str | None:
    """Attach a screenshot or document while the offer is being collected."""
    if draft.step not in {"story", "offer"}:
        return "not_now"
    if size is not None and size > MAX_FILE_BYTES:
        return "too_big"
    if len(draft.media) >= MAX_MEDIA:
        return "too_many"
    draft.media.append([kind, file_id, caption[:1000]])
    if draft.step == "story":  # a screenshot first: it tells what happened
        draft.story = caption[:MAX_TEXT]
        draft.step = "offer"
    return None


CHOICES = {
    "at_risk": ("self", "family", "neighbour", "other"),
    "timing": ("soon", "abroad", "none", "unknown"),
    "consent": ("no", "yes"),
}


def accept_choice(draft: Draft, value: str) -> bool:
    """Store a button choice for the current step; False when it does not belong here."""
    if value not in CHOICES.get(draft.step, ()):
        return False
    if draft.step == "consent":
        draft.consent = value == "yes"
    else:
        setattr(draft, draft.step, value)
    return True


def prompt(draft: Draft) -> Reply:
    """The question for the current step, with its buttons.

    Buttons keep their places on every step: the step's own choices first, then "Skip" (or
    "Done") where a step may be left out, and "Cancel report" always alone in the last row
    (a report was cancelled by pressing where "Skip" had been a step before).
    """
    skip = (Button(_("Skip"), "tf:skip"),)
    cancel = (Button(_("Cancel report"), "tf:cancel"),)
    number = _step_number(draft)
    if draft.step in EMERGENCY_STEPS:
        return _emergency_prompt(draft, skip, cancel)
    if draft.step == "story":
        return Reply(_("Report a suspicious offer ({n}). What happened? Tell it in your own "
                       "words. You can also send a screenshot. Type /batal to cancel.").format(
            n=number), (cancel,))
    if draft.step == "offer":
        return _offer_prompt(draft, number, cancel)
    if draft.step in draft.guessed:
        return _guess_prompt(draft, number, cancel)
    if draft.step == "recruiter":
        return Reply(_("({n}) Who offered it? A name, account or phone number of the "
                       "recruiter, if you know.").format(n=number), (skip, cancel))
    if draft.step == "destination":
        return Reply(_("({n}) To which country or city would the work be?").format(n=number),
                     (skip, cancel))
    if draft.step == "at_risk":
        return Reply(_("({n}) Who received the offer?").format(n=number),
                     (*_choice_rows("at_risk"), skip, cancel))
    if draft.step == "timing":
        return Reply(_("({n}) Is someone leaving soon or already abroad?").format(n=number),
                     (*_choice_rows("timing"), skip, cancel))
    if draft.step == "village":
        return Reply(_("({n}) Type the name of your village (desa/kelurahan).").format(
            n=number), (skip, cancel))
    if draft.step == "consent":
        return Reply(_("({n}) May the officers see who you are (your Telegram name)? If you "
                       "choose No, your identity stays hidden; the bot passes messages between "
                       "you and the officer.").format(n=number),
                     (*_choice_rows("consent"), cancel))
    return confirm_prompt(draft)


def _offer_prompt(draft: Draft, number: str, cancel: tuple[Button, ...]) -> Reply:
    """Ask for the offer, unless the one just checked is attached: pasting it again is a chore."""
    done = (Button(_("Done"), "tf:skip"),)
    if draft.offer_text:
        return Reply(_("({n}) The offer you had checked is already attached to this report. "
                       "Have screenshots or more messages from the recruiter? Send them now, "
                       "or press Done.").format(n=number), (done, cancel))
    return Reply(_("({n}) Send the offer itself if you have it: paste or forward the text, "
                   "or send screenshots or documents. Press Done when finished.").format(
        n=number), (done, cancel))


def _guess_prompt(draft: Draft, number: str, cancel: tuple[Button, ...]) -> Reply:
    """The recruiter or destination the story named: one tap to confirm, or type it."""
    question = (_("Who offered it?") if draft.step == "recruiter"
                else _("To which country or city would the work be?"))
    text = _("({n}) {question} From your story: {guess}\nPress \"That's right\", or type "
             "the correct answer.").format(n=number, question=question,
                                           guess=getattr(draft, draft.step))
    # "go on" keeps its place right above "Cancel report", as on every step
    return Reply(text, ((Button(_("Not right"), "tf:clear"),),
                        (Button(_("That's right"), "tf:skip"),), cancel))


def _step_number(draft: Draft) -> str:
    """"3/8", or "3/7" when the village was known before (it jumped from 6/8 to 8/8)."""
    steps = [s for s in STEPS[:-1] if s != "village" or not draft.village_remembered]
    if draft.step not in steps:
        return ""
    return f"{steps.index(draft.step) + 1}/{len(steps)}"


def _emergency_prompt(draft: Draft, skip: tuple[Button, ...],
                      cancel: tuple[Button, ...]) -> Reply:
    """The three short emergency questions; the report goes out after the third."""
    if draft.step == "e_where":
        return Reply(_("(1/3) Where is the person now? Country, city, the name of the place "
                       "or company if you know it."), (skip, cancel))
    if draft.step == "e_contact":
        return Reply(_("(2/3) How can the officers reach them or their family? A phone "
                       "number or an account."), (skip, cancel))
    return Reply(_("(3/3) What is happening now? A few words are enough; the officers are "
                   "alerted as soon as you send it."),
                 ((Button(_("Send now"), "tf:skip"),), cancel))


def _choice_labels() -> dict[str, str]:
    return {
        "self": _("Me"), "family": _("My family"), "neighbour": _("A neighbour"),
        "other": _("Someone else"), "soon": _("Leaving within days"),
        "abroad": _("Already abroad"), "none": _("Not leaving yet"), "unknown": _("Don't know"),
        "yes": _("Yes, they may"), "no": _("No, keep me anonymous"),
    }


def _choice_rows(step: str) -> tuple[tuple[Button, ...], ...]:
    labels = _choice_labels()
    buttons = [Button(labels[v], f"tf:{step}:{v}") for v in CHOICES[step]]
    return tuple(tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2))


def confirm_prompt(draft: Draft) -> Reply:
    """The summary before sending, with every answer given.

    Who was offered the job and when they leave were asked, then left out of it, so the
    villager could not check them.
    """
    none = _("(not given)")
    labels = _choice_labels()
    lines = [
        _("Please check your report:"),
        _("What happened: {text}").format(text=_short(draft.story) or none),
        _("Offer: {text}").format(text=_short(draft.offer_text) or none) +
        (f" (+{len(draft.media)} " + _("files") + ")" if draft.media else ""),
        _("Recruiter: {text}").format(text=draft.recruiter or none),
        _("Destination: {text}").format(text=draft.destination or none),
        _("Offered to: {answer}").format(answer=labels.get(draft.at_risk, none)),
        _("Leaving: {answer}").format(answer=labels.get(draft.timing, none)),
        _("Village: {text}").format(text=draft.village_name or none),
        _("Identity shared with officers: {answer}").format(
            answer=_("yes") if draft.consent else _("no")),
    ]
    return Reply("\n".join(lines), ((Button(_("Send report"), "tf:send"),),
                                    (Button(_("Cancel report"), "tf:cancel"),)))


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."
