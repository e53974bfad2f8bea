"""Reading an operator's CSV file: every way it can be unreadable becomes one plain line.

Spreadsheet programs save CSV as Windows-1252/latin-1 or UTF-16 as often as UTF-8, and a
pasted cell can exceed the csv module's field limit; each used to end in a traceback.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from pathlib import Path

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class InputError(Exception):
    """The file cannot be read as the import expects; the message is one line."""


@contextlib.contextmanager
def readable_csv(path: Path) -> Iterator[None]:
    """Turn decoding, size and file-system errors inside the block into InputError."""
    try:
        yield
    except UnicodeError as exc:
        raise InputError(f"{path} is not UTF-8 text ({_encoding_hint(path)}); save it again "
                         "as \"CSV UTF-8\"") from exc
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(f"{path}: a field is longer than {csv.field_size_limit():,} "
                             "characters; is it really a CSV file?") from exc
        raise InputError(f"{path} is not a readable CSV file ({exc})") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _encoding_hint(path: Path) -> str:
    try:
        with path.open("rb") as raw:
            start = raw.read(2)
    except OSError:
        return "unknown encoding"
    return "it looks like UTF-16" if start in UTF16_BOMS else "perhaps latin-1 or Windows-1252"
