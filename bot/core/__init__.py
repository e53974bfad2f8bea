"""Shared plumbing every layer may use.

Shared plumbing every layer may use: configuration, logging, paths, i18n, formatting,
and the database (`storage`). Nothing here knows a feature or a face.
"""
