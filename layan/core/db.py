"""Database helpers shared by the apps."""

import fcntl
import functools
import operator
import os
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

# Per SQLite database file, a descriptor of its writer lock file, kept open for the
# life of the process; None for a database with nothing to queue behind.
_writer_locks: dict[str, int | None] = {}


def write_prepared(sql: str, params: dict, db: BaseDatabaseWrapper | None = None) -> int:
    """A short write made on every request (`%(name)s` parameters); the rows it wrote.

    Like rows_prepared, on the driver (prepared on PostgreSQL). On SQLite the
    write is queued behind the other processes' in the kernel: SQLite lets one
    writer in at a time and makes the others retry after sleeping 1, 2, 5… ms, so
    frequent tiny writes from several workers (the lookup log) would wait in those
    sleeps far longer than the writes take; a file lock wakes the next writer the
    moment the previous one is done. The row count comes from the driver, not a
    RETURNING clause, which cost SQLite a third of the INSERT (56 against 42 µs).
    """
    db = db or connections[DEFAULT_DB_ALIAS]
    lock = _writer_lock(db) if db.vendor == "sqlite" else None
    if lock is None:
        return _run(db, sql, params, _COUNT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        return _run(db, sql, params, _COUNT)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)


def _writer_lock(db: BaseDatabaseWrapper) -> int | None:
    name = str(db.settings_dict["NAME"])
    if name not in _writer_locks:
        # An in-memory database lives in one process: nothing to queue behind.
        memory = name == ":memory:" or "mode=memory" in name
        flags = os.O_RDWR | os.O_CREAT
        _writer_locks[name] = None if memory else os.open(f"{name}.writelock", flags, 0o600)
    return _writer_locks[name]


def rows_prepared(sql: str, params: dict, db: BaseDatabaseWrapper | None = None) -> list[tuple]:
    """The rows of a statement run on every request (`%(name)s` parameters), on the driver.

    On PostgreSQL the statement is prepared once per connection: planning such a
    small statement costs the server more than running it (a token read: 363 µs
    planned each time, 135 µs prepared, on the project's machine). Django's cursors
    bind parameters on the client and cannot prepare. SQLite caches its compiled
    statements by itself; there the driver is called directly to skip Django's
    cursor wrapping, which costs a quarter of a small read. Either way the statement
    runs inside Django's transaction state and error mapping but is not in its query
    log. `db`: the connection, when the caller has it at hand (each `connection.x`
    and `connections[…]` looks the thread's up, 2 to 3 µs on the project's machine).
    """
    return _run(db or connections[DEFAULT_DB_ALIAS], sql, params, _ROWS)


_ROWS = operator.methodcaller("fetchall")
_COUNT = operator.attrgetter("rowcount")


def _run(db: BaseDatabaseWrapper, sql: str, params: dict, take: Callable):
    """`take` (_ROWS or _COUNT) of the driver's cursor once it ran the statement."""
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors:
        if db.vendor == "postgresql":
            return _postgres_run(db.connection, sql, params, take)
        return take(db.connection.execute(_sqlite_named(sql, tuple(params)), params))


@functools.lru_cache(maxsize=64)
def _sqlite_named(sql: str, names: tuple[str, ...]) -> str:
    return sql % {name: f":{name}" for name in names}


def _postgres_run(driver, sql: str, params: dict, take: Callable):
    import psycopg  # PostgreSQL only

    if driver.prepare_threshold is None:
        # Django turns the driver's preparing off (for transaction-pooling proxies,
        # which Layan is not set up behind). A threshold nothing reaches prepares
        # only what asks with prepare=True: Django's own cursors never prepare.
        driver.prepare_threshold = 2**31 - 1
    with psycopg.Cursor(driver) as cursor:
        cursor.execute(sql, params, prepare=True)
        return take(cursor)
