"""The databases' own bulk paths on the same file, with no Layan code: the baselines.

SQLite: `executemany` of `csv.reader` rows in one transaction, with the PRAGMAs
Layan's connection uses, then the two indexes. PostgreSQL: `COPY … FROM STDIN`
streaming the file's bytes, then the two indexes. Both read the file as it is
(23 text columns), so they do less than an import: no validation, no conversion.
"""

import csv
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

BLOCK_BYTES = 1 << 20


@dataclass
class RawLoad:
    """Seconds of a raw load: the rows in, then the indexes on nik and no_kk."""

    rows: int
    load_s: float
    index_s: float

    @property
    def total_s(self) -> float:
        return self.load_s + self.index_s


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def sqlite_load(csv_path: Path, db_path: Path) -> RawLoad:
    """Load the file into a fresh SQLite database in one transaction, then index it."""
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    columns = _header(csv_path)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"CREATE TABLE raw ({', '.join(f'{c} TEXT' for c in columns)})")
        insert = f"INSERT INTO raw VALUES ({', '.join('?' * len(columns))})"
        start = time.perf_counter()
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            conn.execute("BEGIN")
            conn.executemany(insert, reader)
            conn.execute("COMMIT")
        loaded = time.perf_counter()
        conn.execute("CREATE INDEX raw_nik ON raw (nik)")
        conn.execute("CREATE INDEX raw_kk ON raw (no_kk)")
        indexed = time.perf_counter()
        rows = conn.execute("SELECT COUNT(*) FROM raw").fetchone()[0]
    finally:
        conn.close()
    return RawLoad(rows=rows, load_s=loaded - start, index_s=indexed - loaded)


def pg_database_fresh(server_url: str, name: str) -> str:
    """Drop (if there) and create database `name`; return its URL."""
    pg_database_drop(server_url, name)
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server_url}/{name}"


def pg_database_drop(server_url: str, name: str) -> None:
    """Drop database `name`, closing whatever sessions it still has."""
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def pg_version(server_url: str) -> str:
    with psycopg.connect(f"{server_url}/postgres") as conn:
        (version,) = conn.execute("SHOW server_version").fetchall()[0]
        return version


def pg_round_trip_us(server_url: str, count: int = 2000) -> float:
    """Median microseconds of a prepared `SELECT 1` on the server's own database."""
    with psycopg.connect(server_url, autocommit=True) as conn, conn.cursor() as cursor:
        times = []
        for _ in range(count):
            start = time.perf_counter_ns()
            cursor.execute("SELECT 1", prepare=True)
            cursor.fetchall()
            times.append(time.perf_counter_ns() - start)
    return sorted(times)[count // 2] / 1000


def postgres_load(csv_path: Path, db_url: str) -> RawLoad:
    """COPY the file's bytes into a fresh table of text columns, then index it."""
    columns = _header(csv_path)
    with psycopg.connect(db_url) as conn:
        conn.execute(f"CREATE TABLE raw ({', '.join(f'{c} text' for c in columns)})")
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cursor, csv_path.open("rb") as handle:
            with cursor.copy("COPY raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while block := handle.read(BLOCK_BYTES):
                    copy.write(block)
            conn.commit()
        loaded = time.perf_counter()
        conn.execute("CREATE INDEX raw_nik ON raw (nik)")
        conn.execute("CREATE INDEX raw_kk ON raw (no_kk)")
        conn.commit()
        indexed = time.perf_counter()
        (rows,) = conn.execute("SELECT COUNT(*) FROM raw").fetchall()[0]
    return RawLoad(rows=rows, load_s=loaded - start, index_s=indexed - loaded)
