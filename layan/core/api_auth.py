"""Bearer tokens for the JSON API: issued once in plain text, stored only as a hash."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security.http import HttpAuthBase

from layan.core.caching import ProcessCache
from layan.core.db import rows_prepared
from layan.core.models import ApiToken, User

# Recording every use would turn each API read into a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)
# token_urlsafe(32) gives 43 characters; anything far longer is not one of ours.
MAX_TOKEN_LENGTH = 200


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User) -> str:
    """Create a token for `user` and return it in plain text; it is never shown again."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key), prefix=key[:8])
    return key


# The token, the user's state and the demo rule are read from the database on every
# request; only the User object itself (its name and flags, read once) is kept for
# USER_CACHE_SECONDS, so an API call does not rebuild it through the ORM each time.
USER_CACHE_SECONDS = 60.0
_users: ProcessCache[int, User | None] = ProcessCache(USER_CACHE_SECONDS)


def user_cache_clear() -> None:
    """Forget the users and the token claims this process keeps."""
    _users.clear()
    _claims.clear()


def _user_by_id(user_id: int) -> User | None:
    return _users.get(user_id, lambda key: User.objects.filter(pk=key).first())


# Both parameters get their types from the columns they are compared with.
_TOKEN_SQL = (
    "SELECT t.id, t.last_used_at IS NULL OR t.last_used_at <= %(stale)s, "
    "u.id, u.is_active, u.is_demo "
    f"FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id "
    "WHERE t.key_hash = %(hash)s"
)


def token_user(key: str) -> User | None:
    """The user a presented token belongs to, or None if unknown or not allowed to sign in."""
    if not key or len(key) > MAX_TOKEN_LENGTH:
        return None
    found = _token_read(_hash(key))
    return found[1] if found else None


def _token_read(key_hash: str) -> tuple[int, User] | None:
    """The token's id and user, read from the database; its last use recorded when due."""
    # Looking up the hash, never the token itself, keeps the comparison free of
    # timing that depends on how much of a guessed token is right. One indexed read
    # per request, without the ORM's query building.
    now = timezone.now()
    stale = connection.ops.adapt_datetimefield_value(now - LAST_USED_PRECISION)
    rows = rows_prepared(_TOKEN_SQL, {"stale": stale, "hash": key_hash})
    row = rows[0] if rows else None
    if row is None:
        return None
    token_id, touch_due, user_id, is_active, is_demo = row
    if not is_active or (is_demo and not settings.DEMO_MODE):
        return None  # the rules of LayanBackend.user_can_authenticate, read fresh
    user = _user_by_id(user_id)
    if user is None:
        return None
    if touch_due:
        # Conditional, so concurrent requests with one token write once between them.
        ApiToken.objects.filter(pk=token_id).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
        ).update(last_used_at=now)
    return token_id, user


@dataclass(frozen=True)
class TokenClaim:
    """A token as this process last found it valid: which row, whose."""

    token_id: int
    user: User


# A claim is kept as long as the token's last use may go unrecorded: reading the
# token again after that records it.
CLAIM_SECONDS = LAST_USED_PRECISION.total_seconds()
_claims: ProcessCache[str, TokenClaim] = ProcessCache(CLAIM_SECONDS)


class _NotValid(Exception):
    pass


def _claim_read(key_hash: str) -> TokenClaim:
    found = _token_read(key_hash)
    if found is None:
        raise _NotValid  # never kept: a stream of made-up tokens must not fill memory
    return TokenClaim(*found)


def token_claim(key: str) -> TokenClaim | None:
    """The token's user as this process found it within CLAIM_SECONDS, else read now.

    A claim from memory is not proof that the token is still valid: it saves the
    read only to a caller whose own statement confirms the token in the database
    (`token_still_valid_sql`, e.g. the register lookup's log insert) and that calls
    token_claim_forget and token_user when that statement does not confirm it.
    """
    if not key or len(key) > MAX_TOKEN_LENGTH:
        return None
    try:
        return _claims.get(_hash(key), _claim_read)  # kept by hash, as the database does
    except _NotValid:
        return None


def token_claim_forget(key: str) -> None:
    _claims.forget(_hash(key))


def token_still_valid_sql(vendor: str) -> str:
    """SQL true when the token `%(token)s` still exists for `%(user)s`, who may sign in.

    `%(token)s` and `%(demo_ok)s` come from token_still_valid_params; a NULL token
    is no token to check (the user signed in otherwise). On PostgreSQL the
    parameters are typed in the text, so a statement holding this can be prepared.
    """
    token, user, demo = (
        ("%(token)s::bigint", "%(user)s::bigint", "%(demo_ok)s::boolean")
        if vendor == "postgresql"
        else ("%(token)s", "%(user)s", "%(demo_ok)s")
    )
    return (
        f"({token} IS NULL OR EXISTS (SELECT 1 FROM {ApiToken._meta.db_table} t "
        f"JOIN {User._meta.db_table} u ON u.id = t.user_id WHERE t.id = {token} "
        f"AND t.user_id = {user} AND u.is_active AND (NOT u.is_demo OR {demo})))"
    )


def token_still_valid_params(token_id: int | None) -> dict:
    """The parameters token_still_valid_sql names, for `token_id` (None: no token)."""
    return {"token": token_id, "demo_ok": settings.DEMO_MODE}


def bearer_key(request: HttpRequest) -> str:
    """The token of the request's `Authorization: Bearer <token>` header, or ''."""
    # Read from META: request.headers would build a dict of every header to give one.
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def bearer_user(request: HttpRequest) -> User | None:
    """The user of the request's `Authorization: Bearer <token>` header, or None."""
    return token_user(bearer_key(request))


class ApiBearer(HttpAuthBase):
    """`Authorization: Bearer <token>` for ninja; request.auth becomes the user."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> User | None:
        return bearer_user(request)
