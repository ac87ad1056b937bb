"""The server-rendered issue pages: each role's page, scope (404 outside it on every route), refused
transitions, form errors, the complaint-session grid and query counts (the inbox page: tests/inbox)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inbox.models import Notification
from issues import services
from issues.models import (
    Attachment,
    ComplaintSession,
    Issue,
    IssueEvent,
    IssueShare,
    Rating,
    Status,
)
from issues.selectors import list_queue_for_user
from issues.workflow import Action
from tests import factories as f
from tests.clock import SHANGHAI, at, end_of
from tests.issues.builders import complaint_session, issue_in, sessions_with_issues

ACTIONS = [
    str(action) for action in Action if action not in (Action.SUBMIT, Action.WARN, Action.ESCALATE, Action.CLOSE)
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name="现场照片.pdf", content=b"%PDF-1.4 test"):
    return services.Upload(name=name, content=SimpleUploadedFile(name, content), size=len(content))


def detail_url(issue):
    return reverse("issues:issue-detail", args=[issue.pk])


def action_url(issue, action):
    return reverse("issues:issue-action", args=[issue.pk, action])


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def post(client, user, url, data=None, **extra):
    client.force_login(user)
    return client.post(url, data or {}, **extra)


def writes(issue):
    """What a refused action must leave untouched."""
    issue.refresh_from_db()
    return (
        issue.status,
        issue.updated_at,
        IssueEvent.objects.filter(issue=issue).count(),
        IssueShare.objects.filter(issue=issue).count(),
        Rating.objects.filter(issue=issue).count(),
        Notification.objects.about(issue).count(),
    )


# --- each page renders for its role -------------------------------------------------------------------
@pytest.mark.django_db
class TestPagesByRole:
    @pytest.mark.parametrize("who", ["staff", "leader_a", "handler_a", "chief_a", "secretary_a", "contact_a"])
    def test_issue_list_and_inbox_render_for_every_business_role(self, client, world, categories, who):
        a = issue_in(world, "dispatched")
        b = issue_in(world, "dispatched", enterprise=world.ent_b1)
        response = get(client, getattr(world, who), reverse("issues:issue-list"))
        assert response.status_code == 200
        listed = [i.pk for i in response.context["page"].object_list]
        html = response.content.decode()
        assert a.number in html
        if who == "staff":
            assert listed == [b.pk, a.pk]
        else:
            assert listed == [a.pk]
            assert b.number not in html
        assert get(client, getattr(world, who), reverse("inbox:list")).status_code == 200

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_issue_pages_do_not_exist_for_users_without_a_business_role(self, client, world, who):
        for name in ("issues:issue-list", "inbox:list", "issues:queue", "issues:issue-submit", "issues:ranking"):
            assert get(client, getattr(world, who), reverse(name)).status_code == 404, name

    def test_queue_lists_the_units_pending_and_signed_shares_with_deadlines(self, client, world, categories):
        pending = issue_in(world, "dispatched", title="待签收的问题")
        signed = issue_in(world, "in_progress", title="已签收的问题")
        issue_in(world, "resolved", title="已办结的问题")
        issue_in(world, "dispatched", enterprise=world.ent_b1, title="别的单位的问题")
        response = get(client, world.handler_a, reverse("issues:queue"))
        assert response.status_code == 200
        assert {row["issue"].pk for row in response.context["rows"]} == {pending.pk, signed.pk}
        html = response.content.decode()
        assert "待签收的问题" in html
        assert "已签收的问题" in html
        assert "已办结的问题" not in html
        assert "别的单位的问题" not in html
        assert pending.sign_due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in html

    def test_queue_marks_an_overdue_share(self, client, world, categories, calendar_2026):
        # Dispatched on Monday 5 January: to be signed for by the end of Tuesday 6th, long past.
        issue = issue_in(world, "dispatched", at=at(1, 5, 9))
        assert issue.sign_due_at == end_of(1, 6)
        with time_machine.travel(at(1, 8), tick=False):  # Thursday: Wednesday and Thursday have passed
            response = get(client, world.handler_a, reverse("issues:queue"))
        [row] = response.context["rows"]
        assert row["overdue"]
        html = response.content.decode()
        assert '<span class="time-left time-left-red"><span class="light light-red" role="img"' in html
        assert "超期 2 个工作日" in html

    def test_list_queue_and_detail_show_the_working_days_left_with_their_light(
        self, client, world, categories, calendar_2026
    ):
        # A request dispatched on Friday 9 October 2026: to be signed for by the end of Saturday 10th
        # (a make-up working day), answered within 10 working days, by the end of Thursday 22nd.
        issue = issue_in(world, "dispatched", at=at(10, 9, 10))
        assert (issue.sign_due_at, issue.resolve_due_at) == (end_of(10, 10), end_of(10, 22))
        with time_machine.travel(at(10, 9, 11), tick=False):
            listed = get(client, world.staff, reverse("issues:issue-list")).content.decode()
            queued = get(client, world.handler_a, reverse("issues:queue")).content.decode()
            detail = get(client, world.staff, detail_url(issue)).content.decode()
        green = '<span class="time-left time-left-green"><span class="light light-green" role="img"'
        yellow = '<span class="time-left time-left-yellow"><span class="light light-yellow" role="img"'
        assert green in listed
        assert "剩余 10 个工作日" in listed
        assert yellow in queued
        assert "剩余 1 个工作日" in queued  # signed for by Saturday, which is worked
        assert "剩余 1 个工作日" in detail  # sign for by
        assert "剩余 10 个工作日" in detail  # resolve by

    def test_a_closed_issue_shows_its_deadline_without_a_light(self, client, world, categories):
        issue = issue_in(world, "closed")
        for page in (reverse("issues:issue-list"), detail_url(issue)):
            html = get(client, world.staff, page).content.decode()
            assert issue.resolve_due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d") in html
            assert 'class="light' not in html
            assert "time-left" not in html

    def test_queue_holds_nothing_of_another_unit_nor_a_share_returned(self, client, world, categories):
        mine = issue_in(world, "dispatched", title="本单位的问题")
        returned = issue_in(world, "dispatched", title="已退回的问题")
        services.return_issue(issue_id=returned.pk, actor=world.handler_a, reason="非本单位职责")
        elsewhere = issue_in(world, "dispatched", enterprise=world.ent_b1, title="别的单位的问题")
        assert [share.issue_id for share in list_queue_for_user(world.handler_a)] == [mine.pk]
        assert [share.issue_id for share in list_queue_for_user(world.handler_b)] == [elsewhere.pk]
        assert list(list_queue_for_user(world.outsider)) == []  # no unit, no queue
        html = get(client, world.handler_b, reverse("issues:queue")).content.decode()
        assert "别的单位的问题" in html
        assert "本单位的问题" not in html
        assert "已退回的问题" not in html

    @pytest.mark.parametrize("who", ["staff", "contact_a", "secretary_a", "leader_a", "chief_a"])
    def test_queue_is_for_unit_handlers_only(self, client, world, who):
        assert get(client, getattr(world, who), reverse("issues:queue")).status_code == 403

    def test_chain_leader_filters_what_escalated_to_them(self, client, world, categories):
        # The higher rung first: the sweep that lifts an issue acts on every issue there is, and the
        # lower rung's sweep, earlier, leaves the other where it is.
        hot = issue_in(world, "dispatched", title="已升级到链长", escalation=2)
        issue_in(world, "dispatched", title="未升级", escalation=1)
        response = get(client, world.leader_a, reverse("issues:issue-list"), min_escalation_level=2)
        assert [i.pk for i in response.context["page"].object_list] == [hot.pk]
        assert response.context["escalated_view"]
        assert reverse("issues:issue-list") + "?min_escalation_level=2" in response.content.decode()

    def test_list_filters_by_status_chain_category_and_overdue(self, client, world, categories):
        a = issue_in(world, "dispatched")
        b = issue_in(world, "submitted", enterprise=world.ent_b1)
        url = reverse("issues:issue-list")
        listed = lambda **params: [i.pk for i in get(client, world.staff, url, **params).context["page"].object_list]  # noqa: E731
        assert listed(status="submitted") == [b.pk]
        assert listed(chain=world.chain_a.pk) == [a.pk]
        assert listed(category=categories["request"].code) == [b.pk, a.pk]
        assert listed(overdue="true") == []
        with time_machine.travel(a.resolve_due_at + timedelta(microseconds=1), tick=False):
            assert listed(overdue="true") == [a.pk]

    def test_list_takes_every_filter_of_the_api_and_keeps_the_ones_it_does_not_show(self, client, world, categories):
        # The escalated one first: the sweep that lifts it acts on every issue there is.
        b = issue_in(world, "dispatched", enterprise=world.ent_b1, escalation=1)
        a = issue_in(world, "dispatched")
        url = reverse("issues:issue-list")
        listed = lambda **params: [i.pk for i in get(client, world.staff, url, **params).context["page"].object_list]  # noqa: E731
        assert listed(unit=world.dept_a.pk) == [a.pk]
        assert listed(enterprise=world.ent_b1.pk) == [b.pk]
        assert listed(escalation_level=0) == [a.pk]
        assert listed(created_after="2000-01-01", overdue="false") == [a.pk, b.pk]
        html = get(client, world.staff, url, unit=world.dept_a.pk).content.decode()
        assert f'type="hidden" name="unit" value="{world.dept_a.pk}"' in html
        response = get(client, world.staff, url, unit="x")
        assert response.context["form"].errors["unit"]
        assert list(response.context["page"].object_list) == []

    def test_a_chain_outside_scope_is_not_a_valid_filter(self, client, world, categories):
        issue_in(world, "dispatched")
        response = get(client, world.leader_a, reverse("issues:issue-list"), chain=world.chain_b.pk)
        assert response.context["form"].errors["chain"]
        assert list(response.context["page"].object_list) == []

    @pytest.mark.parametrize("who", ["contact_a", "secretary_a", "chief_a"])
    def test_submit_page_offers_the_enterprises_the_user_may_submit_for(self, client, world, categories, who):
        response = get(client, getattr(world, who), reverse("issues:issue-submit"))
        assert response.status_code == 200
        assert list(response.context["form"].fields["enterprise"].queryset) == [world.ent_a1]

    @pytest.mark.parametrize("who", ["handler_a", "leader_a"])
    def test_submit_page_is_refused_to_who_may_not_submit(self, client, world, who):
        assert get(client, getattr(world, who), reverse("issues:issue-submit")).status_code == 403

    @pytest.mark.parametrize("who", ["staff"])
    def test_session_pages_render_for_staff(self, client, world, who):
        user = getattr(world, who)
        assert get(client, user, reverse("issues:session-list")).status_code == 200
        assert get(client, user, reverse("issues:session-create")).status_code == 200

    def test_session_list_searches_by_title_and_filters_by_day(self, client, world):
        spring, autumn = make_session(world), complaint_session(world, held_on=date(2026, 9, 10), title="秋季恳谈")
        client.force_login(world.staff)
        assert list(client.get(reverse("issues:session-list"), {"q": "秋季"}).context["rows"]) == [autumn]
        early = client.get(reverse("issues:session-list"), {"held_before": "2026-06-30"}).context["rows"]
        assert list(early) == [spring]
        wrong = client.get(reverse("issues:session-list"), {"held_after": "2026-02-30"}, HTTP_ACCEPT_LANGUAGE="en")
        assert wrong.context["form"].errors["held_after"]

    @pytest.mark.parametrize("who", ["leader_a", "handler_a", "contact_a", "secretary_a", "chief_a"])
    def test_session_pages_are_for_staff_only(self, client, world, who):
        session = make_session(world)
        for url in (
            reverse("issues:session-list"),
            reverse("issues:session-create"),
            reverse("issues:session-entry", args=[session.pk]),
        ):
            assert get(client, getattr(world, who), url).status_code == 403, url

    def test_menu_shows_each_role_its_issue_entries(self, client, world):
        expected = {
            "staff": {"issues:issue-list", "issues:session-list", "inbox:list", "issues:ranking"},
            "leader_a": {"issues:issue-list", "inbox:list", "issues:ranking"},
            "handler_a": {"issues:issue-list", "issues:queue", "inbox:list"},
            "contact_a": {"issues:issue-list", "issues:issue-submit", "inbox:list"},
            "secretary_a": {"issues:issue-list", "issues:issue-submit", "inbox:list"},
            "chief_a": {"issues:issue-list", "issues:issue-submit", "inbox:list"},  # for the park's enterprises
            "security": set(),
        }
        names = [
            "issues:issue-list",
            "issues:queue",
            "issues:issue-submit",
            "issues:session-list",
            "inbox:list",
            "issues:ranking",
        ]
        for who, wanted in expected.items():
            response = get(client, getattr(world, who), reverse("home"))
            urls = {entry["url"] for entry in response.context["nav_menu"]}
            assert {name for name in names if reverse(name) in urls} == wanted, who

    def test_the_deepest_menu_entry_is_the_active_one(self, client, world):
        response = get(client, world.handler_a, reverse("issues:queue"))
        active = [entry["url"] for entry in response.context["nav_menu"] if entry["active"]]
        assert active == [reverse("issues:queue")]


# --- detail ---------------------------------------------------------------------------------------------
@pytest.mark.django_db
class TestDetail:
    def test_detail_shows_fields_local_deadlines_shares_attachments_and_timeline(
        self, client, world, categories, calendar_2026
    ):
        issue = issue_in(world, "dispatched", at=at(9, 30), uploads=[upload()])
        response = get(client, world.contact_a, detail_url(issue))
        assert response.status_code == 200
        html = response.content.decode()
        issue.refresh_from_db()
        for text in (issue.number, "用地审批慢", "甲一企业", "生物医药链A", "经济部门A", "现场照片.pdf", "已派单"):
            assert text in html, text
        # The sign-for deadline, in Beijing time (the instant is stored in UTC).
        assert issue.sign_due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in html
        assert issue.resolve_due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d 23:59") in html
        attachment = Attachment.objects.get(issue=issue)
        assert reverse("issues:attachment-download", args=[attachment.pk]) in html
        labels = [entry["label"] for entry in response.context["timeline"]]
        assert labels == [Action.SUBMIT.label, Action.ACCEPT.label, Action.DISPATCH.label]

    def test_the_accept_deadline_skips_the_national_day_holiday(self, client, world, categories, calendar_2026):
        issue = issue_in(world, "submitted", at=at(9, 30))
        html = get(client, world.staff, detail_url(issue)).content.decode()
        assert "2026-10-08 23:59" in html  # 1 working day from Wed 30 Sep: Thu 8 Oct (国庆节 1–7 Oct)

    def test_detail_offers_one_form_per_allowed_action(self, client, world, categories):
        issue = issue_in(world, "submitted")
        staff_forms = [item["action"] for item in get(client, world.staff, detail_url(issue)).context["action_forms"]]
        assert staff_forms == ["accept", "reject", "comment"]
        contact_forms = [
            item["action"] for item in get(client, world.contact_a, detail_url(issue)).context["action_forms"]
        ]
        assert contact_forms == ["comment"]

    def test_dispatch_form_is_preset_to_the_suggested_lead_unit(self, client, world, categories):
        issue = issue_in(world, "accepted")
        response = get(client, world.staff, detail_url(issue))
        [dispatch] = [item for item in response.context["action_forms"] if item["action"] == "dispatch"]
        assert dispatch["form"].initial["lead_unit"] == world.dept_a.pk  # chain_a's lead unit

    @pytest.mark.parametrize("who", ["contact_a", "secretary_a", "chief_a"])
    def test_the_enterprise_side_does_not_see_returned_or_cancelled_shares(self, client, world, categories, who):
        """Joint handling; the town returns its part, the lead returns the issue (the other shares are
        cancelled) and staff transfer it to dept_b: the returns are internal steps."""
        issue = issue_in(world, "dispatched", mode="joint", co=[world.dept_b, world.town])
        services.return_issue(issue_id=issue.pk, actor=world.handler_town, reason="不属于本镇街职责")
        services.return_issue(issue_id=issue.pk, actor=world.handler_a, reason="应由B部门牵头")
        services.dispatch_issue(issue_id=issue.pk, actor=world.staff, mode="transfer", lead_unit_id=world.dept_b.pk)
        staff = get(client, world.staff, detail_url(issue))
        assert {share.status for share in staff.context["shares"]} == {"returned", "cancelled", "pending"}
        response = get(client, getattr(world, who), detail_url(issue))
        assert [(share.unit_id, share.status) for share in response.context["shares"]] == [(world.dept_b.pk, "pending")]
        html = response.content.decode()
        assert "status-share-returned" not in html
        assert "status-share-cancelled" not in html
        assert world.town.name not in html

    def test_the_enterprise_does_not_see_internal_comments(self, client, world, categories):
        issue = issue_in(world, "dispatched")
        services.comment_on_issue(issue_id=issue.pk, actor=world.staff, text="内部意见：请加快", public=False)
        services.comment_on_issue(issue_id=issue.pk, actor=world.staff, text="公开答复：正在办理", public=True)
        contact_html = get(client, world.contact_a, detail_url(issue)).content.decode()
        assert "公开答复：正在办理" in contact_html
        assert "内部意见：请加快" not in contact_html
        handler_html = get(client, world.handler_a, detail_url(issue)).content.decode()
        assert "公开答复：正在办理" in handler_html
        assert "内部意见：请加快" in handler_html


# --- nothing outside scope: 404 on every route, for each role --------------------------------------------------
OUTSIDE_B = ["leader_a", "handler_a", "handler_town", "chief_a", "secretary_a", "contact_a"]
OUTSIDE_A = ["leader_b", "handler_b", "contact_b"]


@pytest.mark.django_db
class TestCannotSeeIt:
    @pytest.fixture
    def issues(self, world, categories):
        a = issue_in(world, "dispatched", uploads=[upload("甲.pdf")])
        b = issue_in(world, "dispatched", enterprise=world.ent_b1, uploads=[upload("乙.pdf")])
        return {"a": a, "b": b}

    @pytest.mark.parametrize(("who", "side"), [(who, "b") for who in OUTSIDE_B] + [(who, "a") for who in OUTSIDE_A])
    def test_detail_actions_and_attachments_are_404_outside_scope(self, client, world, issues, who, side):
        user, issue = getattr(world, who), issues[side]
        before = writes(issue)
        assert get(client, user, detail_url(issue)).status_code == 404
        for action in ACTIONS:
            assert post(client, user, action_url(issue, action), {"comment-text": "看看"}).status_code == 404, action
        attachment = Attachment.objects.get(issue=issue)
        assert get(client, user, reverse("issues:attachment-download", args=[attachment.pk])).status_code == 404
        assert writes(issue) == before

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_administrators_and_outsiders_get_404_everywhere(self, client, world, issues, who):
        user, issue = getattr(world, who), issues["a"]
        assert get(client, user, detail_url(issue)).status_code == 404
        assert post(client, user, action_url(issue, "comment"), {"comment-text": "看看"}).status_code == 404
        attachment = Attachment.objects.get(issue=issue)
        assert get(client, user, reverse("issues:attachment-download", args=[attachment.pk])).status_code == 404

    @pytest.mark.parametrize("who", ["staff", "leader_a", "handler_a", "chief_a", "secretary_a", "contact_a"])
    def test_who_sees_the_issue_downloads_its_attachment_under_its_sanitised_name(self, client, world, issues, who):
        attachment = Attachment.objects.get(issue=issues["a"])
        response = get(client, getattr(world, who), reverse("issues:attachment-download", args=[attachment.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "%E7%94%B2.pdf" in response["Content-Disposition"]  # 甲.pdf, RFC 5987-encoded
        assert response["Content-Type"] == "application/pdf"

    def test_unknown_action_is_404(self, client, world, issues):
        assert post(client, world.staff, action_url(issues["a"], "delete")).status_code == 404

    def test_actions_refuse_get(self, client, world, issues):
        assert get(client, world.staff, action_url(issues["a"], "comment")).status_code == 405


# --- actions through the pages ----------------------------------------------------------------------------
@pytest.mark.django_db
class TestActions:
    def test_a_unit_that_returns_an_issue_goes_back_to_its_queue(self, client, world, categories):
        issue = issue_in(world, "dispatched")
        response = post(client, world.handler_a, action_url(issue, "return"), {"return-reason": "应由B部门牵头"})
        assert response.status_code == 302
        assert response.url == reverse("issues:queue")
        assert Issue.objects.get(pk=issue.pk).status == "accepted"
        assert get(client, world.handler_a, detail_url(issue)).status_code == 404

    def test_a_refused_transition_shows_the_message_and_writes_nothing(self, client, world, categories):
        issue = issue_in(world, "submitted")
        before = writes(issue)
        data = {"dispatch-mode": "transfer", "dispatch-lead_unit": world.dept_a.pk}
        response = post(client, world.staff, action_url(issue, "dispatch"), data, follow=True)
        assert response.redirect_chain == [(detail_url(issue), 302)]
        html = response.content.decode()
        assert "派单" in html
        assert "已提交" in html
        [message] = [str(m) for m in response.context["messages"]]
        assert "派单" in message
        assert writes(issue) == before

    def test_a_resolved_issue_cannot_be_signed_again(self, client, world, categories):
        issue = issue_in(world, "in_progress")
        before = writes(issue)
        response = post(client, world.handler_a, action_url(issue, "sign"), follow=True)
        assert response.status_code == 200
        assert len(list(response.context["messages"])) == 1
        assert writes(issue) == before

    def test_an_action_the_user_may_never_take_is_403(self, client, world, categories):
        issue = issue_in(world, "submitted")
        before = writes(issue)
        assert post(client, world.contact_a, action_url(issue, "accept")).status_code == 403
        assert post(client, world.handler_a, action_url(issue, "reject"), {"reject-reason": "x"}).status_code == 404
        assert writes(issue) == before

    def test_reject_without_reason_shows_the_error_on_the_field(self, client, world, categories):
        issue = issue_in(world, "submitted")
        before = writes(issue)
        response = post(client, world.staff, action_url(issue, "reject"), {"reject-reason": "  "})
        assert response.status_code == 400
        [reject] = [item for item in response.context["action_forms"] if item["action"] == "reject"]
        assert reject["open"]
        assert reject["form"].errors["reason"]
        assert 'class="field has-error"' in response.content.decode()
        assert writes(issue) == before

    def test_joint_dispatch_without_co_units_is_an_error_on_co_units(self, client, world, categories):
        issue = issue_in(world, "accepted")
        before = writes(issue)
        data = {"dispatch-mode": "joint", "dispatch-lead_unit": world.dept_a.pk}
        response = post(client, world.staff, action_url(issue, "dispatch"), data)
        assert response.status_code == 400
        [dispatch] = [item for item in response.context["action_forms"] if item["action"] == "dispatch"]
        assert list(dispatch["form"].errors) == ["co_units"]
        assert writes(issue) == before

    def test_the_whole_joint_flow_through_the_pages(self, client, world, categories):
        issue = issue_in(world, "submitted")
        steps = [
            (world.staff, "accept", {"accept-note": ""}),
            (
                world.staff,
                "dispatch",
                {"dispatch-mode": "joint", "dispatch-lead_unit": world.dept_a.pk, "dispatch-co_units": [world.town.pk]},
            ),
            (world.handler_a, "sign", {}),
            (world.handler_town, "sign", {}),
            (
                world.handler_a,
                "request-extension",
                {"request_extension-days": "3", "request_extension-reason": "需协调"},
            ),
            (world.staff, "decide-extension", {"decide_extension-decision": "grant", "decide_extension-note": "同意"}),
            (world.handler_town, "reply-part", {"reply_part-reply": "镇街已完成现场核查"}),
            (world.handler_a, "resolve", {"resolve-answer": "已协调解决"}),
            (
                world.contact_a,
                "rate",
                {"rate-satisfaction": "unsatisfied", "rate-reason_codes": ["slow"], "rate-comment": "太慢"},
            ),
            # Reopened: the co-unit's part is asked for again before the lead answers again.
            (world.handler_town, "reply-part", {"reply_part-reply": "镇街已再次核查"}),
            (world.handler_a, "resolve", {"resolve-answer": "再次答复"}),
            (world.contact_a, "rate", {"rate-satisfaction": "satisfied"}),
        ]
        for user, action, data in steps:
            response = post(client, user, action_url(issue, action), data)
            assert response.status_code == 302, (action, response.content.decode()[:2000])
        issue.refresh_from_db()
        assert issue.status == Status.CLOSED
        assert issue.reopen_count == 1
        html = get(client, world.contact_a, detail_url(issue)).content.decode()
        assert "已关闭" in html
        assert "满意" in html
        assert "办理不及时" in html

    def test_staff_supervise_an_escalated_issue_and_mark_it_for_the_circular(self, client, world, categories):
        # The escalated one first: the sweep that lifts it acts on every issue there is.
        issue = issue_in(world, "dispatched", escalation=3)
        calm = issue_in(world, "dispatched")
        reply_by = (timezone.localdate() + timedelta(days=3)).isoformat()
        data = {"supervise-instruction": "请三日内办结", "supervise-reply_by": reply_by, "supervise-report": "on"}
        refused = post(client, world.staff, action_url(calm, "supervise"), data, follow=True)
        assert len(list(refused.context["messages"])) == 1  # not escalated: refused, nothing written
        assert not IssueEvent.objects.filter(action="supervise").exists()
        assert post(client, world.staff, action_url(issue, "supervise"), data).status_code == 302
        event = IssueEvent.objects.get(issue=issue, action="supervise")
        assert (event.note, event.data["report"], event.public) == ("请三日内办结", True, False)
        assert "请三日内办结" in get(client, world.leader_a, detail_url(issue)).content.decode()
        assert "请三日内办结" not in get(client, world.contact_a, detail_url(issue)).content.decode()

    def test_comment_public_choice_is_only_offered_to_government_users(self, client, world, categories):
        issue = issue_in(world, "dispatched")
        # The enterprise's comment is public even when it tries to make it internal.
        post(client, world.contact_a, action_url(issue, "comment"), {"comment-text": "补充材料", "comment-public": ""})
        assert IssueEvent.objects.get(issue=issue, action="comment").public is True
        post(client, world.handler_a, action_url(issue, "comment"), {"comment-text": "内部备注"})
        assert IssueEvent.objects.get(issue=issue, action="comment", note="内部备注").public is False


# --- submit ---------------------------------------------------------------------------------------------------
@pytest.mark.django_db
class TestSubmit:
    def form_data(self, world, categories, **overrides):
        data = {
            "enterprise": world.ent_a1.pk,
            "category": "request",
            "title": "用电增容",
            "description": "新产线需要增容 2000 千伏安",
            "idempotency_key": "k1",
        }
        return {**data, **overrides}

    def test_contact_submits_with_attachments(self, client, world, categories):
        files = [SimpleUploadedFile("../../报告.pdf", b"%PDF-1"), SimpleUploadedFile("图.png", b"\x89PNG\r\n\x1a\n")]
        response = post(
            client,
            world.contact_a,
            reverse("issues:issue-submit"),
            {**self.form_data(world, categories), "attachments": files},
        )
        issue = Issue.objects.get()
        assert response.status_code == 302
        assert response.url == detail_url(issue)
        assert issue.submitted_by == world.contact_a
        assert issue.chain == world.chain_a
        assert sorted(Attachment.objects.filter(issue=issue).values_list("original_name", flat=True)) == [
            "图.png",
            "报告.pdf",
        ]

    def test_a_retried_post_returns_the_same_issue(self, client, world, categories):
        url = reverse("issues:issue-submit")
        first = post(client, world.contact_a, url, self.form_data(world, categories))
        second = post(client, world.contact_a, url, self.form_data(world, categories))
        assert first.url == second.url
        assert Issue.objects.count() == 1

    def test_bad_input_names_the_field_and_saves_nothing(self, client, world, categories):
        url = reverse("issues:issue-submit")
        response = post(client, world.contact_a, url, self.form_data(world, categories, title=""))
        assert response.status_code == 400
        assert response.context["form"].errors["title"]
        response = post(
            client,
            world.contact_a,
            url,
            {**self.form_data(world, categories), "attachments": [SimpleUploadedFile("run.exe", b"MZ")]},
        )
        assert response.status_code == 400
        assert "run.exe" in response.context["form"].errors["attachments"][0]
        response = post(client, world.contact_a, url, self.form_data(world, categories, enterprise=world.ent_b1.pk))
        assert response.context["form"].errors["enterprise"]
        too_many = [SimpleUploadedFile(f"{n}.pdf", b"%PDF") for n in range(11)]
        response = post(client, world.contact_a, url, {**self.form_data(world, categories), "attachments": too_many})
        assert response.context["form"].errors["attachments"]
        assert Issue.objects.count() == 0
        assert Attachment.objects.count() == 0


# --- complaint sessions -----------------------------------------------------------------------------------------
def make_session(world) -> ComplaintSession:
    return complaint_session(world, held_on=date(2026, 3, 10))


def entry(enterprise, category, title, description) -> dict:
    """One row of the grid as typed: the enterprise by its credit code."""
    return {"enterprise": enterprise, "category": category, "title": title, "description": description}


def grid(rows, total=None):
    data = {"rows-TOTAL_FORMS": str(total or len(rows)), "rows-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"rows-{index}-{field}"] = value
    return data


@pytest.mark.django_db
class TestComplaintSessions:
    def test_staff_creates_a_session(self, client, world):
        data = {
            "title": "新能源链吐槽大会",
            "chain": world.chain_b.pk,
            "held_on": "2026-04-01",
            "place": "加速器B",
            "host_unit": world.dept_b.pk,
        }
        response = post(client, world.staff, reverse("issues:session-create"), data)
        session = ComplaintSession.objects.get()
        assert response.url == reverse("issues:session-entry", args=[session.pk])
        assert session.created_by == world.staff

    def test_a_session_without_chain_or_committee_is_refused(self, client, world):
        data = {"title": "无归属", "held_on": "2026-04-01", "place": "某地", "host_unit": world.dept_b.pk}
        response = post(client, world.staff, reverse("issues:session-create"), data)
        assert response.status_code == 400
        assert response.context["form"].errors["chain"]
        assert not ComplaintSession.objects.exists()

    def test_one_bad_row_saves_nothing_and_shows_the_error_on_that_row(self, client, world, categories):
        session = make_session(world)
        a1, a2, b1 = (e.credit_code for e in (world.ent_a1, world.ent_a2, world.ent_b1))
        rows = [
            entry(a1, "request", "融资难", "贷款审批慢"),
            entry("", "", "", ""),  # untouched: ignored
            entry(a2, "request", "", "没有标题"),
            entry(b1, "inquiry", "政策咨询", "补贴申报"),
        ]
        url = reverse("issues:session-entry", args=[session.pk])
        response = post(client, world.staff, url, grid(rows))
        assert response.status_code == 400
        assert Issue.objects.count() == 0
        forms = response.context["formset"].forms
        assert [bool(form.errors) for form in forms] == [False, False, True, False]
        assert list(forms[2].errors) == ["title"]
        assert response.context["grid_errors"] == []  # no error but the rows'
        html = response.content.decode()
        summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
        assert summary.count("<li>") == 1  # "nothing was saved" above it, then row 3's title
        assert "#id_rows-2-title" in summary
        row3 = html[html.index('id="row-3"') : html.index('id="row-4"')]
        assert 'role="alert"' in row3

    def test_all_good_rows_are_all_saved(self, client, world, categories):
        session = make_session(world)
        a1, a2, b1 = (e.credit_code for e in (world.ent_a1, world.ent_a2, world.ent_b1))
        rows = [
            entry(a1, "request", "融资难", "贷款审批慢"),
            entry(a2, "complaint", "办证慢", "排队三周"),
            entry(b1, "inquiry", "政策咨询", "补贴申报"),
        ]
        url = reverse("issues:session-entry", args=[session.pk])
        response = post(client, world.staff, url, grid(rows, total=5), follow=True)
        assert response.redirect_chain == [(url, 302)]
        issues = Issue.objects.filter(session=session)
        assert sorted(issues.values_list("title", flat=True)) == ["办证慢", "政策咨询", "融资难"]
        html = response.content.decode()
        for issue in issues:
            assert issue.number in html

    def test_an_unknown_category_in_a_row_is_that_rows_error(self, client, world, categories):
        session = make_session(world)
        rows = [entry(world.ent_a1.credit_code, "nonsense", "t", "d")]
        response = post(client, world.staff, reverse("issues:session-entry", args=[session.pk]), grid(rows))
        assert response.context["formset"].forms[0].errors["category"]
        assert Issue.objects.count() == 0

    def test_add_row_keeps_what_was_typed(self, client, world, categories):
        session = make_session(world)
        rows = [entry(world.ent_a1.credit_code, "request", "保留我", "")]
        response = post(
            client, world.staff, reverse("issues:session-entry", args=[session.pk]), {**grid(rows), "add_row": "1"}
        )
        assert len(response.context["formset"].forms) == 2
        assert "保留我" in response.content.decode()
        assert Issue.objects.count() == 0

    def test_the_grid_offers_no_list_of_enterprises(self, client, world, categories):
        """A district holds tens of thousands of enterprises: a row asks for the credit code, it does
        not send every enterprise as an <option>."""
        session = make_session(world)
        f.EnterpriseFactory.create_batch(5, name="待选企业")
        response = get(client, world.staff, reverse("issues:session-entry", args=[session.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "待选企业" not in html
        assert world.ent_b1.name not in html
        categories_offered = len(categories) + 1  # and the empty choice
        assert html.count("<option") == categories_offered * len(response.context["formset"].forms)
        assert 'name="rows-0-enterprise"' in html
        assert f'data-lookup-url="{reverse("issues:enterprise-lookup")}"' in html
        assert "js/enterprise-lookup.js" in html

    def test_a_row_names_its_enterprise_by_credit_code_as_typed(self, client, world, categories):
        session = make_session(world)
        typed = f"  {world.ent_b1.credit_code.lower()} "
        rows = [entry(typed, "inquiry", "政策咨询", "补贴申报")]
        url = reverse("issues:session-entry", args=[session.pk])
        response = post(client, world.staff, url, grid(rows))
        assert response.status_code == 302
        assert list(Issue.objects.filter(session=session).values_list("enterprise_id", flat=True)) == [world.ent_b1.pk]

    def test_an_unknown_or_mistyped_credit_code_is_that_rows_error_and_nothing_is_saved(
        self, client, world, categories
    ):
        from chains.credit_code import make_credit_code

        session = make_session(world)
        unknown = make_credit_code("91110000MA0000001")
        rows = [
            entry(world.ent_a1.credit_code, "request", "融资难", "慢"),
            entry(unknown, "request", "办证慢", "排队"),
            entry("91110000", "request", "用地", "审批"),
        ]
        url = reverse("issues:session-entry", args=[session.pk])
        response = post(client, world.staff, url, grid(rows), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert Issue.objects.count() == 0
        forms = response.context["formset"].forms
        assert not forms[0].errors
        assert forms[1].errors == {"enterprise": [f"No enterprise has the unified social credit code {unknown}."]}
        assert list(forms[2].errors) == ["enterprise"]
        assert "18 characters" in forms[2].errors["enterprise"][0]
        html = response.content.decode()
        assert "Nothing was saved: correct the rows marked below." in html
        row2 = html[html.index('id="row-2"') : html.index('id="row-3"')]
        assert f"No enterprise has the unified social credit code {unknown}." in row2

    def test_the_codes_of_the_whole_grid_are_looked_up_at_once(self, client, world, categories):
        session = make_session(world)
        url = reverse("issues:session-entry", args=[session.pk])
        client.force_login(world.staff)

        def queries(rows):
            data = {**grid(rows), "add_row": "1"}  # the grid back, validated, nothing saved
            with CaptureQueriesContext(connection) as captured:
                assert client.post(url, data).status_code == 200
            return len(captured)

        row = entry(world.ent_a1.credit_code, "request", "t", "d")
        assert queries([row]) == queries([row] * 6)


# --- query counts: flat with the data ---------------------------------------------------------------------------
def _fill(world, n):
    """n issues of as many new enterprises of chain A, dispatched to dept_a."""
    for index in range(n):
        enterprise = f.EnterpriseFactory(name=f"企业{index}")
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        issue_in(world, "dispatched", enterprise=enterprise, title=f"问题{index}", description="d")


@pytest.mark.django_db
class TestQueryCounts:
    @pytest.mark.parametrize(
        ("who", "url_name", "queries"),
        [
            ("staff", "issues:issue-list", 9),  # with the menu's 督办件 count (issues.badges)
            ("leader_a", "issues:issue-list", 9),
            ("handler_a", "issues:issue-list", 8),
            ("handler_a", "issues:queue", 8),  # with the 督办件 tab's count
            ("handler_a", "inbox:list", 6),
        ],
    )
    def test_list_queries_do_not_grow_with_the_rows(
        self, client, world, categories, django_assert_num_queries, who, url_name, queries
    ):
        """A fixed number, the same for 4 rows and for three times as many: it fails if a row costs a
        query, and if the page's queries change at all."""
        client.force_login(getattr(world, who))
        url = reverse(url_name)
        for more in (4, 8):  # 4 rows, then 12
            _fill(world, more)
            with django_assert_num_queries(queries):
                assert client.get(url).status_code == 200


