"""The physical table of one snapshot's people, on SQLite and PostgreSQL.

Each snapshot gets a table of its own, created empty, filled by the bulk path
of the database (executemany on SQLite, COPY on PostgreSQL) with no index to
maintain, and indexed once at the end. Making it visible is a one-row update
of the snapshot; dropping a superseded or failed snapshot is a DROP TABLE.
The model of a row is the tuple below, not a Django model: a million rows
never pass through the ORM.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from layan.core.db import rows_prepared

# Stored columns, in order. Only what a lookup, the region scope or a diff reads
# gets a column of its own; region codes are one `area_code` (the most precise of
# village/district/regency code) from which the others derive; the descriptive
# fields (DETAIL_FIELDS, then the file's extra columns) travel as one `details`
# text joined by DETAIL_SEP, kept as written and cleaned when a person is read.
# Fewer columns to bind makes the bulk insert markedly cheaper.
COLUMNS = (
    "nik", "no_kk", "name", "sex", "birth_date", "area_code", "desil", "flags", "details", "line",
)  # fmt: skip
DETAIL_FIELDS = (
    "birth_place", "relationship", "address", "rt", "rw", "district_name", "village_name",
    "presence",
)  # fmt: skip
DETAIL_SEP = "\x1f"  # ASCII unit separator: never part of a register value

# Programme flags packed into one integer column.
FLAG_BITS = {"pkh": 1, "bpnt": 2, "pbi": 4}

_SQL_TYPES = {
    "sqlite": {"int": "INTEGER", "text": "TEXT", "date": "TEXT"},
    "postgresql": {"int": "bigint", "text": "text", "date": "date"},
}
_COLUMN_KINDS = {"nik": "int", "no_kk": "int", "desil": "int", "flags": "int", "line": "int"}
_COLUMN_KINDS["birth_date"] = "date"


@dataclass(frozen=True)
class Duplicate:
    nik: int
    line: int
    first_line: int


def table_name(snapshot_id: int) -> str:
    return f"registry_people_{int(snapshot_id)}"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_create(name: str) -> None:
    """An empty table with no index: rows go in at the database's bulk speed."""
    types = _SQL_TYPES[connection.vendor]
    columns = ", ".join(
        f"{column} {types[_COLUMN_KINDS.get(column, 'text')]}"
        + (" NOT NULL" if column in ("nik", "no_kk", "line") else "")
        for column in COLUMNS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)}")
        cursor.execute(f"CREATE TABLE {_quote(name)} ({columns})")


def table_drop(name: str) -> None:
    if not name:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)}")


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_NULL = "\\N"


def copy_escape(value: str) -> str:
    """A text value as a field of COPY's text format; most need no escape, so look first."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def copy_text(rows: Sequence[tuple]) -> bytes:
    """Rows in PostgreSQL's COPY text format, ready to send as they are.

    Made by the validating child processes, so the writing process only passes
    bytes on to the server.
    """
    lines = []
    for row in rows:
        cells = []
        for value in row:
            if value is None:
                cells.append(COPY_NULL)
            elif isinstance(value, str):
                cells.append(copy_escape(value))
            else:
                cells.append(str(value))
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode() if lines else b""


def rows_insert(name: str, rows: Sequence[tuple], *, copy: bytes | None = None) -> None:
    """Append rows with the database's bulk path (caller holds the transaction).

    On PostgreSQL, `copy` (the rows already in COPY text format) is sent as it is.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {_quote(name)} ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.copy(sql) as out:
                out.write(copy if copy is not None else copy_text(rows))
        else:
            marks = ", ".join("?" * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)


def duplicates_remove(name: str) -> list[Duplicate]:
    """Delete every later row of a NIK that occurs more than once; report them."""
    table = _quote(name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nik, line FROM {table} WHERE nik IN "
            f"(SELECT nik FROM {table} GROUP BY nik HAVING COUNT(*) > 1) ORDER BY nik, line"
        )
        found: list[Duplicate] = []
        first: dict[int, int] = {}
        for nik, line in cursor.fetchall():
            if nik in first:
                found.append(Duplicate(nik=nik, line=line, first_line=first[nik]))
            else:
                first[nik] = line
        for start in range(0, len(found), 500):
            lines = [d.line for d in found[start : start + 500]]
            marks = ", ".join(["%s"] * len(lines))
            cursor.execute(f"DELETE FROM {table} WHERE line IN ({marks})", lines)
    return found


