"""Give memory freed while loading back to the system (glibc only; elsewhere nothing)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)


def release_free_memory() -> None:
    """Return the heap pages start-up freed (building indexes, training counts) to the system.

    glibc keeps freed memory for later allocations; after loading the content, the model and
    the village list, tens of megabytes of counting tables are free but still counted in the
    process's resident memory, on every bot process of a deployment. `malloc_trim` hands them
    back; it moves nothing that is in use.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
    except OSError:
        trim = None
    if trim is None:
        log.debug("no malloc_trim here (not glibc): freed memory stays with the process")
        return
    trim(0)
