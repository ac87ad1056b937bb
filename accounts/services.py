from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role, role_combination_error


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups if missing; safe to call any number of times, and at once from two
    processes (the name is unique: a group the other one created first is read back). One query once
    they exist: every role assignment asks."""
    names = [role.value for role in Role]
    groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    if len(groups) < len(names):
        Group.objects.bulk_create([Group(name=name) for name in names if name not in groups], ignore_conflicts=True)
        groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    return groups


@transaction.atomic
def assign_roles(*, user: User, roles: list[Role]) -> User:
    error = role_combination_error(roles)
    if error:
        raise ValidationError({"roles": error})
    groups = ensure_role_groups()
    user.groups.set([groups[role.value] for role in roles])
    user.__dict__.pop("roles", None)
    return user


MIN_AUDIT_KEEP_DAYS = 180


@transaction.atomic
def purge_audit_trail(*, keep_days: int, actor: User | None = None) -> int:
    """Delete the entries older than `keep_days` (never fewer than 180: the database's trigger refuses
    younger ones anyway) and leave an entry saying so."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts import audit
    from accounts.models import AuditEvent, AuditKind

    if keep_days < MIN_AUDIT_KEEP_DAYS:
        raise ValueError(f"audit entries are kept at least {MIN_AUDIT_KEEP_DAYS} days")
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    audit.record(
        AuditKind.AUDIT_PURGED, actor=actor, actor_name="system", detail=f"{deleted} < {cutoff:%Y-%m-%d %H:%M}"
    )
    return deleted
