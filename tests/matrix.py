"""The permission matrix: what every route answers to every member of the cast.

`tests/test_permission_matrix.py` walks the URL configuration and requires an expectation for each
route it finds; a route nobody declared fails the suite. Each app declares its routes in
`tests/<app>/routes.py`:

    from tests.matrix import Route, page, api

    ROUTES = {
        # route name (namespace:name) -> what each cast member gets
        "partyorgs:organization-list": page(),                      # any business role: 200
        "partyorgs:organization-detail": page(kwargs=lambda w, o: {"pk": o.org_a.pk}, leader_b=404),
        "partyorg-list": api(),                                      # the API's list
        "partyorg-designate": api(method="post", staff=400, others=403),
    }
    # optional: objects the kwargs need, built once per test on the `world` cast
    def objects(world): return {"org_a": ...}

`page(ok=..., **status)`: signed out 302 (to sign in); security/audit administrators and users
without a role 404 (三员分立: business pages do not exist for them); the business roles in `ok` (all
of them by default) 200, the others 403; then any cast member named as a keyword gets the status
given. `api(...)`: the same for the API, with 401 signed out and, for the roleless and the
administrators, the scoped answer (200, empty) unless said otherwise. `everyone(status)`: one status
for all. The cast: CAST below, from the `world` fixture (tests/conftest.py).

An unnamed route is declared by its pattern string. DRF's format-suffix twins share their route's
name and its expectation. Admin pages are declared per model in `tests/accounts/routes.py`
(ADMIN_MODELS): who edits it and who may only view it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

CAST = (
    "anonymous",
    "staff",
    "leader_a",
    "handler_a",
    "chief_a",
    "secretary_a",
    "contact_a",
    "contact_b",
    "security",
    "auditor",
    "outsider",
)
BUSINESS = ("staff", "leader_a", "handler_a", "chief_a", "secretary_a", "contact_a", "contact_b")
ADMINS = ("security", "auditor")

Kwargs = Callable[[Any, SimpleNamespace], Mapping[str, Any]]


@dataclass(frozen=True)
class Route:
    expect: Mapping[str, int]
    kwargs: Kwargs = field(default=lambda world, objects: {})
    method: str = "get"
    data: Mapping[str, Any] | None = None
    query: str = ""

    def __post_init__(self):
        missing = set(CAST) - set(self.expect)
        assert not missing, f"no expectation for {sorted(missing)}"


def _build(defaults: dict[str, int], overrides: Mapping[str, int], **route) -> Route:
    unknown = set(overrides) - set(CAST)
    assert not unknown, f"not in the cast: {sorted(unknown)}"
    return Route(expect={**defaults, **overrides}, **route)


def everyone(status: int, **route) -> Route:
    return Route(expect=dict.fromkeys(CAST, status), **route)


def page(ok: Iterable[str] = BUSINESS, *, denied: int = 403, kwargs: Kwargs | None = None, **rest) -> Route:
    route = {key: rest.pop(key) for key in ("method", "data", "query") if key in rest}
    if kwargs is not None:
        route["kwargs"] = kwargs
    allowed = set(ok)
    defaults = {"anonymous": 302, "security": 404, "auditor": 404, "outsider": 404}
    defaults |= {who: 200 if who in allowed else denied for who in BUSINESS}
    return _build(defaults, rest, **route)


def api(ok: Iterable[str] = BUSINESS, *, denied: int = 403, kwargs: Kwargs | None = None, **rest) -> Route:
    route = {key: rest.pop(key) for key in ("method", "data", "query") if key in rest}
    if kwargs is not None:
        route["kwargs"] = kwargs
    allowed = set(ok)
    defaults = {"anonymous": 401, "security": 200, "auditor": 200, "outsider": 200}
    defaults |= {who: 200 if who in allowed else denied for who in BUSINESS}
    return _build(defaults, rest, **route)


@dataclass(frozen=True)
class AdminAccess:
    """Who edits a model in /admin/ and who may only look (changelist, change page read-only,
    history). `add`/`delete`: False where the admin offers neither to anybody (a log); `delete` may
    instead name who alone deletes (the security administrator lifts a lockout by deleting it)."""

    edit: frozenset = frozenset()
    view: frozenset = frozenset()
    add: bool = True
    delete: bool | frozenset = True