def indexes_build(name: str) -> list[Duplicate]:
    """Index NIK (unique) and KK after the load; duplicates found on the way are removed."""
    table = _quote(name)
    duplicates: list[Duplicate] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_unique_nik_sql(name))
    except Exception as exc:  # IntegrityError on either backend: a NIK occurs twice
        if "unique" not in str(exc).lower() and "duplicate" not in str(exc).lower():
            raise
        duplicates = duplicates_remove(name)
        with connection.cursor() as cursor:
            cursor.execute(_unique_nik_sql(name))
    with connection.cursor() as cursor:
        # Serves the household lookup: every member of one No KK.
        cursor.execute(f"CREATE INDEX {_quote(name + '_kk')} ON {table} (no_kk)")
    if connection.vendor == "postgresql":
        statistics_gather(name)
    return duplicates


# Rows ANALYZE samples are 300 times the target: 3,000 rather than the default 30,000.
STATISTICS_TARGET = 10


def statistics_gather(name: str) -> None:
    """Give PostgreSQL's planner the row count and key spread of a freshly loaded table.

    The diff joins on nik and the lookups search nik and no_kk; those two columns are
    enough (42 ms where all ten took 190 ms at 100,000 rows). A small sample is too:
    the lookups are index reads of a unique or near-unique key, the diff's joins need
    the row counts and that nik is unique, and a 3,000-row sample took 10 ms where
    30,000 took 85 ms at a million rows. SET LOCAL keeps the small target to this
    statement's transaction; autovacuum's later ANALYZE samples the default number.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL default_statistics_target = {STATISTICS_TARGET}")
        cursor.execute(f"ANALYZE {_quote(name)} (nik, no_kk)")


def _unique_nik_sql(name: str) -> str:
    # Serves the lookup by NIK; on PostgreSQL it is the primary key.
    if connection.vendor == "postgresql":
        return f"ALTER TABLE {_quote(name)} ADD PRIMARY KEY (nik)"
    return f"CREATE UNIQUE INDEX {_quote(name + '_nik')} ON {_quote(name)} (nik)"


def _select(name: str) -> str:
    return f"SELECT {', '.join(COLUMNS)} FROM {_quote(name)}"


def person_by_nik(name: str, nik: int) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(f"{_select(name)} WHERE nik = %s", [nik])
        return cursor.fetchone()


def household(name: str, no_kk: int, db=None) -> list[tuple]:
    return rows_prepared(_household_sql(name), {"kk": no_kk}, db)


def household_of_nik(name: str, nik: int, db=None) -> list[tuple]:
    """The household (same No KK) of a NIK, the person included; [] for an unknown NIK."""
    return rows_prepared(_household_of_nik_sql(name), {"nik": nik}, db)


# The statements of every lookup, written once per snapshot table.
@functools.lru_cache(maxsize=64)
def _household_sql(name: str) -> str:
    return f"{_select(name)} WHERE no_kk = %(kk)s ORDER BY line"


@functools.lru_cache(maxsize=64)
def _household_of_nik_sql(name: str) -> str:
    return (
        f"{_select(name)} WHERE no_kk = (SELECT no_kk FROM {_quote(name)} WHERE nik = %(nik)s) "
        "ORDER BY line"
    )


def people_count(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")
        return cursor.fetchone()[0]


def area_codes(name: str) -> list[str]:
    """The distinct regency codes (4 digits) of a snapshot's rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT SUBSTR(area_code, 1, 4) FROM {_quote(name)}")
        return sorted(row[0] for row in cursor.fetchall() if row[0])


def diff_rows(old: str, new: str, kind: str) -> Iterable[tuple]:
    """People who entered, left, or whose desil or programme flags changed."""
    a, b = _quote(old), _quote(new)
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    cols_b = ", ".join(f"b.{c}" for c in COLUMNS)
    cols_a = ", ".join(f"a.{c}" for c in COLUMNS)
    queries = {
        "entered": f"SELECT {cols_b} FROM {b} b LEFT JOIN {a} a ON a.nik = b.nik "
        "WHERE a.nik IS NULL ORDER BY b.line",
        "left": f"SELECT {cols_a} FROM {a} a LEFT JOIN {b} b ON a.nik = b.nik "
        "WHERE b.nik IS NULL ORDER BY a.line",
        "changed": f"SELECT {cols_b}, a.desil, a.flags FROM {a} a JOIN {b} b ON a.nik = b.nik "
        f"WHERE a.desil {distinct} b.desil OR a.flags {distinct} b.flags ORDER BY b.line",
    }
    # A server-side cursor on PostgreSQL: the difference of two million-row
    # snapshots is streamed, not loaded into memory.
    with connection.chunked_cursor() as cursor:
        cursor.execute(queries[kind])
        while batch := cursor.fetchmany(2000):
            yield from batch
