"""Every route × every member of the cast, with the status each must get (tests/matrix.py explains
how an app declares its routes). Generated from the URL configuration: a route that no
`tests/<app>/routes.py` declares fails `test_every_route_is_declared`, so a new page or endpoint
cannot arrive without saying who may reach it."""

import importlib
import pkgutil
import re
from http.cookies import SimpleCookie
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.conftest import build_world
from tests.matrix import CAST, AdminAccess, Route

# Writes come last, from the most privileged, so that a refused caller sees the object untouched.
ORDER = sorted(CAST, key=lambda who: (who == "staff", who in {"leader_a", "handler_a"}))
ADMIN_VIEWS = {
    "changelist": "",
    "add": "add/",
    "change": "{pk}/change/",
    "delete": "{pk}/delete/",
    "history": "{pk}/history/",
    "redirect": "{pk}/",  # the old address of the change page
}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or prefix + str(pattern.pattern), prefix + str(pattern.pattern)


def routes_in_urlconf() -> dict[str, str]:
    """route key -> its pattern (the first one, for DRF's format-suffix twins)."""
    found: dict[str, str] = {}
    for key, pattern in _walk(get_resolver().url_patterns):
        found.setdefault(key, pattern)
    return found


def _tables():
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.routes")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module_info.name}.routes":
                raise
            continue
        yield module


TABLES = list(_tables())
DECLARED: dict[str, Route] = {}
for _table in TABLES:
    for _key, _route in getattr(_table, "ROUTES", {}).items():
        assert _key not in DECLARED, f"{_key} declared twice"
        DECLARED[_key] = _route
ADMIN_MODELS: dict[str, AdminAccess] = {}
for _table in TABLES:
    ADMIN_MODELS.update(getattr(_table, "ADMIN_MODELS", {}))


def _admin_model_routes() -> dict[str, tuple[str, str]]:
    """admin route name -> (model label, view) for every registered model's standard views."""
    names = {}
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        for view in ADMIN_VIEWS:
            names[f"admin:{app}_{name}_{view}"] = (model._meta.label_lower, view)
        names[f"admin/{app}/{name}/<path:object_id>/"] = (model._meta.label_lower, "redirect")
    return names


def test_every_route_is_declared():
    admin_routes = _admin_model_routes()
    undeclared = []
    for key, pattern in routes_in_urlconf().items():
        if key in DECLARED:
            continue
        if key in admin_routes and admin_routes[key][0] in ADMIN_MODELS:
            continue
        undeclared.append(f"{key}  ({pattern})")
    assert not undeclared, (
        "Routes without an expectation in the permission matrix; declare each in tests/<app>/routes.py "
        "(see tests/matrix.py):\n  " + "\n  ".join(undeclared)
    )


def test_no_declaration_is_left_over():
    present = set(routes_in_urlconf())
    assert not (set(DECLARED) - present), sorted(set(DECLARED) - present)
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert not (set(ADMIN_MODELS) - registered), sorted(set(ADMIN_MODELS) - registered)


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast, its objects and one signed-in client per member, built once for the module inside a
    transaction that is rolled back at its end; each test runs in a savepoint within it (pytest-django's
    own per-test atomic block), so a write by one route is gone before the next route is asked."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        world = build_world()
        for who in ("staff", "security", "auditor"):  # the demo gives these three admin access
            user = getattr(world, who)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        objects = {}
        for table in TABLES:
            if hasattr(table, "objects"):
                objects.update(table.objects(world))
        clients = {who: _client(world, who) for who in CAST}
        yield SimpleNamespace(world=world, cast=SimpleNamespace(**objects), clients=clients)
        transaction.set_rollback(True)


def _client(world, who) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    client.signed_in_cookies = SimpleCookie(client.cookies.output(header="", sep="\n"))
    return client


def _as(shared, who) -> Client:
    """The member's client with just the cookies of its sign-in: a route that signs out, rotates the
    session or sets a cookie leaves nothing for the next one (its rows are rolled back anyway)."""
    client = shared.clients[who]
    client.cookies = SimpleCookie(client.signed_in_cookies.output(header="", sep="\n"))
    return client


def _url(pattern: str, kwargs) -> str:
    """The pattern with its parameters filled in (both path() converters and regex groups)."""
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), pattern)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


def _answer(client, route: Route, url: str) -> int:
    method = getattr(client, route.method)
    if route.method == "get":
        return method(url + (f"?{route.query}" if route.query else "")).status_code
    return (
        method(url, route.data or {}, content_type="application/json" if "/api/" in url else None).status_code
        if route.data
        else method(url).status_code
    )


@pytest.mark.parametrize("key", sorted(DECLARED))
def test_route(key, shared, db):
    route = DECLARED[key]
    pattern = routes_in_urlconf()[key]
    url = _url(pattern, route.kwargs(shared.world, shared.cast))
    got = {who: _answer(_as(shared, who), route, url) for who in ORDER}
    expected = {who: route.expect[who] for who in ORDER}
    assert got == expected, f"{route.method.upper()} {url}: got {got}"


def _admin_expectation(access: AdminAccess, view: str, who: str) -> int:
    if who not in ("staff", "security", "auditor") or view == "redirect":
        return 302  # no admin access at all: the admin's sign-in page; or the old address's redirect
    if view == "delete" and isinstance(access.delete, frozenset):
        return 200 if who in access.delete else 403
    if (view == "add" and not access.add) or (view == "delete" and not access.delete):
        return 403
    if who in access.edit:
        return 200
    if who in access.view and view in ("changelist", "change", "history"):
        return 200
    return 403


ADMIN_CASES = sorted((model, view) for model in ADMIN_MODELS for view in ADMIN_VIEWS)


@pytest.mark.parametrize(("model", "view"), ADMIN_CASES)
def test_admin_route(model, view, shared, db):
    from django.apps import apps

    model_class = apps.get_model(model)
    obj = model_class._default_manager.order_by("pk").first()
    path = ADMIN_VIEWS[view].format(pk=obj.pk if obj else 0)
    url = f"/admin/{model_class._meta.app_label}/{model_class._meta.model_name}/{path}"
    got = {who: _as(shared, who).get(url).status_code for who in ORDER}
    expected = {who: _admin_expectation(ADMIN_MODELS[model], view, who) for who in ORDER}
    if obj is None and "{pk}" in ADMIN_VIEWS[view]:
        # No row in the cast (give the model one in a routes.py objects()): whoever may open the
        # page is sent back with "does not exist"; the gate is still checked for everyone else.
        # (The history page looks for the row before it asks who is asking: 302 for all.)
        expected = {who: 302 if status == 200 or view == "history" else status for who, status in expected.items()}
    assert got == expected, f"GET {url}: got {got}"
