"""Files the admin commands write: private, complete or absent, never over a file by accident.

Exports and backups hold reporters' stories and identities, so they are created 0600. They are
written to a hidden temporary file beside the target and renamed over it only when the command
succeeded: a failure (or a crash) leaves yesterday's file as it was, and the target is never
truncated first, which once destroyed the live SQLite database that `--out` pointed at. An
existing file is replaced only with `--force`, and the database itself never.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600


class OutputError(Exception):
    """The output file cannot be written; the message is one line for the operator."""


def check_target(target: Path, force: bool, protected: tuple[Path, ...] = ()) -> None:
    """Refuse a missing folder, the database's own files, or an existing file without force."""
    if not target.parent.is_dir():
        raise OutputError(f"the folder {target.parent} does not exist")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give a file name")
    for path in protected:
        if _same(target, path):
            raise OutputError(f"{target} is the bot's database; choose another file name")
    if target.exists() and not force:
        raise OutputError(f"{target} exists; choose a new file name or add --force")


@contextlib.contextmanager
def private_file(target: Path, force: bool, protected: tuple[Path, ...] = ()) -> Iterator[Path]:
    """A temporary 0600 path beside `target`, renamed over it when the block succeeds."""
    check_target(target, force, protected)
    # The suffix is kept last: writers that choose a format by it (the poster) see the same.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{target.suffix}",
                                dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        os.chmod(temporary, PRIVATE)
        yield temporary
        os.chmod(temporary, PRIVATE)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def private_text(target: Path, force: bool,
                 protected: tuple[Path, ...] = ()) -> Iterator[TextIO]:
    """`private_file`, opened as UTF-8 text for the csv module."""
    with private_file(target, force, protected) as temporary, \
            temporary.open("w", encoding="utf-8", newline="") as out:
        yield out


def _same(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve() or (
            first.exists() and second.exists() and first.samefile(second))
    except OSError:
        return False
