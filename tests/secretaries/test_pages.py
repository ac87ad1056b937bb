"""The secretaries' pages: who reaches which (403 for another business role, 404 for the
administrators of 三员分立), what they show, forms refusing bad input with the field named, and query
counts that do not grow with the rows."""

import pytest
from django.urls import reverse

from secretaries.models import Cadre, Posting, PostingStatus, WorkLog
from tests import factories as f

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "secretaries:cadre-list",
    "secretaries:cadre-create",
    "secretaries:posting-create",
    "secretaries:suggestions",
]
BUSINESS = ["staff", "leader_a", "handler_a", "chief_a", "secretary_a", "contact_a"]


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("who", BUSINESS)
def test_staff_pages_are_staffs_only(client, posts, name, who):
    expected = 200 if who == "staff" else 403
    assert get(client, getattr(posts, who), reverse(name)).status_code == expected


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("secretaries:mine", {"secretary_a"}),
        ("secretaries:parks", {"staff", "chief_a"}),
        ("secretaries:posting-list", set(BUSINESS)),
    ],
)
@pytest.mark.parametrize("who", BUSINESS)
def test_role_pages_are_for_their_roles(client, posts, name, allowed, who):
    expected = 200 if who in allowed else 403
    assert get(client, getattr(posts, who), reverse(name)).status_code == expected


