"""Sign-in rules on top of Django's model backend."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

logger = logging.getLogger(__name__)


class LayanBackend(ModelBackend):
    """Django's backend, except that the user name's case does not matter and demo
    accounts exist only in demo mode.

    Phones capitalise the first letter of a field, so "Bone.Petugas" must sign in as
    "bone.petugas". No database constraint yet keeps two names apart that differ only
    by case; when two such accounts exist, neither signs in by name (the backend will
    not guess which one the person meant) and the log says so for the admin.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        lookup = {f"{User.USERNAME_FIELD}__iexact": username}
        matches = list(User._default_manager.filter(**lookup)[:2])
        if len(matches) != 1:
            if matches:
                logger.warning("sign-in refused: more than one account is named %r", username)
            # Hash anyway, so a refusal takes as long as a wrong password (no user probing).
            User().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
