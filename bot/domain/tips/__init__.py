"""Villagers' tips about recruiters.

The report flow, submission, triage by officers, tip records and their texts.
"""
