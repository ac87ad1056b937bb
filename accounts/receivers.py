"""Security invariants that must hold on every path a change can take — the admin, the API, a
management command, a shell — and so live in receivers of the model and auth signals rather than in
one service that another path could go around:

- the audit trail of sign-ins, lockouts, account, role, unit, password and token changes and every
  admin write (accounts.audit);
- 三员分立: a forbidden combination of roles is refused whoever grants it (accounts.roles);
- a password change stamps the expiry clock, keeps the hash for the history rule, and revokes the
  user's API tokens; so does a deactivation.
"""

import time

from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.authtoken.models import Token, TokenProxy

from accounts import audit, twofactor
from accounts.models import AuditKind, PasswordHistory, User
from accounts.roles import Role, role_combination_error
from accounts.security import LAST_SEEN, SIGNED_IN_AT

# Changes of these fields are recorded as what they are; any other field as an account change.
_UNIT_FIELDS = ("unit_id", "enterprise_id")
_WATCHED = ("username", "full_name", "phone", "email", "is_active", "is_staff", "is_superuser")
PASSWORD_HISTORY = 5


# --- sign-in ------------------------------------------------------------------------------------
@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit.record(AuditKind.SIGN_IN, actor=user, request=request)
    if request is not None and hasattr(request, "session"):
        # The idle clock starts now (accounts.security), without a session write on the next page.
        request.session[LAST_SEEN] = request.session[SIGNED_IN_AT] = time.time()
        # The password was the first factor; the second is asked next (accounts.twofactor).
        request.session[twofactor.STATE_KEY] = twofactor.state_at_sign_in(user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditKind.SIGN_OUT, actor=user, request=request)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    audit.record(AuditKind.SIGN_IN_FAILED, actor_name=username, target_repr=username, request=request)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    # django-axes signals again on each failure past the limit; the lockout happens once.
    if getattr(request, "axes_failures_since_start", None) != get_failure_limit(request, {"username": username}):
        return
    audit.record(AuditKind.LOCKED_OUT, actor_name=username or "", target_repr=username or "", request=request)


@receiver(post_delete, sender=AccessAttempt)
def _unlocked(sender, instance, **kwargs):
    audit.record(
        AuditKind.UNLOCKED,
        target_repr=instance.username or "",
        detail=f"{instance.ip_address or ''} ({instance.failures_since_start})",
    )


# --- accounts -------------------------------------------------------------------------------------
@receiver(pre_save, sender=User)
def _remember_what_changes(sender, instance: User, update_fields=None, raw=False, **kwargs):
    instance._audit_before = None  # type: ignore[attr-defined]
    if raw or instance.pk is None or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    fields = ("password", *_UNIT_FIELDS, *_WATCHED)
    instance._audit_before = User.objects.filter(pk=instance.pk).values(*fields).first()  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _account_saved(sender, instance: User, created, raw=False, **kwargs):
    if raw:
        return
    actor = audit.current_actor()
    by_someone_else = actor is not None and actor.pk != instance.pk
    if created:
        audit.record(AuditKind.ACCOUNT_CREATED, target=instance)
        if instance.has_usable_password():
            PasswordHistory.objects.create(user=instance, password=instance.password)
        if by_someone_else:
            # Created by an administrator: its owner chooses the password at the first sign-in.
            User.objects.filter(pk=instance.pk).update(must_change_password=True)
            instance.must_change_password = True
        return
    before = getattr(instance, "_audit_before", None)
    if not before:
        return
    if before["password"] != instance.password:
        _password_changed(instance, by_someone_else)
    if any(before[field] != getattr(instance, field) for field in _UNIT_FIELDS):
        audit.record(
            AuditKind.UNIT_CHANGED,
            target=instance,
            detail=f"{instance.unit or ''} / {instance.enterprise or ''}".strip(" /"),
        )
    changed = [field for field in _WATCHED if before[field] != getattr(instance, field)]
    if before["is_active"] and not instance.is_active:
        changed.remove("is_active")
        audit.record(AuditKind.ACCOUNT_DEACTIVATED, target=instance)
        Token.objects.filter(user=instance).delete()
    if changed:
        audit.record(AuditKind.ACCOUNT_CHANGED, target=instance, detail=", ".join(changed))


def _password_changed(user: User, by_someone_else: bool) -> None:
    now = timezone.now()
    user.password_changed_at, user.must_change_password = now, by_someone_else
    User.objects.filter(pk=user.pk).update(password_changed_at=now, must_change_password=by_someone_else)
    if user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[PASSWORD_HISTORY:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    audit.record(AuditKind.PASSWORD_CHANGED, target=user, detail="reset" if by_someone_else else "")
    # A token outlives no password: whoever knew the old one may have made it.
    Token.objects.filter(user=user).delete()


@receiver(post_delete, sender=User)
def _account_deleted(sender, instance: User, **kwargs):
    audit.record(AuditKind.ACCOUNT_DELETED, target=instance)


@receiver(m2m_changed, sender=User.groups.through)
def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse or not isinstance(instance, User):
        return  # roles are granted on the user, never from the group's side
    from django.contrib.auth.models import Group

    if action == "pre_add":
        names = set(instance.groups.values_list("name", flat=True))
        names |= set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        error = role_combination_error(names)
        if error:
            raise ValidationError({"groups": error})
    elif action in ("post_add", "post_remove", "post_clear"):
        instance.__dict__.pop("roles", None)
        changed = Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True)
        labels = "、".join(str(Role(n).label) if n in Role.values else n for n in changed)
        sign = {"post_add": "+", "post_remove": "-", "post_clear": "-"}[action]
        audit.record(AuditKind.ROLES_CHANGED, target=instance, detail=f"{sign} {labels}".strip())


# --- API tokens -----------------------------------------------------------------------------------
@receiver(post_save, sender=Token)
@receiver(post_save, sender=TokenProxy)
def _token_created(sender, instance: Token, created, **kwargs):
    if created:
        audit.record(AuditKind.TOKEN_CREATED, target=instance.user, detail=f"{instance.key[:6]}…")


@receiver(post_delete, sender=Token)
@receiver(post_delete, sender=TokenProxy)
def _token_revoked(sender, instance: Token, **kwargs):
    owner = User.objects.filter(pk=instance.user_id).values_list("username", flat=True).first()
    audit.record(AuditKind.TOKEN_REVOKED, target_repr=owner or str(instance.user_id), detail=f"{instance.key[:6]}…")


# --- every write in the admin ------------------------------------------------------------------
@receiver(post_save, sender=LogEntry)
def _admin_write(sender, instance: LogEntry, created, **kwargs):
    if created:
        flag = {1: "+", 2: "~", 3: "-"}.get(instance.action_flag, "?")
        model = instance.content_type.model if instance.content_type else ""
        audit.record(
            AuditKind.ADMIN_WRITE,
            actor=instance.user,
            target_repr=f"{model}:{instance.object_id} {instance.object_repr}"[:200],
            detail=f"{flag} {instance.get_change_message()}",
        )
