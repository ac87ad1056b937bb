"""Input at the edges: every bad request is a 400 (or 404) in the documented JSON shape naming the
field and the reason, never a 500, and nothing is written."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from issues.models import ComplaintSession, Issue


def error_fields(response) -> set[str]:
    body = response.json()
    assert set(body) >= {"code", "detail"}, body
    return set(body.get("errors", {}))


@pytest.mark.parametrize(
    "path", ["/api/v1/issues/abc/", "/api/v1/no-such-thing/", "/api/v1/issues/1/no-such-action/", "/api/nothing"]
)
def test_a_path_no_route_matches_is_a_json_404(api, world, path):
    api.force_authenticate(world.staff)
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/issues/abc/", "/api/nothing", "/api/v1/issues/1/no-such-action/"])
def test_with_debug_on_a_path_no_route_matches_is_still_a_json_404(api, world, settings, path):
    # With DEBUG Django answers an unmatched path with its technical HTML page, not handler404.
    settings.DEBUG = True
    api.force_authenticate(world.staff)
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "未找到。"}


def test_with_debug_on_a_method_the_route_does_not_take_is_still_a_json_405(api, world, settings):
    settings.DEBUG = True
    api.force_authenticate(world.staff)
    response = api.delete("/api/v1/issues/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_with_debug_on_a_page_keeps_its_technical_404(client, world, settings):
    settings.DEBUG = True
    client.force_login(world.staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_page_outside_the_api_stays_an_html_404(client, world):
    client.force_login(world.staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_route_does_not_take_is_a_json_405(api, world):
    api.force_authenticate(world.staff)
    response = api.delete("/api/v1/issues/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(("query", "field"), [("page=abc", "page"), ("page=0", "page"), ("page_size=x", "page_size")])
def test_a_page_parameter_that_is_not_a_number_names_itself(api, world, query, field):
    api.force_authenticate(world.staff)
    response = api.get(f"/api/v1/issues/?{query}")
    assert response.status_code == 400
    assert error_fields(response) == {field}


@pytest.mark.parametrize("who", ["staff", "handler_a", "contact_a"])
@pytest.mark.parametrize("param", ["created_before", "created_after"])
def test_a_date_far_in_the_future_is_refused_not_a_crash(api, world, who, param):
    api.force_authenticate(getattr(world, who))
    response = api.get(f"/api/v1/issues/?{param}=9999-12-31")
    assert response.status_code == 400
    assert error_fields(response) == {param}


def test_an_issue_list_page_with_such_a_date_shows_the_error(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("issues:issue-list"), {"created_before": "9999-12-31"})
    assert response.status_code in (200, 400)
    assert "created_before" in response.context["form"].errors


def test_a_kpi_or_ranking_period_ending_in_9999_is_a_400(api, world):
    api.force_authenticate(world.staff)
    kpi = api.get(f"/api/v1/units/{world.dept_a.pk}/kpis/?from=2026-01-01&to=9999-12-31")
    assert kpi.status_code == 400
    assert error_fields(kpi) == {"to"}


def test_the_ranking_page_with_such_a_period_shows_the_error(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("issues:ranking"), {"start": "2026-01-01", "end": "9999-12-31"})
    assert response.status_code in (200, 400)
    assert b"2099-12-31" in response.content


def test_json_nested_5000_deep_is_a_400(api, world):
    api.force_authenticate(world.contact_a)
    body = "[" * 5000 + "]" * 5000
    response = api.post("/api/v1/issues/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"
    assert not Issue.objects.exists()


def test_json_just_past_the_depth_limit_is_a_400_and_within_it_is_read(api, world, settings):
    api.force_authenticate(world.contact_a)
    deep = {"title": 1}
    for _ in range(settings.JSON_MAX_DEPTH):
        deep = {"a": deep}
    assert api.post("/api/v1/issues/", json.dumps(deep), content_type="application/json").status_code == 400
    shallow = json.dumps({"title": [[["x"]]]})
    response = api.post("/api/v1/issues/", shallow, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # parsed, then refused field by field


def test_a_json_body_over_the_size_limit_is_a_400(api, world, settings):
    settings.JSON_MAX_BYTES = 1000
    api.force_authenticate(world.contact_a)
    response = api.post("/api/v1/issues/", json.dumps({"description": "x" * 2000}), content_type="application/json")
    assert response.status_code == 400
    assert "1000" in response.json()["detail"]


@pytest.fixture
def session(world):
    return ComplaintSession.objects.create(
        title="吐槽大会",
        held_on="2026-11-20",
        place="区政府",
        host_unit=world.two_new,
        created_by=world.staff,
        chain=world.chain_a,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "标题\x00"), ("description", "描述\ud800"), ("category", "req\x00uest"), ("title", "标\x07题")],
)
def test_bad_characters_in_a_bulk_row_name_the_row_and_field(api, world, categories, session, field, value):
    api.force_authenticate(world.staff)
    good = {"enterprise": world.ent_a1.pk, "category": "request", "title": "用地", "description": "慢"}
    payload = json.dumps({"rows": [good, {**good, field: value}]}, ensure_ascii=True)
    response = api.post(f"/api/v1/complaint-sessions/{session.pk}/issues/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert error_fields(response) == {f"rows[1].{field}"}
    assert not Issue.objects.exists()


@pytest.mark.parametrize("value", ["标题\x00", "描述\ud800"])
def test_bad_characters_in_a_single_submission_are_refused(api, world, categories, value):
    api.force_authenticate(world.contact_a)
    payload = json.dumps(
        {"enterprise": world.ent_a1.pk, "category": "request", "title": value, "description": "x"}, ensure_ascii=True
    )
    response = api.post("/api/v1/issues/", payload, content_type="application/json")
    assert response.status_code == 400
    assert error_fields(response) == {"title"}


def test_dispatch_to_a_unit_nobody_can_sign_for_is_refused_naming_it(world, categories, calendar_2026):
    from django.core.exceptions import ValidationError

    from issues import services
    from tests.issues.builders import issue_in

    issue = issue_in(world, "accepted")
    world.handler_b.is_active = False
    world.handler_b.save(update_fields=["is_active"])
    for kwargs, field, unit in (
        ({"mode": "transfer", "lead_unit_id": world.ic_a.pk}, "lead_unit", world.ic_a),
        (
            {"mode": "joint", "lead_unit_id": world.dept_a.pk, "co_unit_ids": [world.dept_b.pk]},
            "co_units",
            world.dept_b,
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            services.dispatch_issue(issue_id=issue.pk, actor=world.staff, **kwargs)
        assert list(refused.value.message_dict) == [field]
        assert unit.name in refused.value.message_dict[field][0]
    issue.refresh_from_db()
    assert issue.status == "accepted"
    assert not issue.shares.exists()


def test_an_unsatisfied_rating_asks_the_co_units_for_a_new_part(world, categories, calendar_2026):
    from chainparty.errors import InvalidTransition
    from issues import services
    from issues.models import ShareRole, ShareStatus
    from tests.issues.builders import issue_in

    issue = issue_in(world, "resolved", mode="joint")
    co = issue.shares.get(role=ShareRole.CO)
    assert co.status == ShareStatus.REPLIED
    services.rate_issue(
        issue_id=issue.pk, actor=world.contact_a, satisfaction="unsatisfied", reason_codes=["slow"], comment="没解决"
    )
    co.refresh_from_db()
    assert co.status == ShareStatus.SIGNED
    assert co.due_at is not None
    with pytest.raises(InvalidTransition):
        services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="再答一次")
    services.reply_part(issue_id=issue.pk, actor=world.handler_b, reply="补充新的意见")
    services.resolve_issue(issue_id=issue.pk, actor=world.handler_a, answer="再答一次")


def test_one_account_submits_at_most_the_hourly_limit(api, client, world, categories, settings):
    settings.ISSUE_SUBMIT_LIMIT_PER_HOUR = 3
    api.force_authenticate(world.contact_a)
    body = {"enterprise": world.ent_a1.pk, "category": "request", "description": "x"}
    statuses = [api.post("/api/v1/issues/", {**body, "title": f"第{n}件"}, format="json").status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    refused = api.post("/api/v1/issues/", {**body, "title": "又一件"}, format="json")
    assert refused.json()["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Issue.objects.count() == 3
    # The page says so on the form, and another account is not held back.
    client.force_login(world.contact_a)
    page = client.post(reverse("issues:issue-submit"), {**body, "title": "页面", "category": "request"})
    assert page.status_code == 400
    assert page.context["form"].non_field_errors()
    api.force_authenticate(world.secretary_a)
    assert api.post("/api/v1/issues/", {**body, "title": "书记"}, format="json").status_code == 201
    # An hour later the account may submit again.
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        api.force_authenticate(world.contact_a)
        assert api.post("/api/v1/issues/", {**body, "title": "次时"}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("path", "param"), [("/api/v1/cadres/", "young"), ("/api/v1/party-organizations/", "top_level")]
)
def test_a_yes_no_filter_refuses_what_is_neither(api, world, path, param):
    api.force_authenticate(world.staff)
    assert api.get(f"{path}?{param}=maybe").status_code == 400
    assert error_fields(api.get(f"{path}?{param}=2")) == {param}
    assert api.get(f"{path}?{param}=true").status_code == 200
    assert api.get(f"{path}?{param}=").status_code == 200  # blank: not given


def test_the_issue_title_is_a_title_in_chinese_not_a_job_title():
    from django.utils import translation

    from chains.models import TaskForceMember

    with translation.override("zh-hans"):
        assert str(Issue._meta.get_field("title").verbose_name) == "标题"
        assert str(TaskForceMember._meta.get_field("title").verbose_name) == "职务"
