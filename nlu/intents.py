"""The 24 intents of the NLU contract (nlu/README.md); names are a fixed interface."""

INTENTS: tuple[str, ...] = (
    "greet", "goodbye", "thanks", "bot_help", "legal_route", "pmi_requirements",
    "passport_info", "agency_check", "offer_check", "scam_signs", "country_info", "visa_info",
    "costs_fees", "training_info", "report_tip", "emergency_help", "contact_info",
    "trafficking_info", "worker_rights", "migration_stats", "quiz_start", "subscribe",
    "unsubscribe", "out_of_scope",
)
ENTITIES: tuple[str, ...] = ("country", "amount", "phone", "organization")
FEATURE_INTENTS = frozenset(
    {"offer_check", "agency_check", "report_tip", "quiz_start", "subscribe", "unsubscribe"}
)
