"""Database helpers shared by the apps."""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_lock_files: dict[str, int] = {}


@contextmanager
def sqlite_writer() -> Iterator[None]:
    """Queue this process's short write behind the others' in the kernel (SQLite only).

    SQLite lets one writer in at a time and makes the others retry after sleeping
    1, 2, 5… ms; frequent tiny writes from several workers (the lookup log) then
    wait in those sleeps far longer than the writes take. A file lock wakes the
    next writer the moment the previous one is done. On PostgreSQL it does nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        yield  # an in-memory database lives in one process: nothing to queue behind
        return
    handle = _lock_files.get(name)
    if handle is None:
        # Kept open for the life of the process; one descriptor per database file.
        handle = _lock_files[name] = os.open(f"{name}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
