"""The database: SQLAlchemy 2 models, engine and sessions, and the Alembic migrations.

Storage imports no domain or face module: features build on it, not the other way round.
"""
