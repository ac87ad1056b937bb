"""Every API list finds things the same way (chainparty.filters): `?q=` searches (`?search=` its
alias), `?ordering=` sorts (`?sort=` its alias), an unknown sort key is a 400 naming `ordering` with
the keys, and an alias contradicting its parameter is a 400 — never silently ignored. The lists are
found from the URL configuration, so a new list is checked without being named here."""

import pytest
from django.forms import MultiWidget
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chainparty.filters import SortFilter

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Lists that neither search nor sort, and why.
NOT_A_SEARCHABLE_LIST = {
    "coverage-list": "one summary object, not a list of rows",
    "posting-suggestions": "a ranking computed for one chain; its order is the point",
    "dashboard-district": "one object of figures; its lists link to the searchable lists behind them",
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
    assert lacking == set(NOT_A_SEARCHABLE_LIST)


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


def _reference_rows(world):
    """Two rows of each list that came to search and sort last (issue 10), told apart by one word."""
    from datetime import date

    from issues.models import CategoryKind, ComplaintSession, IssueCategory, RoutingRule
    from partyorgs.models import AnnualPartyPlan
    from tests import factories as f

    inquiry = IssueCategory.objects.create(code="zx", name="政策咨询", kind=CategoryKind.INQUIRY, resolve_days=2)
    land = IssueCategory.objects.create(code="yd", name="用地报建", kind=CategoryKind.REQUEST, resolve_days=10)
    sessions = [
        ComplaintSession.objects.create(
            title=title,
            held_on=day,
            place="区政务中心",
            chain=world.chain_a,
            host_unit=world.dept_a,
            created_by=world.staff,
        )
        for title, day in (("春季吐槽大会", date(2026, 3, 1)), ("秋季吐槽大会", date(2026, 9, 1)))
    ]
    plans = [
        AnnualPartyPlan.objects.create(
            chain=chain,
            organization=f.PartyOrganizationFactory(name=name),
            year=2026,
            title=f"{name}年度计划",
            filed_on=date(2026, 1, day),
            filed_by=world.staff,
        )
        for chain, name, day in ((world.chain_a, "甲链主党支部", 5), (world.chain_b, "乙链主党支部", 9))
    ]
    return {
        "park-list": ("加速器", [world.park_b.pk, world.park_a.pk], "name"),
        "chain-master-list": ("甲一", [world.master_a.pk, world.master_b.pk], "chain"),
        "unit-list": ("经济部门A", [world.dept_a.pk, world.ic_a.pk], "kind"),
        "issue-category-list": ("政策", [inquiry.code, land.code], "resolve_days"),
        "routing-rule-list": (
            "经济部门A",
            [
                RoutingRule.objects.create(category=land, chain=world.chain_a, unit=world.dept_a).pk,
                RoutingRule.objects.create(category=inquiry, chain=world.chain_b, unit=world.dept_b).pk,
            ],
            "unit",
        ),
        "complaint-session-list": ("春季", [sessions[0].pk, sessions[1].pk], "held"),
        "party-plan-list": ("甲链主", [plans[0].pk, plans[1].pk], "filed"),
    }


REFERENCE_LISTS = [
    "park-list",
    "chain-master-list",
    "unit-list",
    "issue-category-list",
    "routing-rule-list",
    "complaint-session-list",
    "party-plan-list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", REFERENCE_LISTS)
def test_a_reference_list_finds_a_row_by_a_word_and_sorts_it_both_ways(api, world, name):
    word, (first, second), key = _reference_rows(world)[name]
    api.force_authenticate(world.staff)

    def ids(**params):
        response = api.get(reverse(name), params)
        assert response.status_code == 200, response.content
        # Categories are known by their code.
        keys = [row.get("id", row.get("code")) for row in response.json()["results"]]
        return [key for key in keys if key in (first, second)]

    assert ids(q=word) == [first]
    assert ids(search=word) == [first]
    # The unit list holds more kinds than these two: compare the two rows' relative order only.
    ascending, descending = ids(ordering=key), ids(ordering=f"-{key}")
    assert ascending == [first, second], ascending
    assert descending == [second, first], descending


FILTERED = [(name, filterset) for name, filterset in LISTS if filterset is not None]


@pytest.mark.parametrize(("name", "filterset"), FILTERED)
def test_every_filter_reads_the_one_parameter_of_its_name(name, filterset):
    # UserScopedFilterBackend skips the FilterSet when the query names none of its filters
    # (chainparty.filters.asks_a_filter); a filter of several parameters (a range's _min and _max)
    # would be skipped with its parameters given.
    for filter_name, item in filterset.base_filters.items():
        widget = item.extra.get("widget") or item.field_class.widget
        widget_class = widget if isinstance(widget, type) else type(widget)
        assert not issubclass(widget_class, MultiWidget), f"{name}: {filter_name}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "filterset"), FILTERED)
def test_a_filterset_given_none_of_its_parameters_leaves_the_rows_as_they_are(world, name, filterset):
    # What skipping it (UserScopedFilterBackend, when the query names no filter) relies on.
    rows = filterset._meta.model._default_manager.all()
    given = filterset(data=QueryDict("page=2&page_size=10&cursor=x&format=json"), queryset=rows, user=world.staff)
    assert given.is_valid(), given.errors
    assert str(given.qs.query) == str(rows.query)
