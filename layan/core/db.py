"""Database helpers shared by the apps."""

import fcntl
import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections

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


def rows_prepared(sql: str, params: dict) -> list[tuple]:
    """The rows of a statement run on every request (`%(name)s` parameters), on the driver.

    On PostgreSQL the statement is prepared once per connection: planning such a
    small statement costs the server more than running it (a token read: 363 µs
    planned each time, 135 µs prepared, on the project's machine). Django's cursors
    bind parameters on the client and cannot prepare. SQLite caches its compiled
    statements by itself; there the driver is called directly to skip Django's
    cursor wrapping, which costs a quarter of a small read. Either way the statement
    runs inside Django's transaction state and error mapping but is not in its query
    log.
    """
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` looks the thread's up
    db.ensure_connection()
    with db.wrap_database_errors:
        if db.vendor == "postgresql":
            return _postgres_rows(db.connection, sql, params)
        return db.connection.execute(_sqlite_named(sql, tuple(params)), params).fetchall()


@functools.lru_cache(maxsize=64)
def _sqlite_named(sql: str, names: tuple[str, ...]) -> str:
    return sql % {name: f":{name}" for name in names}


def _postgres_rows(driver, sql: str, params: dict) -> list[tuple]:
    import psycopg  # PostgreSQL only

    if driver.prepare_threshold is None:
        # Django turns the driver's preparing off (for transaction-pooling proxies,
        # which Layan is not set up behind). A threshold nothing reaches prepares
        # only what asks with prepare=True: Django's own cursors never prepare.
        driver.prepare_threshold = 2**31 - 1
    with psycopg.Cursor(driver) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()
