"""Bearer tokens for the JSON API: issued once in plain text, stored only as a hash."""

import hashlib
import secrets
import time
from datetime import UTC, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja.security import HttpBearer

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
_users: dict[int, tuple[float, User]] = {}


def user_cache_clear() -> None:
    _users.clear()


def _user_by_id(user_id: int) -> User | None:
    now = time.monotonic()
    cached = _users.get(user_id)
    if cached and now - cached[0] < USER_CACHE_SECONDS:
        return cached[1]
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        _users[user_id] = (now, user)
    return user


def token_user(key: str) -> User | None:
    """The user a presented token belongs to, or None if unknown or not allowed to sign in."""
    if not key or len(key) > MAX_TOKEN_LENGTH:
        return None
    # Looking up the hash, never the token itself, keeps the comparison free of
    # timing that depends on how much of a guessed token is right. One indexed read
    # per request, without the ORM's query building.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, t.last_used_at, u.id, u.is_active, u.is_demo "
            f"FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id "
            "WHERE t.key_hash = %s",
            [_hash(key)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used_at, user_id, is_active, is_demo = row
    if not is_active or (is_demo and not settings.DEMO_MODE):
        return None  # the rules of LayanBackend.user_can_authenticate, read fresh
    user = _user_by_id(user_id)
    if user is None:
        return None
    _touch(token_id, last_used_at)
    return user


def _touch(token_id: int, last_used_at) -> None:
    now = timezone.now()
    if isinstance(last_used_at, str):  # SQLite hands back text from a raw query
        last_used_at = parse_datetime(last_used_at)
    if last_used_at is not None and timezone.is_naive(last_used_at):
        last_used_at = timezone.make_aware(last_used_at, UTC)
    if last_used_at is None or now - last_used_at >= LAST_USED_PRECISION:
        # Conditional, so concurrent requests with one token write once between them.
        ApiToken.objects.filter(pk=token_id).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
        ).update(last_used_at=now)


class ApiBearer(HttpBearer):
    """`Authorization: Bearer <token>` for ninja; request.auth becomes the user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_user(token.strip())