@pytest.mark.parametrize("who", ["security", "auditor"])
@pytest.mark.parametrize("name", [*STAFF_PAGES, "secretaries:mine", "secretaries:parks", "secretaries:posting-list"])
def test_the_administrators_see_no_such_pages(client, posts, who, name):
    assert get(client, getattr(posts, who), reverse(name)).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, posts):
    response = client.get(reverse("secretaries:posting-list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_posting_list_shows_what_the_user_sees(client, posts):
    html = get(client, posts.leader_a, reverse("secretaries:posting-list")).content.decode()
    assert posts.ent_a1.name in html
    assert posts.ent_b1.name not in html


def test_the_posting_page_offers_the_cadre_log_work_and_raising_an_issue(client, posts):
    response = get(client, posts.secretary_a, reverse("secretaries:posting-detail", args=[posts.posting_a.pk]))
    actions = [item["action"] for item in response.context["action_forms"]]
    assert actions == ["log-work"]
    assert response.context["may_raise_issue"]
    assert f"{reverse('issues:issue-submit')}?enterprise={posts.ent_a1.pk}" in response.content.decode()


def test_the_posting_page_offers_staff_end_and_evaluate(client, posts):
    response = get(client, posts.staff, reverse("secretaries:posting-detail", args=[posts.posting_a.pk]))
    assert [item["action"] for item in response.context["action_forms"]] == ["log-work", "end", "evaluate"]
    assert not response.context["may_raise_issue"]


def test_a_contact_sees_the_posting_with_the_phone_masked(client, posts):
    cadre = posts.posting_a.cadre
    cadre.phone = "13812345678"
    cadre.save()
    response = get(client, posts.contact_a, reverse("secretaries:posting-detail", args=[posts.posting_a.pk]))
    assert response.context["action_forms"] == []
    html = response.content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html


def test_logging_work_on_the_page(client, posts):
    client.force_login(posts.secretary_a)
    url = reverse("secretaries:posting-action", args=[posts.posting_a.pk, "log-work"])
    body = {
        "log_work-kind": "guidance",
        "log_work-date": "2026-11-30",
        "log_work-summary": "指导发展党员",
        "log_work-members_developed": "1",
        "log_work-activists_found": "0",
    }
    response = client.post(url, body)
    assert response.status_code == 302
    assert WorkLog.objects.get(posting=posts.posting_a).summary == "指导发展党员"


def test_a_bad_work_log_on_the_page_comes_back_with_the_fields_named(client, posts):
    client.force_login(posts.secretary_a)
    url = reverse("secretaries:posting-action", args=[posts.posting_a.pk, "log-work"])
    response = client.post(
        url,
        {
            "log_work-kind": "guidance",
            "log_work-date": "2027-01-01",
            "log_work-summary": "",
            "log_work-members_developed": "0",
            "log_work-activists_found": "0",
        },
    )
    assert response.status_code == 400
    [form] = [item["form"] for item in response.context["action_forms"] if item["action"] == "log-work"]
    assert set(form.errors) == {"summary"}
    response = client.post(
        url,
        {
            "log_work-kind": "guidance",
            "log_work-date": "2027-01-01",
            "log_work-summary": "x",
            "log_work-members_developed": "0",
            "log_work-activists_found": "0",
        },
    )
    [form] = [item["form"] for item in response.context["action_forms"] if item["action"] == "log-work"]
    assert set(form.errors) == {"date"}
    assert not WorkLog.objects.exists()


def test_staff_end_a_posting_on_the_page_and_it_offers_the_evaluation_next(client, posts):
    client.force_login(posts.staff)
    url = reverse("secretaries:posting-action", args=[posts.posting_a.pk, "end"])
    assert client.post(url, {"end-reason": "调回原单位"}).status_code == 302
    assert Posting.objects.get(pk=posts.posting_a.pk).status == PostingStatus.ENDED
    response = client.get(reverse("secretaries:posting-detail", args=[posts.posting_a.pk]))
    assert [item["action"] for item in response.context["action_forms"]] == ["evaluate"]


def test_posting_a_cadre_on_the_page_by_credit_code(client, posts):
    client.force_login(posts.staff)
    body = {
        "cadre": posts.pool_cadre.pk,
        "kind": "instructor",
        "enterprise": posts.ent_a2.credit_code,
        "start_date": "2026-12-01",
        "end_date": "2028-11-30",
        "goals": "指导",
    }
    response = client.post(reverse("secretaries:posting-create"), body)
    assert response.status_code == 302
    assert Posting.objects.get(enterprise=posts.ent_a2).cadre == posts.pool_cadre


def test_a_bad_posting_on_the_page_names_the_fields(client, posts):
    client.force_login(posts.staff)
    body = {
        "cadre": posts.pool_cadre.pk,
        "kind": "park_chief",
        "enterprise": posts.ent_a2.credit_code,
        "start_date": "2026-12-01",
        "end_date": "2026-11-01",
    }
    response = client.post(reverse("secretaries:posting-create"), body)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"enterprise", "park", "end_date"}
    response = client.post(
        reverse("secretaries:posting-create"), {**body, "kind": "first_secretary", "enterprise": "91440101XXXXXXXXXX"}
    )
    assert "enterprise" in response.context["form"].errors
    assert not Posting.objects.filter(enterprise=posts.ent_a2).exists()


def test_the_posting_form_is_prefilled_from_a_suggestion(client, posts):
    response = get(
        client,
        posts.staff,
        reverse("secretaries:posting-create"),
        cadre=posts.pool_cadre.pk,
        enterprise=posts.ent_a2.pk,
    )
    assert response.context["form"].initial["enterprise"] == posts.ent_a2.credit_code
    assert response.context["form"].initial["cadre"] == posts.pool_cadre.pk


def test_staff_add_a_cadre_on_the_page_and_bad_input_is_named(client, posts):
    client.force_login(posts.staff)
    body = {
        "name": "赵六",
        "source_kind": "town_street",
        "source_unit": posts.town.pk,
        "expertise": "基层党建，软件",
        "phone": "13900001111",
    }
    assert client.post(reverse("secretaries:cadre-create"), body).status_code == 302
    assert Cadre.objects.get(name="赵六").expertise == ["基层党建", "软件"]
    response = client.post(
        reverse("secretaries:cadre-create"), {**body, "phone": "call me", "birth_date": "2030-01-01"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "phone", "birth_date"}


def test_the_first_secretarys_page_shows_their_enterprises_and_results(client, posts):
    f.WorkLogFactory(posting=posts.posting_a, kind="problem_solved", members_developed=2)
    response = get(client, posts.secretary_a, reverse("secretaries:mine"))
    [row] = response.context["rows"]
    assert row["posting"] == posts.posting_a
    assert (row["totals"]["solved"], row["totals"]["members"]) == (1, 2)
    assert posts.ent_a1.name in response.content.decode()


def test_the_park_page_shows_only_the_chiefs_parks_with_their_coverage(client, posts):
    response = get(client, posts.chief_a, reverse("secretaries:parks"))
    [row] = response.context["rows"]
    assert row["park"] == posts.park_a
    assert (row["counts"]["enterprises"], row["counts"]["covered_count"]) == (1, 1)
    assert [p.pk for p in row["chiefs"]] == [posts.chief_posting.pk]


def test_an_instructor_posted_moves_an_enterprise_into_work_coverage(client, posts):
    other = f.EnterpriseFactory(park=posts.park_a)
    client.force_login(posts.chief_a)
    assert client.get(reverse("secretaries:parks")).context["rows"][0]["counts"]["covered_count"] == 1
    f.PostingFactory(cadre=f.CadreFactory(), enterprise=other, kind="instructor")
    counts = client.get(reverse("secretaries:parks")).context["rows"][0]["counts"]
    assert (counts["enterprises"], counts["covered_count"]) == (2, 2)


def test_the_matching_page_lists_the_chains_uncovered_smes_with_suggestions(client, posts):
    response = get(client, posts.staff, reverse("secretaries:suggestions"), chain=posts.chain_a.pk)
    assert [row["enterprise"] for row in response.context["rows"]] == [posts.ent_a2]
    assert [s.cadre for s in response.context["rows"][0]["cadres"]] == [posts.pool_cadre]
    assert get(client, posts.staff, reverse("secretaries:suggestions"), chain="x").context["invalid"]


# --- query counts --------------------------------------------------------------------------------
def grow(world, n):
    for _ in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a, size_class="small")
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        posting = f.PostingFactory(enterprise=enterprise, cadre=f.CadreFactory(source_unit=world.dept_a))
        f.WorkLogFactory(posting=posting)
        f.CadreFactory(source_unit=world.dept_a, expertise=["研发"])
        f.EnterpriseFactory(park=world.park_a)
        uncovered = f.EnterpriseFactory(size_class="micro")
        f.MembershipFactory(enterprise=uncovered, segment=world.seg_a, chain=world.chain_a)


@pytest.mark.parametrize(
    ("name", "who", "params", "queries"),
    [
        # session, user, roles, count, unread and 督办件 badges, the filter's choices (chains, parks, units), page
        ("secretaries:posting-list", "staff", {}, 10),
        ("secretaries:posting-list", "chief_a", {}, 10),
        # searched, sorted and within a date range: the same queries (issue 10)
        ("secretaries:posting-list", "staff", {"q": "企业", "ordering": "-start", "started_after": "2026-01-01"}, 10),
        # session, user, roles, count, unread and 督办件 badges, the filter's units, page, the phones' audit entry
        ("secretaries:cadre-list", "staff", {}, 9),
        ("secretaries:cadre-list", "staff", {"q": "干部", "ordering": "source_unit"}, 9),
        # session, user, roles, grouped counts, park chiefs, parks, unread and 督办件 badges
        ("secretaries:parks", "chief_a", {}, 8),
        ("secretaries:parks", "staff", {}, 8),
    ],
)
def test_page_queries_do_not_grow_with_the_rows(client, posts, django_assert_num_queries, name, who, params, queries):
    user = getattr(posts, who)
    client.force_login(user)
    grow(posts, 2)
    with django_assert_num_queries(queries):
        client.get(reverse(name), params)
    grow(posts, 5)
    with django_assert_num_queries(queries):
        client.get(reverse(name), params)


def test_the_matching_and_own_pages_take_a_fixed_number_of_queries(client, posts, django_assert_num_queries):
    client.force_login(posts.staff)
    url = reverse("secretaries:suggestions")
    counts = []
    for n in (2, 6):
        grow(posts, n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"chain": posts.chain_a.pk})
        counts.append(len(queries))
    assert counts[0] == counts[1]
    client.force_login(posts.secretary_a)
    mine = []
    for _ in range(2):
        f.WorkLogFactory(posting=posts.posting_a)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("secretaries:mine"))
        mine.append(len(queries))
    assert mine[0] == mine[1]


