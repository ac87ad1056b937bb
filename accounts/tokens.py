"""API tokens (DRF's, one per account) with the rules MLPS asks of any credential: a token expires
API_TOKEN_MAX_AGE_DAYS after it was issued (the security administrator rotates it in the admin), dies
with a password change or a deactivation (accounts.receivers), is refused while its owner must change
their password, and every request it authenticates is one entry of the audit trail (method, path and
client address). Recording each use, rather than the first of each hour, keeps the trail exact across
worker processes with nothing but the database, and tells the auditor what an integrating system did,
not only that it was there; it costs one INSERT per API call."""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db.models import Aggregate, JSONField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.passwords import must_change_password


class _JsonArray(Aggregate):
    """The values as a JSON array: jsonb_agg on PostgreSQL, json_group_array on SQLite."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


@cache
def _role_names():
    """The names of the token owner's groups (User.roles) as a subquery of the token's query."""
    return Subquery(
        User.groups.through.objects.filter(user_id=OuterRef("user_id"))
        .values("user_id")
        .annotate(names=_JsonArray("group__name"))
        .values("names")
    )


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            from accounts import audit
            from accounts.models import AuditKind

            user, token = found
            audit.record(
                AuditKind.TOKEN_USED,
                actor=user,
                target=user,
                detail=f"{token.key[:6]}… {request.method} {request.get_full_path()}"[:1000],
                request=request,
            )
        return found

    def authenticate_credentials(self, key):
        # The token, its owner and the owner's roles in one query (every API call asks for the roles),
        # read afresh each time: revoking a token or a role takes effect on the next call.
        token = Token.objects.select_related("user").annotate(role_names=_role_names()).filter(key=key).first()
        if token is not None and token.user.is_active:
            user = token.user
            user.remember_roles(token.role_names or ())
        else:
            # Refused with DRF's own answer (one more query, for a refused token only).
            user, token = super().authenticate_credentials(key)
        max_age = settings.API_TOKEN_MAX_AGE_DAYS
        if max_age and token.created < timezone.now() - timedelta(days=max_age):
            raise exceptions.AuthenticationFailed(
                _("The token has expired; ask the security administrator for a new one.")
            )
        if must_change_password(user):
            raise exceptions.AuthenticationFailed(_("The account's password must be changed before its token works."))
        return user, token
