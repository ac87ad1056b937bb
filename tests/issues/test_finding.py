"""Finding issues (issue 10, "staff cannot find things"): search, sort and date range with the same
parameters on the page and the API, numbered pages, the links to an issue's enterprise and back,
and the export of the list as filtered — each within the user's scope."""

import io
import re
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent, AuditKind, User
from chainparty import jobs
from chainparty.dates import SHANGHAI
from chainparty.models import Job
from tests import factories as f
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("issues:issue-list")
API = reverse("issue-list")


@pytest.fixture(autouse=True)
def _issue_setup(categories, calendar_2026, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def spread(world):
    """Three issues of chain A on three days, one of chain B; one of them dispatched to dept_a."""
    return {
        "land": issue_in(world, "submitted", title="厂房用地审批慢", at=datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)),
        "power": issue_in(
            world,
            "dispatched",
            enterprise=world.ent_a2,
            title="用电增容排队",
            at=datetime(2026, 3, 4, 10, tzinfo=SHANGHAI),
        ),
        "talent": issue_in(world, "submitted", title="人才公寓申请", at=datetime(2026, 3, 6, 10, tzinfo=SHANGHAI)),
        "b": issue_in(
            world, "submitted", enterprise=world.ent_b1, title="乙链用地", at=datetime(2026, 3, 3, tzinfo=SHANGHAI)
        ),
    }


def api_ids(api, user, **params) -> list[int]:
    api.force_authenticate(User.objects.get(pk=user.pk))
    response = api.get(API, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def page_ids(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(rb'<td class="code"><a href="/issues/(\d+)/"', response.content)]


def ids(spread, *names) -> list[int]:
    return [spread[name].pk for name in names]


# --- search -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("用地", {"land", "b"}),  # a word of the title
        ("用地 甲一", {"land"}),  # every word must be found: the title's and the enterprise's
        ("甲二企业", {"power"}),  # the enterprise's name
    ],
)
def test_q_finds_issues_by_title_and_enterprise_on_the_page_and_the_api(client, api, world, spread, query, expected):
    want = set(ids(spread, *expected))
    assert set(page_ids(client, world.staff, q=query)) == want
    assert set(api_ids(api, world.staff, q=query)) == want


def test_q_finds_an_issue_by_its_number_and_its_enterprise_by_credit_code(client, api, world, spread):
    power = spread["power"]
    assert api_ids(api, world.staff, q=power.number) == [power.pk]
    assert page_ids(client, world.staff, q=power.number.lower()) == [power.pk]
    assert set(api_ids(api, world.staff, q=world.ent_a2.credit_code)) == {power.pk}


def test_search_is_an_alias_of_q_and_contradicting_q_is_refused(api, world, spread):
    assert api_ids(api, world.staff, search="人才") == ids(spread, "talent")
    assert api_ids(api, world.staff, search="人才", q="人才") == ids(spread, "talent")
    response = api.get(API, {"q": "人才", "search": "用电"}, **EN)
    assert response.status_code == 400
    assert response.json()["errors"] == {"q": ["Give q or its alias search, not both with different values."]}


def test_a_search_longer_than_the_limit_is_refused_naming_q(api, world):
    api.force_authenticate(world.staff)
    response = api.get(API, {"q": "字" * 101}, **EN)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["q"]


@pytest.mark.parametrize("who", ["contact_b", "handler_b", "leader_b"])
def test_searching_never_finds_what_is_outside_scope(client, api, world, spread, who):
    user = getattr(world, who)
    assert spread["land"].pk not in api_ids(api, user, q="厂房用地")
    assert page_ids(client, user, q="厂房用地") == []
    assert page_ids(client, user, q=spread["land"].number) == []


