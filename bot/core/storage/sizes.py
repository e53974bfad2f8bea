"""Column sizes enforced the same way on SQLite and PostgreSQL, before the database sees it.

PostgreSQL refuses a VARCHAR(n) value longer than n with an error that names neither the
field nor the limit in words; SQLite keeps it silently, so a bug shows only in production.
Every ORM insert and update checks its String columns here and raises `ValueTooLong`, which
each face turns into a plain sentence.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Mapper


class ValueTooLong(ValueError):
    """A text is longer than its column; the message names the column and the limit."""

    def __init__(self, column: str, limit: int) -> None:
        super().__init__(f"{column} is longer than {limit} characters")
        self.column, self.limit = column, limit


def check_sizes(mapper: Mapper, _connection: Any, target: Any) -> None:
    """Raise ValueTooLong for the first String column whose value does not fit."""
    state = inspect(target)
    for column in mapper.columns:
        limit = getattr(column.type, "length", None)
        if not isinstance(column.type, String) or not limit:
            continue
        key = mapper.get_property_by_column(column).key
        value = state.dict.get(key)
        if isinstance(value, str) and len(value) > limit:
            raise ValueTooLong(f"{mapper.local_table.name}.{column.name}", limit)


def install(base: type) -> None:
    """Check every mapped class derived from `base`."""
    for name in ("before_insert", "before_update"):
        if not event.contains(base, name, check_sizes):
            event.listen(base, name, check_sizes, propagate=True)
