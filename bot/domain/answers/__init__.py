"""Answering villagers' questions.

The answer book, retrieval over question variants, the conversation, unanswered questions.
"""
