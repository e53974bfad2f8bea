"""Telegram handlers, one module per feature.

Each parses the update, calls the domain and renders the reply.
"""
