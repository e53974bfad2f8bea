"""Background senders: drain the outbox and the broadcast deliveries into Telegram."""
