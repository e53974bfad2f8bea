"""Follow-ups that assume the previous answer: "terus abis itu?", "kalo udah?", "yg kedua gmn".

Alone, such a message names no topic: the NLU reads it as legal_route (the next step of the
procedure is what villagers ask most often) or as out_of_scope. After an answer it means "go
on with that": the bot remembers the last topic it answered in the person's conversation state
(`bot/domain/messaging/conversation_state.py`, in the database, so every bot process sees it,
and forgotten after the state's expiry) and continues from it: the full text when only the
short one was sent; after a single question's entry shown whole, the general answer of its
topic (the step around the question asked); else the topics that follow from it. A follow-up
that names its own topic ("terus biayanya berapa?") keeps the NLU's intent.
"""

from __future__ import annotations

import re

from bot.core.i18n import _
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import CONFIDENT, Understood, answer_reply, entry_reply
from bot.domain.answers.retrieval import split_label
from bot.domain.replies import Button, Reply
from nlu.normalize import normalize

LAST = "last_answer"  # the key in the person's conversation state
MAX_WORDS = 6  # longer messages carry their own question
NO_TOPIC = frozenset({"greet", "goodbye", "thanks", "bot_help", "out_of_scope"})
ADDRESS = frozenset("kak min pak bu bang mas mbak dik om bro sis admin".split())
_MARKER = re.compile(
    r"^(?:terus|lalu|kemudian|habis itu|setelah itu|sesudah itu|selanjutnya|berikutnya"
    r"|lanjut\w*|next|kalau sudah|kalau begitu|yang (?:kedua|ketiga|keempat|berikutnya"
    r"|selanjutnya|lain)|langkah (?:kedua|ketiga|berikutnya|selanjutnya))(?!\w)")
_WORD = re.compile(r"\w")
# After the opening marker, a follow-up asks something ("kalo udah daftar, terus ngapain?") or
# says nothing more ("terus abis itu"); "kalo udah sore pulang" or "habis itu saya tidur" tell
# something instead, and continuing the passport answer there puzzles the villager.
_FILLER = frozenset("itu ini lagi dong ya yah nih sih deh aja saja nya habis setelah sesudah "
                    "terus lalu kemudian selanjutnya berikutnya".split()) | ADDRESS
_ASKS = frozenset("bagaimana gimana apa apaan apalagi ngapain kemana dimana mana kapan berapa "
                  "siapa bisa boleh harus perlu wajib langkah".split())


def is_follow_up(text: str) -> bool:
    """A short message that opens with "terus", "abis itu", "kalo udah", "yg kedua"...."""
    words = [w for w in normalize(text).split() if _WORD.search(w)]
    while words and words[0] in ADDRESS:
        words = words[1:]
    marker = _MARKER.match(" ".join(words))
    if not marker or not 0 < len(words) <= MAX_WORDS:
        return False
    rest = set(" ".join(words)[marker.end():].split()) - _FILLER
    return not rest or "?" in text or bool(rest & _ASKS)


def remember(state: dict, reply: Reply) -> None:
    """Note the topic of an answer just sent (nothing for greetings, menus or actions)."""
    if reply.intent is None or reply.intent in NO_TOPIC or reply.action is not None:
        return
    more = any(b.data.startswith(("full:", "entry:")) for row in reply.buttons for b in row)
    state[LAST] = {"intent": reply.intent, "entry": reply.meta.get("entry"), "full": not more}


def continuing(understood: Understood, text: str, book: AnswerBook,
               last: object) -> Reply | None:
    """The reply that continues the last answer, or None when the message is not a follow-up."""
    if not isinstance(last, dict) or last.get("intent") not in book or not is_follow_up(text):
        return None
    if understood.intent not in ("legal_route", "out_of_scope") \
            and understood.confidence >= CONFIDENT:
        return None  # "terus biayanya berapa": a question of its own
    intent = str(last["intent"])
    entry = split_label(str(last.get("entry") or ""))[1]
    if not last.get("full"):
        if entry and book.entry(intent, entry):
            return entry_reply(book, intent, entry, full=True)
        return answer_reply(book, intent, full=True)
    if entry and book.entry(intent, entry):
        return answer_reply(book, intent)  # one question answered: now the topic as a whole
    return what_next(book, intent)


def what_next(book: AnswerBook, intent: str) -> Reply:
    """After the whole answer: say so, and offer the related topics and the menu."""
    answer = book[intent]
    buttons = [Button(book[r].title, f"ans:{r}") for r in answer.related if r in book]
    buttons.append(Button(_("Menu"), "menu"))
    rows = tuple(tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2))
    text = _("That was everything I have on \"{topic}\". What would you like to know next? "
             "Choose a topic below or type your question.").format(topic=answer.title)
    return Reply(text, rows, (), intent)
