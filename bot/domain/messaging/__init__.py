"""Sending and receiving reliably.

The outbox of messages to deliver, and the claims that make each incoming update handled
once.
"""
