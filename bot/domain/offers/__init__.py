"""Job-offer checking.

Extracting facts from an offer, the red-flag rules, the assessment and its answer.
"""
