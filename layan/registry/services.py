"""Register lookups: scoped to the office's region, and every one of them logged."""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from layan.core.api_auth import token_still_valid_params, token_still_valid_sql
from layan.core.db import rows_prepared, write_prepared
from layan.core.nik import kk_check, nik_check
from layan.offices.models import Membership, Office
from layan.offices.rights import Right, roles_with
from layan.registry import storage
from layan.registry.layouts import Layout, layout_for, layout_from_mapping
from layan.registry.models import LookupLog, Snapshot, Upload
from layan.registry.scope import in_region, region_like
from layan.registry.selectors import Person, person_from_row, snapshot_active_for
from layan.registry.tables import headers_peek
from layan.registry.tasks import registry_upload_import


@dataclass
class LookupResult:
    """The answer to one lookup, naming the snapshot that gave it."""

    office: Office
    snapshot: Snapshot | None
    nik: str = ""
    no_kk: str = ""
    person: Person | None = None
    household: list[Person] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.household)

    @property
    def source_label(self) -> str:
        """'data DTSEN per September 2026', or why there is no data."""
        if self.snapshot is None:
            return "belum ada data register untuk kantor ini"
        return self.snapshot.data_label

    @property
    def message(self) -> str:
        if self.found:
            return f"Terdaftar ({self.source_label})."
        return f"Tidak terdaftar dalam register kantor ini ({self.source_label})."


def _staff_of(user, office: Office) -> bool:
    # One indexed read; this runs on every lookup, so it skips the ORM's query building.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Membership._meta.db_table} "
            "WHERE user_id = %s AND office_id = %s AND is_active LIMIT 1",
            [user.pk, office.pk],
        )
        return cursor.fetchone() is not None


