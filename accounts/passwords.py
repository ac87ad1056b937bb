"""The password policy (MLPS 2.0 level 3, identification and authentication), as Django password
validators (AUTH_PASSWORD_VALIDATORS), so that every place a password is set — the change-password
page, the admin, `manage.py changepassword` — applies it: at least 10 characters (Django's
MinimumLengthValidator) from at least three of upper case, lower case, digits and symbols, not
containing the username, not one of the last five. Expiry: `password_expired`."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CLASSES = (
    (str.isupper, _("upper-case letters")),
    (str.islower, _("lower-case letters")),
    (str.isdigit, _("digits")),
    (lambda c: not c.isalnum(), _("symbols")),
)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for test, _label in CLASSES if any(test(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return gettext("Your password must mix at least %(count)d of: %(classes)s.") % {
            "count": self.min_classes,
            "classes": "、".join(str(label) for _test, label in CLASSES),
        }


class NoUsernameValidator:
    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(
                gettext("Your password must not contain your username."), code="password_has_username"
            )

    def get_help_text(self):
        return gettext("Your password must not contain your username.")


class HistoryValidator:
    """Not one of the last `count` passwords (the current one included): accounts.PasswordHistory."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from accounts.models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return gettext("Your password must not be one of your last %(count)d.") % {"count": self.count}


def password_expired(user, now=None) -> bool:
    """Older than PASSWORD_MAX_AGE_DAYS (0: never expires)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    return (now or timezone.now()) - user.password_changed_at > timedelta(days=days)


def must_change_password(user) -> bool:
    return bool(user.is_authenticated and (user.must_change_password or password_expired(user)))
