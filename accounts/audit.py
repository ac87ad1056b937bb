"""The audit trail (MLPS 2.0 level 3, security audit): `record(kind, ...)` writes one AuditEvent.

Who acted and from which address come from the request being served: `AuditContextMiddleware`
keeps it for the length of the request, so code deep inside a save (the receivers in
accounts.receivers, chainparty.jobs' start_export) need not pass them down. DRF sets the token's
user on the same HttpRequest, so API calls are attributed too. Outside a request (a management
command, a Celery task) the actor is whoever the caller names, else nobody (the system).

Reads of personal data — an unmasked phone number, an organization's or an enterprise's party-member
figures — are recorded once per answer that shows them: a page view with `@reads_personal_data(what)`,
an API viewset with `PersonalDataReadAudit` (its `personal_data`, and `shows_personal_data(request)`
when only some callers see it unmasked), an admin page with accounts.admin.PersonalDataAdmin, anything
else with `record_personal_data_read(request, what=..., target=...)`. A list is one entry naming its
address (the filters in its query string), not one per row.
"""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, AuditKind, User

# What a read showed, as the trail names it.
PHONE = _("phone")
PARTY_MEMBERS = _("party members")

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


def record_personal_data_read(request: HttpRequest, *, what: str, target: models.Model | None = None) -> AuditEvent:
    """A page or API answer showed personal data (`what`: e.g. "phone", "party members"): of
    `target`, or of the list at the request's address."""
    user = request.user if isinstance(request.user, User) else None
    return record(
        AuditKind.PERSONAL_DATA_READ,
        actor=user,
        target=target,
        target_repr="" if target is not None else request.get_full_path(),
        detail=_in_the_trails_language(what),
        request=request,
    )


def _in_the_trails_language(text: Any) -> str:
    # The trail is read in the portal's language whatever the reader's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def shown(request: Any, response: Any) -> bool:
    return request.method == "GET" and 200 <= response.status_code < 300


def reads_personal_data(what: Any) -> Callable:
    """A page view whose successful GET shows personal data: one entry per view."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if shown(request, response):
                record_personal_data_read(request, what=what)
            return response

        return wrapper

    return decorator


class PersonalDataReadAudit:
    """For a DRF view: a successful GET answer is recorded as a read of `personal_data`."""

    personal_data: Any = ""

    def shows_personal_data(self, request: Any) -> bool:
        return True

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if shown(request, response) and request.user.is_authenticated and self.shows_personal_data(request):
            record_personal_data_read(request, what=self.personal_data)
        return response


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
