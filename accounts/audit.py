"""The audit trail (MLPS 2.0 level 3, security audit): `record(kind, ...)` writes one AuditEvent.

Who acted and from which address come from the request being served: `AuditContextMiddleware`
keeps it for the length of the request, so code deep inside a save (the receivers in
accounts.receivers, chainparty.jobs' start_export) need not pass them down. DRF sets the token's
user on the same HttpRequest, so API calls are attributed too. Outside a request (a management
command, a Celery task) the actor is whoever the caller names, else nobody (the system).

Other apps record their reads of personal data (phone numbers, party-membership lists) with
`record_personal_data_read(request, target=..., what=...)`.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from accounts.models import AuditEvent, AuditKind, User

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as django-axes sees it: through `AXES_PROXY_COUNT` trusted proxies
    (django-ipware), the peer itself when there is none."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def current_request() -> HttpRequest | None:
    return _request.get()


def current_actor() -> User | None:
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if isinstance(user, User) and user.is_authenticated else None


def record(
    kind: AuditKind,
    *,
    actor: User | None = None,
    actor_name: str = "",
    target: models.Model | None = None,
    target_repr: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    request = request or _request.get()
    if actor is None:
        actor = current_actor()
    event = AuditEvent(
        kind=kind,
        actor=actor,
        actor_name=(actor.get_username() if actor else actor_name)[:150],
        ip_address=client_ip(request),
        detail=detail,
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk or "")[:64]
        event.target = (target_repr or str(target))[:200]
    else:
        event.target = target_repr[:200]
    event.save(force_insert=True)
    return event


def record_personal_data_read(request: HttpRequest, *, target: models.Model, what: str) -> AuditEvent:
    """A page or API answer showed personal data (`what`: e.g. "phone", "party members")."""
    user = request.user if isinstance(request.user, User) else None
    return record(AuditKind.PERSONAL_DATA_READ, actor=user, target=target, detail=what, request=request)


class AuditContextMiddleware:
    """Keeps the request for `record` (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