def registry_lookup(
    *,
    office: Office,
    user,
    nik: str = "",
    no_kk: str = "",
    case_ref: str = "",
    channel: str = "web",
    token_id: int | None = None,
) -> LookupResult:
    """Look up a NIK (the person and their household) or a No KK; log who asked.

    Raises NikError for a malformed number (nothing is logged: nothing was looked
    up) and PermissionDenied for a user who is not staff of the office. A person
    outside the office's region is answered exactly like an unknown one.

    `token_id`: an API token the caller took from memory (api_auth.token_claim);
    the statement that writes the log row also confirms it still exists for
    `user`, who may still sign in, and answers PermissionDenied when not.
    """
    nik, no_kk = nik.strip(), no_kk.strip()
    try:
        if bool(nik) == bool(no_kk):
            raise ValueError("Isi NIK atau No KK (salah satu).")
        if nik:
            nik_check(nik)
        else:
            kk_check(no_kk)
    except ValueError:
        # NikError is a ValueError. Someone who is not staff learns only that.
        if not _staff_of(user, office):
            raise PermissionDenied("Anda bukan staf kantor ini.") from None
        raise
    snapshot = snapshot_active_for(office)
    result = LookupResult(office=office, snapshot=snapshot, nik=nik, no_kk=no_kk)
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` looks the thread's up
    log = {"user": user, "case_ref": case_ref, "channel": channel, "token_id": token_id}
    if snapshot is not None and db.vendor == "postgresql":
        _lookup_in_one_statement(result, snapshot, db, **log)
        return result
    # SQLite runs in this process: a few small indexed statements cost less than
    # one that materialises its WITH parts, and it has no writing WITH anyway. The
    # answer is read first and handed out only once the log row, written only for
    # staff of the office, is in.
    if snapshot is not None:
        _fill(result, snapshot, db)
    if not _log_for_staff(result, db, **log):
        raise PermissionDenied("Anda bukan staf kantor ini.")
    return result


_LOG_COLUMNS = ("office_id", "user_id", "nik", "no_kk", "snapshot_id", "found", "case_ref",
                "channel", "at")  # fmt: skip


def _log_for_staff(
    result: LookupResult, db, *, user, case_ref: str, channel: str, token_id: int | None
) -> bool:
    """Log the lookup if `user` is active staff of the office; whether they are.

    One INSERT … SELECT, committed on its own (autocommit): the staff check (and
    the API token's, when one is given) and the log row in one statement, so a
    lookup costs fewer statements. Whether it wrote the row is the driver's row
    count (write_prepared).
    """
    params = {
        "office": result.office.pk,
        "user": user.pk,
        "nik": result.nik,
        "no_kk": result.no_kk,
        "snapshot": result.snapshot.pk if result.snapshot else None,
        "found": result.found,
        "case_ref": case_ref[:40],
        "channel": channel,
        "at": _now_as_stored(db),
        **token_still_valid_params(token_id),
    }
    return write_prepared(_log_for_staff_sql(db.vendor), params, db) == 1


def _now_as_stored(db):
    """The current time as Django writes a DateTimeField on `db`.

    On SQLite that is the text of the naive time in the connection's time zone
    (db.timezone: UTC, or None when USE_TZ is off), which this makes at half the
    cost of db.ops.adapt_datetimefield_value(timezone.now()), a step of every
    lookup (4.4 against 8.1 µs on the project's machine).
    """
    if db.vendor == "sqlite":
        return datetime.now(db.timezone).replace(tzinfo=None).isoformat(" ")
    return timezone.now()


@functools.cache
@functools.lru_cache(maxsize=4)
def _log_for_staff_sql(vendor: str) -> str:
    # Also run on PostgreSQL for an office with no register data yet.
    return (
        f"INSERT INTO {LookupLog._meta.db_table} ({', '.join(_LOG_COLUMNS)}) "
        "SELECT %(office)s, %(user)s, %(nik)s, %(no_kk)s, %(snapshot)s, %(found)s, "
        f"%(case_ref)s, %(channel)s, %(at)s WHERE {_staff_sql(vendor)}"
    )


def _staff_sql(vendor: str) -> str:
    """SQL true when `%(user)s` holds, at `%(office)s`, an active role with the right to look
    up (offices.rights), and their token, if any, holds."""
    user, office = (
        ("%(user)s::bigint", "%(office)s::bigint")
        if vendor == "postgresql"
        else ("%(user)s", "%(office)s")
    )
    # The roles are the table's own words (Role values), never a caller's input.
    roles = ", ".join(f"'{role}'" for role in sorted(roles_with(Right.LOOKUP)))
    return (
        f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} WHERE user_id = {user} "
        f"AND office_id = {office} AND is_active AND role IN ({roles})) "
        f"AND {token_still_valid_sql(vendor)}"
    )


@functools.lru_cache(maxsize=32)
def _one_statement_sql(table: str, durable: bool, by: str) -> str:
    """Staff check, log insert and household read of one PostgreSQL lookup, in one statement.

    The staff check includes the API token's, when one is given. One round trip
    instead of four, and one commit. The log row is written by the same statement
    that reads the answer, in the same (autocommit) transaction: the rows come
    back only once that transaction, log row included, is committed. The INSERT
    hands on what it logged (RETURNING found), so for someone who is not staff it
    writes nothing and the statement answers no row at all. Unless `durable`
    (settings.REGISTRY_LOOKUP_LOG_DURABLE), the commit does not wait for the WAL
    flush (`set_config(…, true)` is SET LOCAL: this transaction only): a durable
    INSERT alone took 356 µs median, 625 p99 on the project's machine, the same
    INSERT not waiting 158 / 350. The statement has no WITH part but the INSERT:
    each part PostgreSQL sets up and materialises costs on every run (a version
    with staff, household and found parts took 150 µs where this takes 130-148,
    pgbench, prepared). Every parameter is typed in the text, so the statement
    can be prepared once; there is one per kind of lookup (`by`: "nik" or
    "no_kk"), as a branch on a parameter would make PostgreSQL keep planning it
    anew (a plan for the given values is cheaper than a generic one with both
    branches), which cost 0.17 ms a lookup.
    """
    table = connection.ops.quote_name(table)
    columns = ", ".join(f"p.{column}" for column in storage.COLUMNS)
    log_columns = ", ".join(_LOG_COLUMNS)
    in_area = "area_code LIKE %(area)s::text"  # anyone else is not ours to show
    # Found: the NIK's own row, or any row of the No KK, within the office's region.
    # The household: every member of that No KK within the region.
    if by == "nik":
        found = f"EXISTS (SELECT 1 FROM {table} WHERE nik = %(nik)s::bigint AND {in_area})"
        household_kk = f"(SELECT no_kk FROM {table} WHERE nik = %(nik)s::bigint)"
    else:
        found = f"EXISTS (SELECT 1 FROM {table} WHERE no_kk = %(no_kk)s::bigint AND {in_area})"
        household_kk = "%(no_kk)s::bigint"
    # In the INSERT's condition, which is evaluated once whenever anything is written.
    commit_mode = "" if durable else " AND set_config('synchronous_commit', 'off', true) <> ''"
    return (
        f"WITH logged AS (INSERT INTO {LookupLog._meta.db_table} ({log_columns}) "
        "SELECT %(office)s::bigint, %(user)s::bigint, %(nik_text)s::text, %(kk_text)s::text, "
        f"%(snapshot)s::bigint, {found}, %(case_ref)s::text, %(channel)s::text, "
        f"%(at)s::timestamptz WHERE {_staff_sql('postgresql')}{commit_mode} RETURNING found) "
        # Read only when the lookup found someone.
        f"SELECT logged.found, {columns} FROM logged LEFT JOIN {table} p ON logged.found "
        f"AND p.no_kk = {household_kk} AND p.{in_area} ORDER BY p.line"
    )


def _lookup_in_one_statement(
    result: LookupResult,
    snapshot: Snapshot,
    db,
    *,
    user,
    case_ref: str,
    channel: str,
    token_id: int | None,
) -> None:
    office = result.office
    params = {
        "user": user.pk,
        "office": office.pk,
        "nik": int(result.nik) if result.nik else None,
        "no_kk": int(result.no_kk) if result.no_kk else None,
        "area": region_like(office.region_code),
        "nik_text": result.nik,
        "kk_text": result.no_kk,
        "snapshot": snapshot.pk,
        "case_ref": case_ref[:40],
        "channel": channel,
        "at": timezone.now(),
        **token_still_valid_params(token_id),
    }
    # Inside a transaction (a case step's registry check) the setting would hold for
    # the whole transaction, the step's own writes too: there the commit waits.
    durable = settings.REGISTRY_LOOKUP_LOG_DURABLE or db.in_atomic_block
    sql = _one_statement_sql(snapshot.table_name, durable, "nik" if result.nik else "no_kk")
    rows = rows_prepared(sql, params, db)
    if not rows:  # nothing logged: not staff of the office (or the token is gone)
        raise PermissionDenied("Anda bukan staf kantor ini.")
    if rows[0][0]:
        result.household = [person_from_row(row[1:]) for row in rows]
        if result.nik:
            result.person = next(p for p in result.household if p.nik == result.nik)


def _fill(result: LookupResult, snapshot: Snapshot, db) -> None:
    table = snapshot.table_name
    if result.nik:
        rows = storage.household_of_nik(table, int(result.nik), db)
    else:
        rows = storage.household(table, int(result.no_kk), db)
    region = result.office.region_code
    members = [person_from_row(row) for row in rows]
    result.household = [p for p in members if in_region(p.area_code, region)]
    if result.nik:
        result.person = next((p for p in result.household if p.nik == result.nik), None)
        if result.person is None:
            result.household = []  # the household of someone outside the region is not ours


def upload_check(*, file, mapping: dict | None = None) -> Layout:
    """The layout an uploaded export will be read by, judged from its header row alone.

    Raises LayoutError saying why the file cannot be imported (not CSV/XLSX inside,
    no header row, required columns missing), so it is refused before it is stored
    and queued; the import itself checks the whole file again.
    """
    layout = layout_from_mapping(mapping) if mapping else None
    return layout_for(headers_peek(file, file.name), layout)


def upload_create(*, office: Office, user, file, source: str, period: str, mapping=None):
    """Store an uploaded export and queue its import once the upload is committed."""
    with transaction.atomic():
        upload = Upload.objects.create(
            office=office,
            user=user,
            file=file,
            original_name=file.name[:300],
            source=source,
            period=period,
            mapping=mapping,
            bytes_total=file.size,
        )
        transaction.on_commit(lambda: registry_upload_import.enqueue(upload.pk))
    return upload
