"""Scheduled lessons and quiz campaigns: APScheduler triggers over our own tables."""