# --- sort -----------------------------------------------------------------------------------------------
def test_ordering_sorts_the_page_and_the_api_alike(client, api, world, spread):
    oldest_first = ids(spread, "land", "b", "power", "talent")
    for params in ({"ordering": "created"}, {"sort": "created"}):
        assert api_ids(api, world.staff, **params) == oldest_first
        assert page_ids(client, world.staff, **params) == oldest_first
    assert api_ids(api, world.staff, ordering="-created") == oldest_first[::-1]
    assert api_ids(api, world.staff, ordering="enterprise")[-1] == spread["b"].pk  # 乙 after 甲
    # Only the dispatched issue has a resolve deadline: first ascending ("least time left"), and
    # the issues without one after it either way.
    assert api_ids(api, world.staff, ordering="deadline")[0] == spread["power"].pk
    assert api_ids(api, world.staff, ordering="-deadline")[0] == spread["power"].pk
    # Status in the workflow's order, not the codes' alphabet: submitted before dispatched.
    assert api_ids(api, world.staff, ordering="status")[-1] == spread["power"].pk


@pytest.mark.parametrize("parameter", ["ordering", "sort"])
def test_an_unknown_sort_key_is_refused_naming_ordering_and_the_keys(client, api, world, parameter):
    api.force_authenticate(world.staff)
    response = api.get(API, {parameter: "title"}, **EN)
    assert response.status_code == 400
    [message] = response.json()["errors"]["ordering"]
    assert message.startswith("“title” is not a sort key; sort by one of: created, -created, number, -number")
    client.force_login(world.staff)
    page = client.get(LIST, {parameter: "title"}, **EN)
    assert b"is not a sort key" in page.content
    assert b'<td class="code">' not in page.content  # the wrong filter shows no rows


def test_the_column_heads_sort_and_say_which_order_is_shown(client, world, spread):
    client.force_login(world.staff)
    page = client.get(LIST, {"q": "用", "ordering": "deadline", "page": "2"}).content.decode()
    heads = re.findall(r'<th scope="col"([^>]*)><a class="sort" href="\?([^"]*)"', page)
    assert len(heads) == 6  # number, enterprise, chain, status, deadline, submitted
    # The filters kept, back to page 1; the sorted column turns to descending.
    assert (' aria-sort="ascending"', "q=%E7%94%A8&amp;ordering=-deadline") in heads
    assert ("", "q=%E7%94%A8&amp;ordering=created") in heads


# --- dates --------------------------------------------------------------------------------------------
def test_the_date_range_is_the_same_on_the_page_as_on_the_api(client, api, world, spread):
    window = {"created_after": "2026-03-03", "created_before": "2026-03-04", "ordering": "created"}
    assert api_ids(api, world.staff, **window) == ids(spread, "b", "power")
    assert page_ids(client, world.staff, **window) == ids(spread, "b", "power")


# --- paging -----------------------------------------------------------------------------------------------
def test_pages_are_numbered_with_a_jump_that_keeps_the_filters(client, world, monkeypatch):
    monkeypatch.setattr("chainparty.pages.paginate.__kwdefaults__", {"per_page": 1})
    for index in range(12):
        issue_in(world, "submitted", title=f"找我{index}")
    client.force_login(world.staff)
    page = client.get(LIST, {"q": "找我", "page": "6"}, **EN).content.decode()
    numbers = re.findall(r'aria-label="Page (\d+)">', page)
    assert numbers == ["1", "4", "5", "7", "8", "12"]  # first, two either side of 6, last
    assert '<span class="current" aria-current="page">6</span>' in page
    assert page.count('<span class="gap" aria-hidden="true">…</span>') == 2
    assert "Page 6 of 12" in page
    assert '<input type="hidden" name="q" value="找我">' in page
    assert 'name="page" min="1" max="12" value="6"' in page


# --- links ----------------------------------------------------------------------------------------------
def test_an_issue_links_to_its_enterprise_and_the_enterprise_to_its_issues(client, world, spread):
    land = spread["land"]
    client.force_login(world.staff)
    enterprise = reverse("chains:enterprise-detail", args=[world.ent_a1.pk])
    assert f'href="{enterprise}"'.encode() in client.get(reverse("issues:issue-detail", args=[land.pk])).content
    assert f'href="{enterprise}"'.encode() in client.get(LIST).content
    listing = f'href="{LIST}?enterprise={world.ent_a1.pk}"'.encode()
    assert listing in client.get(enterprise).content
    assert page_ids(client, world.staff, enterprise=world.ent_a1.pk) == ids(spread, "talent", "land")


