"""The SQLAlchemy 2 models: the bot's own data, never Telegram's cache of it.

One module per feature; importing this package registers every table on `Base.metadata`
(Alembic and the tests rely on that), and callers keep importing models from here.
"""

from bot.core.storage.models.agencies import Agency, AgencyImport
from bot.core.storage.models.base import NAMING, Base, UtcDateTime, utcnow
from bot.core.storage.models.campaigns import (
    CampaignCheck,
    CampaignContact,
    CampaignEvent,
    CampaignText,
    OfferCampaign,
)
from bot.core.storage.models.messaging import (
    Broadcast,
    Campaign,
    Delivery,
    OutboxMessage,
    ProcessedUpdate,
    QuizAnswer,
    QuizPoll,
    StarSpend,
)
from bot.core.storage.models.offices import (
    Invite,
    LinkedGroup,
    Office,
    OfficeEvent,
    Officer,
    OfficeRegion,
    Official,
    TableVersion,
    Village,
)
from bot.core.storage.models.people import (
    ConversationState,
    Person,
    Subscription,
    UnansweredQuestion,
)
from bot.core.storage.models.tips import Tip, TipDraft, TipEvent, TipMedia
from bot.core.storage.models.web import WebLogin, WebSession

__all__ = [
    "NAMING",
    "Agency",
    "AgencyImport",
    "Base",
    "Broadcast",
    "Campaign",
    "CampaignCheck",
    "CampaignContact",
    "CampaignEvent",
    "CampaignText",
    "ConversationState",
    "Delivery",
    "Invite",
    "LinkedGroup",
    "OfferCampaign",
    "Office",
    "OfficeEvent",
    "OfficeRegion",
    "Officer",
    "Official",
    "OutboxMessage",
    "Person",
    "ProcessedUpdate",
    "QuizAnswer",
    "QuizPoll",
    "StarSpend",
    "Subscription",
    "TableVersion",
    "Tip",
    "TipDraft",
    "TipEvent",
    "TipMedia",
    "UnansweredQuestion",
    "UtcDateTime",
    "Village",
    "WebLogin",
    "WebSession",
    "utcnow",
]
