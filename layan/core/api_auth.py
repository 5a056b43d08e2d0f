"""Bearer tokens for the JSON API: issued once in plain text, stored only as a hash."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from layan.core.auth import LayanBackend
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


def token_user(key: str) -> User | None:
    """The user a presented token belongs to, or None if unknown or not allowed to sign in."""
    if not key or len(key) > MAX_TOKEN_LENGTH:
        return None
    # Looking up the hash, never the token itself, keeps the comparison free of
    # timing that depends on how much of a guessed token is right.
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not LayanBackend().user_can_authenticate(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # Conditional, so concurrent requests with one token write once between them.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
        ).update(last_used_at=now)
    return token.user


class ApiBearer(HttpBearer):
    """`Authorization: Bearer <token>` for ninja; request.auth becomes the user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_user(token.strip())