# --- ranking ----------------------------------------------------------------------------------------------------
@pytest.mark.django_db
class TestRanking:
    def test_staff_see_every_unit_with_its_rates(self, client, world, categories):
        issue_in(world, "closed", satisfaction="satisfied")
        issue_in(world, "dispatched", enterprise=world.ent_b1)
        response = get(client, world.staff, reverse("issues:ranking"))
        assert response.status_code == 200
        today = timezone.localdate()
        assert (response.context["start"], response.context["end"]) == (date(today.year, 1, 1), today)
        assert f'value="{today.year}-01-01"' in response.content.decode()  # the period shown is the one used
        assert [row["unit"] for row in response.context["rows"]] == [world.dept_a, world.dept_b]
        html = response.content.decode()
        assert "经济部门A" in html
        assert "经济部门B" in html
        assert "100.0%" in html

    def test_each_unit_shows_its_urges_and_a_light_on_each_rate(self, client, api, world, categories, calendar_2026):
        """dept_a: two issues answered, one on time and one after its deadline (on-time rate 50 %: red),
        both signed for on time and rated satisfied (green), and an escalated one urged twice (催办);
        dept_b: one issue dispatched and never signed for (response rate 0 %: red), never urged, nothing
        answered or rated yet (no rate, no light)."""
        issue_in(world, "closed", at=at(9, 1), satisfaction="satisfied")
        issue_in(world, "closed", at=at(9, 1), escalation=2, satisfaction="satisfied")  # answered late
        escalated = issue_in(world, "in_progress", category="inquiry", at=at(9, 28), escalation=1)
        for when in (at(10, 9), at(10, 12)):
            services.urge_issue(issue_id=escalated.pk, actor=world.staff, at=when)
        issue_in(world, "dispatched", at=at(10, 12), enterprise=world.ent_b1)
        period = {"start": "2026-01-01", "end": "2026-12-31"}
        response = get(client, world.staff, reverse("issues:ranking"), **period)
        rows = {row["unit"]: row for row in response.context["rows"]}
        assert {unit: (row["urged"], row["on_time_rate"]) for unit, row in rows.items()} == {
            world.dept_a: (2, Decimal("0.5000")),
            world.dept_b: (0, None),
        }
        html = response.content.decode()
        assert '<th scope="col" class="num">催办</th>' in html
        dept_a, dept_b = (
            html.split(f">{unit.name}</a></th>")[1].split("</tr>")[0] for unit in (world.dept_a, world.dept_b)
        )
        assert '<td class="num urged">2</td>' in dept_a
        assert '<td class="num urged">0</td>' in dept_b
        assert dept_a.count('class="light light-green"') == 2  # response and satisfaction: 100 %
        assert (
            '<span class="light light-red" role="img" aria-label="红灯：低于 75%" title="红灯：低于 75%"></span>50.0%'
            in dept_a
        )
        assert dept_b.count('class="light ') == 1
        assert (
            '<span class="light light-red" role="img" aria-label="红灯：低于 75%" title="红灯：低于 75%"></span>0.0%'
            in dept_b
        )
        assert dept_b.count('<td class="num">—</td>') == 2
        # The API reads the same figure.
        api.force_authenticate(world.staff)
        kpi = api.get(reverse("unit-kpis", args=[world.dept_a.pk]), {"from": "2026-01-01", "to": "2026-12-31"}).json()
        assert (kpi["urged"], kpi["on_time_rate"]) == (2, 0.5)

    def test_chain_leader_sees_the_units_of_their_chains(self, client, world, categories):
        issue_in(world, "dispatched")
        issue_in(world, "dispatched", enterprise=world.ent_b1)
        response = get(client, world.leader_a, reverse("issues:ranking"))
        assert [row["unit"] for row in response.context["rows"]] == [world.dept_a]

    def test_period_picker_and_its_errors(self, client, world, categories):
        issue_in(world, "dispatched")
        response = get(client, world.staff, reverse("issues:ranking"), start="2020-01-01", end="2020-12-31")
        assert response.context["rows"] == []
        response = get(client, world.staff, reverse("issues:ranking"), start="2026-12-01", end="2026-01-01")
        assert response.status_code == 400
        assert response.context["form"].errors["end"]

    @pytest.mark.parametrize("who", ["handler_a", "contact_a", "secretary_a", "chief_a"])
    def test_ranking_is_for_staff_and_chain_leaders(self, client, world, who):
        assert get(client, getattr(world, who), reverse("issues:ranking")).status_code == 403


@pytest.mark.django_db
def test_session_list_and_ranking_pages_do_not_grow_with_rows(client, world, categories):
    client.force_login(world.staff)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [reverse("issues:session-list"), reverse("issues:ranking")]
    sessions_with_issues(world, 2)
    small = [count(url) for url in urls]
    sessions_with_issues(world, 4)
    assert [count(url) for url in urls] == small
