"""Every API list finds things the same way (chainparty.filters): `?q=` searches (`?search=` its
alias), `?ordering=` sorts (`?sort=` its alias), an unknown sort key is a 400 naming `ordering` with
the keys, and an alias contradicting its parameter is a 400 — never silently ignored. The lists are
found from the URL configuration, so a new list is checked without being named here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chainparty.filters import SortFilter

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Lists that neither search nor sort, and why.
NOT_A_SEARCHABLE_LIST = {
    "coverage-list": "one summary object, not a list of rows",
    "posting-suggestions": "a ranking computed for one chain; its order is the point",
}
# Lists that are to search and sort and do not yet (issue 10); this set only shrinks.
PENDING = {
    "chain-master-list",
    "complaint-session-list",
    "issue-category-list",
    "park-list",
    "party-plan-list",
    "routing-rule-list",
    "unit-list",
}


def _api_lists(patterns=None, prefix=""):
    """(route name, filterset class) of every DRF list route under /api/v1/."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_lists(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            path = prefix + str(pattern.pattern)
            view = getattr(pattern.callback, "cls", None)
            actions = getattr(pattern.callback, "actions", None) or {}
            if view is None or not path.startswith("api/v1/") or "<" in path or "(?P" in path:
                continue
            if actions.get("get") == "list" or (not actions and hasattr(view, "get")):
                yield pattern.name, getattr(view, "filterset_class", None)


LISTS = sorted({name: filterset for name, filterset in _api_lists() if not name.endswith("-root")}.items())


def test_every_list_searches_and_sorts_unless_it_says_why():
    lacking = {
        name
        for name, filterset in LISTS
        if filterset is None
        or "q" not in filterset.base_filters
        or not isinstance(filterset.base_filters.get("ordering"), SortFilter)
    }
    assert lacking == set(NOT_A_SEARCHABLE_LIST) | PENDING


SORTED = [name for name, filterset in LISTS if filterset and "ordering" in filterset.base_filters]


@pytest.mark.django_db
@pytest.mark.parametrize("name", SORTED)
@pytest.mark.parametrize("parameter", ["ordering", "sort"])
def test_an_unknown_sort_key_is_a_400_naming_ordering_with_the_keys(api, world, name, parameter):
    api.force_authenticate(world.staff)
    response = api.get(reverse(name), {parameter: "no-such-key"}, **EN)
    assert response.status_code == 400, response.content
    [message] = response.json()["errors"]["ordering"]
    assert message.startswith("“no-such-key” is not a sort key; sort by one of: ")


@pytest.mark.django_db
@pytest.mark.parametrize("name", SORTED)
def test_every_sort_key_sorts_both_ways(api, world, name):
    api.force_authenticate(world.staff)
    keys = dict(LISTS)[name].base_filters["ordering"].keys
    for key in keys:
        for value in (key, f"-{key}"):
            assert api.get(reverse(name), {"sort": value}).status_code == 200, value


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, filterset in LISTS if filterset and "q" in filterset.base_filters])
def test_search_and_q_with_different_values_are_a_400(api, world, name):
    api.force_authenticate(world.staff)
    assert api.get(reverse(name), {"search": "甲", "q": "甲"}).status_code == 200
    response = api.get(reverse(name), {"search": "甲", "q": "乙"}, **EN)
    assert response.status_code == 400
    assert response.json()["errors"] == {"q": ["Give q or its alias search, not both with different values."]}
