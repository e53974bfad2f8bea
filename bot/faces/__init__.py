"""The faces: thin adapters between people and the domain.

A face imports the domain and `bot.core`, never another face; `bot.main` is the one place
that knows them all.
"""