def test_the_pool_is_searched_by_name_position_and_expertise(client, posts):
    f.CadreFactory(name="孙八", position="组织委员", expertise=["集成电路", "投融资"])
    client.force_login(posts.staff)
    url = reverse("secretaries:cadre-list")
    for q, expected in (("投融资", ["孙八"]), ("组织", ["孙八"]), ("生物医药", ["储备干部甲"]), ("孙八", ["孙八"])):
        names = [c.name for c in client.get(url, {"q": q}).context["page"].object_list]
        assert names == expected, q


def test_the_park_page_counts_organization_coverage_lent_by_partyorgs(client, posts):
    other = f.EnterpriseFactory(park=posts.park_a)
    f.PartyOrganizationFactory(covers=[other])
    counts = get(client, posts.chief_a, reverse("secretaries:parks")).context["rows"][0]["counts"]
    assert (counts["enterprises"], counts["organized_count"], counts["covered_count"]) == (2, 1, 1)


def test_staff_edit_a_cadre_and_a_clash_with_another_is_named(client, posts):
    client.force_login(posts.staff)
    url = reverse("secretaries:cadre-edit", args=[posts.pool_cadre.pk])
    form = client.get(url).context["form"]
    assert form.initial["expertise"] == "生物医药"
    body = {
        "name": "储备干部甲",
        "source_kind": "town_street",
        "source_unit": posts.dept_a.pk,
        "expertise": "新材料",
        "phone": "",
    }
    assert client.post(url, body).status_code == 302
    posts.pool_cadre.refresh_from_db()
    assert (posts.pool_cadre.source_kind, posts.pool_cadre.expertise) == ("town_street", ["新材料"])
    f.CadreFactory(name="同名干部", source_unit=posts.dept_a)
    response = client.post(url, {**body, "name": "同名干部"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]


@pytest.mark.parametrize("who", ["leader_a", "chief_a", "secretary_a", "contact_a"])
def test_only_staff_edit_cadres(client, posts, who):
    url = reverse("secretaries:cadre-edit", args=[posts.pool_cadre.pk])
    assert get(client, getattr(posts, who), url).status_code == 403
