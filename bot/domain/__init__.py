"""The domain: what the bot knows and decides, by feature, with no `telegram` import and no face.

Every face (Telegram, the command line, the web) calls these functions; one implementation
of each action (claim, close, escalate, approve, ...) serves them all.
"""
