"""The REST API of cadres, postings (actions log-work, end, evaluate), work logs and posting
suggestions: routes, permissions (403 who, 409 when), the error shape, and query counts that do not
grow with the rows."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import User
from secretaries.models import Posting, PostingStatus, WorkLog
from tests import factories as f

pytestmark = pytest.mark.django_db


def as_user(api, user):
    api.force_authenticate(user)
    return api


def action_url(posting, action):
    return reverse("posting-detail", args=[posting.pk]) + f"{action}/"


# --- postings ----------------------------------------------------------------------------------
def test_staff_post_a_cadre_and_read_it_back(api, posts):
    body = {
        "cadre": posts.pool_cadre.pk,
        "kind": "instructor",
        "enterprise": posts.ent_a2.pk,
        "start_date": "2026-12-01",
        "end_date": "2028-11-30",
        "goals": "规范三会一课",
    }
    response = as_user(api, posts.staff).post(reverse("posting-list"), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["enterprise"]["id"], data["status"]) == ("instructor", posts.ent_a2.pk, "active")
    assert data["allowed_actions"] == ["log-work", "end", "evaluate"]


def test_a_bad_posting_is_refused_with_every_field_named(api, posts):
    body = {
        "cadre": posts.pool_cadre.pk,
        "kind": "park_chief",
        "enterprise": posts.ent_a2.pk,
        "start_date": "2026-12-01",
        "end_date": "2026-11-01",
    }
    response = as_user(api, posts.staff).post(reverse("posting-list"), body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid"
    assert set(data["errors"]) == {"enterprise", "park", "end_date"}
    assert not Posting.objects.filter(enterprise=posts.ent_a2).exists()


def test_an_overlapping_posting_is_refused_on_the_enterprise(api, posts):
    body = {
        "cadre": posts.pool_cadre.pk,
        "kind": "first_secretary",
        "enterprise": posts.ent_a1.pk,
        "start_date": "2026-12-01",
    }
    response = as_user(api, posts.staff).post(reverse("posting-list"), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["enterprise"]


@pytest.mark.parametrize("who", ["leader_a", "handler_a", "chief_a", "secretary_a", "contact_a"])
def test_only_staff_post(api, posts, who):
    body = {
        "cadre": posts.pool_cadre.pk,
        "kind": "first_secretary",
        "enterprise": posts.ent_a2.pk,
        "start_date": "2026-12-01",
    }
    assert as_user(api, getattr(posts, who)).post(reverse("posting-list"), body, format="json").status_code == 403


def test_staff_end_and_then_evaluate_a_posting(api, posts):
    as_user(api, posts.staff)
    response = api.post(action_url(posts.posting_a, "end"), {"reason": "调回原单位"}, format="json")
    assert response.status_code == 200
    assert response.json()["allowed_actions"] == ["evaluate"]
    again = api.post(action_url(posts.posting_a, "end"), {"reason": "x"}, format="json")
    assert again.status_code == 409
    assert again.json()["allowed_actions"] == ["evaluate"]
    body = {"goals_met": "partly", "problems_solved": 2, "enterprise_opinion": "较满意", "evaluation": "基本完成"}
    done = api.post(action_url(posts.posting_a, "evaluate"), body, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["problems_solved"]) == ("evaluated", 2)


def test_the_posted_cadre_may_not_end_their_posting(api, posts):
    response = as_user(api, posts.secretary_a).post(action_url(posts.posting_a, "end"), {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert Posting.objects.get(pk=posts.posting_a.pk).status == PostingStatus.ACTIVE


def test_an_evaluation_with_bad_fields_is_a_400(api, posts):
    body = {"goals_met": "perfect", "problems_solved": -2}
    response = as_user(api, posts.staff).post(action_url(posts.posting_a, "evaluate"), body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"goals_met", "problems_solved", "evaluation"}


def test_the_postings_list_filters_by_kind_chain_and_park(api, posts):
    as_user(api, posts.staff)

    def ids(**params):
        return {row["id"] for row in api.get(reverse("posting-list"), params).json()["results"]}

    assert ids(kind="park_chief") == {posts.chief_posting.pk}
    assert ids(chain=posts.chain_a.pk) == {posts.posting_a.pk}
    assert ids(park=posts.park_a.pk) == {posts.posting_a.pk, posts.chief_posting.pk}
    assert ids(status="active") == {posts.posting_a.pk, posts.posting_b.pk, posts.chief_posting.pk}


def test_a_chain_outside_scope_is_not_a_valid_filter(api, posts):
    response = as_user(api, posts.leader_a).get(reverse("posting-list"), {"chain": posts.chain_b.pk})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["chain"]


# --- work logs ---------------------------------------------------------------------------------
def log_body(posting, **kwargs):
    return {"posting": posting.pk, "kind": "policy_briefing", "date": "2026-11-30", "summary": "宣讲惠企政策", **kwargs}


def test_the_cadre_logs_work_through_either_route(api, posts):
    as_user(api, posts.secretary_a)
    response = api.post(reverse("work-log-list"), log_body(posts.posting_a, members_developed=1), format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["cadre"], response.json()["members_developed"]) == (posts.posting_a.cadre.name, 1)
    body = {k: v for k, v in log_body(posts.posting_a).items() if k != "posting"}
    assert api.post(action_url(posts.posting_a, "log-work"), body, format="json").status_code == 200
    assert WorkLog.objects.filter(posting=posts.posting_a).count() == 2


def test_a_work_log_on_an_ended_posting_is_refused_on_the_posting_field(api, posts):
    Posting.objects.filter(pk=posts.posting_a.pk).update(status=PostingStatus.ENDED, ended_on=date(2026, 11, 30))
    response = as_user(api, posts.secretary_a).post(reverse("work-log-list"), log_body(posts.posting_a), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["posting"]
    assert not WorkLog.objects.exists()


def test_a_work_log_on_a_posting_outside_scope_names_the_field(api, posts):
    response = as_user(api, posts.secretary_b).post(reverse("work-log-list"), log_body(posts.posting_a), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"posting": ["您的范围内没有该派驻。"]}


def test_someone_who_sees_the_posting_but_is_not_its_cadre_may_not_log(api, posts):
    response = as_user(api, posts.contact_a).post(reverse("work-log-list"), log_body(posts.posting_a), format="json")
    assert response.status_code == 403


def test_bad_work_log_fields_are_all_named(api, posts):
    body = log_body(posts.posting_a, kind="dinner", date="yesterday", summary="")
    response = as_user(api, posts.secretary_a).post(reverse("work-log-list"), body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "date", "summary"}


# --- cadres ------------------------------------------------------------------------------------
def test_staff_add_a_cadre_and_see_the_phone(api, posts):
    body = {
        "name": "王芳",
        "source_kind": "state_owned_enterprise",
        "source_unit": posts.town.pk,
        "expertise": ["投融资"],
        "phone": "13698765432",
        "birth_date": "1996-05-01",
    }
    response = as_user(api, posts.staff).post(reverse("cadre-list"), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["phone"], data["young"], data["expertise"]) == ("13698765432", True, ["投融资"])


def test_a_cadre_reads_their_own_record_with_the_phone_and_nobody_else(api, posts):
    cadre = posts.posting_a.cadre
    cadre.phone = "13812345678"
    cadre.save()
    response = as_user(api, posts.secretary_a).get(reverse("cadre-list"))
    assert [row["phone"] for row in response.json()["results"]] == ["13812345678"]


def test_only_staff_add_cadres(api, posts):
    body = {"name": "王芳", "source_kind": "town_street", "source_unit": posts.town.pk}
    assert as_user(api, posts.leader_a).post(reverse("cadre-list"), body, format="json").status_code == 403


def test_a_bad_cadre_is_a_400_naming_the_fields(api, posts):
    body = {"name": "", "source_kind": "army", "source_unit": "x"}
    response = as_user(api, posts.staff).post(reverse("cadre-list"), body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"name", "source_kind", "source_unit"}


# --- suggestions -------------------------------------------------------------------------------
def test_suggestions_need_a_chain_in_scope(api, posts):
    as_user(api, posts.staff)
    url = reverse("posting-suggestions")
    assert list(api.get(url).json()["errors"]) == ["chain"]
    assert api.get(url, {"chain": "abc"}).status_code == 400
    assert api.get(url, {"chain": 999999}).status_code == 400
    assert api.get(url, {"chain": posts.chain_a.pk}).status_code == 200


@pytest.mark.parametrize("who", ["leader_a", "handler_a", "chief_a", "secretary_a", "contact_a", "security", "auditor"])
def test_only_staff_ask_for_suggestions(api, posts, who):
    response = as_user(api, getattr(posts, who)).get(reverse("posting-suggestions"), {"chain": posts.chain_a.pk})
    assert response.status_code == 403


# --- query counts --------------------------------------------------------------------------------
def add_postings(world, n):
    for _ in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        posting = f.PostingFactory(enterprise=enterprise)
        f.WorkLogFactory(posting=posting)


@pytest.mark.parametrize(
    ("basename", "who", "queries"),
    [
        # roles, count, page (scope is inside the same statements)
        ("posting", "staff", 3),
        ("posting", "leader_a", 3),
        ("posting", "chief_a", 3),
        ("work-log", "staff", 3),
        ("work-log", "chief_a", 3),
        # and the audit entry of the phones staff read
        ("cadre", "staff", 4),
    ],
)
def test_list_queries_do_not_grow_with_the_rows(posts, api, django_assert_num_queries, basename, who, queries):
    user = getattr(posts, who)
    add_postings(posts, 3)
    as_user(api, User.objects.get(pk=user.pk))  # fresh: its roles are read once per request
    with django_assert_num_queries(queries):
        first = api.get(reverse(f"{basename}-list"))
    add_postings(posts, 6)
    as_user(api, User.objects.get(pk=user.pk))
    with django_assert_num_queries(queries):
        second = api.get(reverse(f"{basename}-list"))
    assert second.json()["count"] > first.json()["count"] >= 1


def test_suggestions_take_a_fixed_number_of_queries(posts, api, django_assert_num_queries):
    url = reverse("posting-suggestions")
    for n in (3, 9):
        as_user(api, User.objects.get(pk=posts.staff.pk))
        for _ in range(n):
            enterprise = f.EnterpriseFactory(size_class="small")
            f.MembershipFactory(enterprise=enterprise, segment=posts.seg_a, chain=posts.chain_a)
            f.CadreFactory(source_unit=posts.dept_a, expertise=["研发"])
        # roles, the chain, count, page, cooperating units, the pool, the audit entry (party members)
        with django_assert_num_queries(7):
            response = api.get(url, {"chain": posts.chain_a.pk})
        assert response.json()["count"] >= n


def test_the_schema_documents_the_new_resources(world, api):
    api.force_authenticate(world.staff)  # the schema is for signed-in users (issue 12)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    for path in [
        "/api/v1/cadres/",
        "/api/v1/postings/",
        "/api/v1/postings/{id}/end/",
        "/api/v1/postings/{id}/evaluate/",
        "/api/v1/postings/{id}/log-work/",
        "/api/v1/work-logs/",
        "/api/v1/posting-suggestions/",
    ]:
        assert path in schema["paths"], path


def test_staff_change_a_cadre_and_others_may_not(api, posts):
    url = reverse("cadre-detail", args=[posts.pool_cadre.pk])
    body = {
        "name": "储备干部甲",
        "source_kind": "state_owned_enterprise",
        "source_unit": posts.dept_a.pk,
        "expertise": ["投融资"],
    }
    response = as_user(api, posts.staff).put(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["source_kind"], response.json()["expertise"]) == ("state_owned_enterprise", ["投融资"])
    own = reverse("cadre-detail", args=[posts.posting_a.cadre.pk])
    mine = {"name": "x", "source_kind": "town_street", "source_unit": posts.town.pk}
    assert as_user(api, posts.secretary_a).put(own, mine, format="json").status_code == 403
    assert as_user(api, posts.leader_a).put(url, body, format="json").status_code == 404
