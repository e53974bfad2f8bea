"""The Telegram face.

The Application and its handlers, the Bot API client, the webhook server, per-person
ordering, rate limiting and pacing, the background senders, and the local console.
"""
