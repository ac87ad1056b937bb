"""API tokens (DRF's, one per account) with the rules MLPS asks of any credential: a token expires
API_TOKEN_MAX_AGE_DAYS after it was issued (the security administrator rotates it in the admin), dies
with a password change or a deactivation (accounts.receivers), is refused while its owner must change
their password, and its use is in the audit trail (once an hour per token and worker process: a
trail entry per call would drown the rest)."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.passwords import must_change_password

USE_RECORDED_FOR = 3600  # seconds


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        max_age = settings.API_TOKEN_MAX_AGE_DAYS
        if max_age and token.created < timezone.now() - timedelta(days=max_age):
            raise exceptions.AuthenticationFailed(
                _("The token has expired; ask the security administrator for a new one.")
            )
        if must_change_password(user):
            raise exceptions.AuthenticationFailed(_("The account's password must be changed before its token works."))
        if cache.add(f"token-used:{token.key[:12]}", 1, USE_RECORDED_FOR):
            from accounts import audit
            from accounts.models import AuditKind

            audit.record(AuditKind.TOKEN_USED, actor=user, target=user, detail=f"{token.key[:6]}…")
        return user, token
