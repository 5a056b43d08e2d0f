"""The helpers that run the statements of every request on the driver."""

import fcntl
import os
import threading
import time

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from layan.core.db import _writer_lock, rows_prepared, write_prepared


def _sqlite(name: str):
    """A SQLite connection of its own (not yet connected) to the database `name`."""
    return ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}})[
        "default"
    ]


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A SQLite database in a file, with a table, on a connection of its own."""
    db = _sqlite(str(tmp_path / "layan.sqlite3"))
    with django_db_blocker.unblock():
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE t (v integer)")
        yield db
        db.close()


def test_a_write_waits_while_another_process_writes(sqlite_file):
    events: list[str] = []
    held = threading.Event()

    def other_writer() -> None:
        # Another process's writer: its own descriptor of the lock file, as
        # write_prepared in another worker would hold it.
        handle = os.open(f"{sqlite_file.settings_dict['NAME']}.writelock", os.O_RDWR | os.O_CREAT)
        fcntl.flock(handle, fcntl.LOCK_EX)
        held.set()
        time.sleep(0.3)
        events.append("the other writer is done")
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)

    thread = threading.Thread(target=other_writer)
    thread.start()
    held.wait()
    written = write_prepared("INSERT INTO t (v) VALUES (%(v)s)", {"v": 7}, sqlite_file)
    events.append("written")
    thread.join()
    assert events == ["the other writer is done", "written"]
    assert written == 1
    assert rows_prepared("SELECT v FROM t", {}, sqlite_file) == [(7,)]


def test_a_write_says_how_many_rows_it_wrote(sqlite_file):
    insert_if = "INSERT INTO t (v) SELECT %(v)s WHERE %(v)s > 0"
    assert write_prepared(insert_if, {"v": 1}, sqlite_file) == 1
    assert write_prepared(insert_if, {"v": -1}, sqlite_file) == 0
    assert rows_prepared("SELECT v FROM t", {}, sqlite_file) == [(1,)]


@pytest.mark.django_db
def test_the_default_database_counts_rows_written_on_either_database():
    # PostgreSQL: a prepared statement's row count; SQLite: the driver's.
    table = "registry_lookuplog"
    insert_if = (
        f"INSERT INTO {table} (office_id, user_id, nik, no_kk, found, case_ref, channel, at) "
        "SELECT 1, 1, '', '', false, '', 'test', CURRENT_TIMESTAMP WHERE %(write)s"
    )
    assert write_prepared(insert_if, {"write": True}) == 1
    assert write_prepared(insert_if, {"write": False}) == 0
    assert rows_prepared(f"SELECT count(*) FROM {table}", {}) == [(1,)]


def test_an_in_memory_database_has_no_writer_lock():
    assert _writer_lock(_sqlite(":memory:")) is None
    if connection.vendor == "sqlite":
        assert _writer_lock(connection) is None  # the tests' database lives in memory