def test_no_link_to_an_enterprise_the_user_may_not_open(client, world):
    # The town co-handles an issue of chain A, whose enterprises it does not see.
    issue = issue_in(world, "dispatched", mode="joint", co=[world.town])
    client.force_login(world.handler_town)
    enterprise = reverse("chains:enterprise-detail", args=[world.ent_a1.pk])
    assert client.get(enterprise).status_code == 404
    assert enterprise.encode() not in client.get(reverse("issues:issue-detail", args=[issue.pk])).content
    assert enterprise.encode() not in client.get(LIST).content


# --- export ---------------------------------------------------------------------------------------------
def export(client, user, params: str):
    client.force_login(user)
    return client.post(reverse("jobs:export", args=["issues.list"]), {"params": params})


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))


def test_the_export_holds_the_filtered_list_in_its_order_and_is_audited(client, world, spread):
    response = export(client, world.staff, "q=用&ordering=-created")
    assert response.status_code == 200
    numbers = [row[0] for row in sheet_rows(response.content)]
    assert numbers == [spread[name].number for name in ("power", "b", "land")]
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT, detail="q=用&ordering=-created").count() == 1


def test_the_export_keeps_to_the_users_scope(client, world, spread):
    rows = sheet_rows(export(client, world.contact_b, "q=用地").content)
    assert [row[0] for row in rows] == [spread["b"].number]


def test_the_export_writes_formulas_as_text(client, world):
    issue_in(world, "submitted", title="=HYPERLINK(1)")
    [row] = sheet_rows(export(client, world.staff, "").content)
    assert row[1] == "'=HYPERLINK(1)"


def test_a_large_export_runs_as_a_job_with_the_same_rows(client, world, spread, monkeypatch):
    monkeypatch.setattr(jobs, "EXPORT_AT_ONCE_ROWS", 1)
    monkeypatch.setattr(jobs, "enqueue", lambda *args: True)
    response = export(client, world.leader_a, "ordering=created")
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    rows = sheet_rows(job.result.read())
    assert [row[0] for row in rows] == [spread[name].number for name in ("land", "power", "talent")]


def test_a_bad_filter_exports_nothing(client, world, spread):
    assert sheet_rows(export(client, world.staff, "ordering=title").content) == []


@pytest.mark.parametrize("who", ["security", "auditor"])
def test_the_administrators_have_no_issue_export(client, world, who):
    assert export(client, getattr(world, who), "").status_code == 404


# --- queries ----------------------------------------------------------------------------------------------
def _more(world, n: int) -> None:
    for index in range(n):
        enterprise = f.EnterpriseFactory(name=f"企业{index}")
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        issue_in(world, "dispatched", enterprise=enterprise, title=f"用地{index}")


# The list page's own count (tests/issues/test_pages.py): staff and chain leaders have the menu's 督办件 count too.
@pytest.mark.parametrize(("who", "page_queries"), [("staff", 9), ("handler_a", 8), ("leader_a", 9)])
def test_searching_and_sorting_cost_the_same_queries_for_more_rows(
    client, api, world, django_assert_num_queries, who, page_queries
):
    user = getattr(world, who)
    client.force_login(user)
    params = {"q": "用地", "ordering": "-deadline", "created_after": "2026-01-01"}
    counts = []
    for n in (2, 6):
        _more(world, n)
        with django_assert_num_queries(page_queries):
            assert client.get(LIST, params).status_code == 200
        api.force_authenticate(User.objects.get(pk=user.pk))  # a fresh user: its roles are read again
        with django_assert_num_queries(2) as captured:  # roles, the page with its count
            assert api.get(API, params).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
