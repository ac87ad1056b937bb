"""Oversight of an escalated issue (design §4.6): whoever the ladder reaches — the lead unit's industry
party committee at level 1, the chain leader at level 2, the district — has it in their 督办件 and
acts on it: supervises (督办: an instruction the lead unit answers by a day), urges (催办: the units'
handlers told, recorded, counted per unit), and as chain leader puts it on the chain's next meeting.
The lead unit answers, urges its co-units, and is told why it cannot resolve yet."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from inbox.models import Notification
from issues import kpis, services
from issues.models import Issue, IssueEvent, Supervision, Urge
from issues.selectors import list_queue_for_user, list_supervision_queue_for_user
from issues.workflow import InvalidTransition, allowed_actions, blocked_actions
from meetings.models import AgendaItem, Meeting
from tests import factories as f
from tests.clock import at
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cast(world, categories, calendar_2026):
    """The cast with a handler of dept_a's industry party committee ic_a (the ladder's first rung)."""
    world.handler_ic = f.UserFactory(username="handler_ic", unit=world.ic_a, roles=[Role.UNIT_HANDLER])
    return world


def soon(days: int = 3) -> date:
    return timezone.localdate() + timedelta(days=days)


def escalated(world, level: int, **options) -> Issue:
    """An inquiry of ent_a1 on chain_a, led by dept_a, climbed to `level` (joint with dept_b signed, by
    default: the co-unit's part is still to come)."""
    options = {"mode": "joint", "co": [world.dept_b], "co_parts": "signed", **options}
    return issue_in(world, "in_progress", category="inquiry", at=at(9, 28), escalation=level, **options)


def fresh(issue: Issue) -> Issue:
    return Issue.objects.select_related("lead_unit", "enterprise").get(pk=issue.pk)


def told(issue: Issue, *, containing: str) -> set[str]:
    notes = Notification.objects.about(issue).filter(subject__contains=containing)
    return set(notes.values_list("recipient__username", flat=True))


# --- services ----------------------------------------------------------------------------------------
class TestSupervision:
    def test_the_committee_supervises_at_level_1_and_the_lead_unit_answers(self, cast):
        issue = escalated(cast, 1)
        supervision = services.supervise_issue(
            issue_id=issue.pk, actor=cast.handler_ic, instruction="请三日内答复整改情况", reply_by=soon()
        )
        assert (supervision.by, supervision.unit, supervision.reply_by) == ("committee", cast.dept_a, soon())
        event = IssueEvent.objects.get(issue=issue, action="supervise")
        assert (event.public, event.data["by"], event.data["reply_by"]) == (False, "committee", soon().isoformat())
        # The lead unit must answer, and the chain's leader hears of it; not the one who supervised.
        assert told(issue, containing="Supervised") == {"handler_a", "leader_a"}
        assert "answer-supervision" in allowed_actions(fresh(issue), cast.handler_a)

        services.answer_supervision(issue_id=issue.pk, actor=cast.handler_a, reply="已约谈企业，明日现场办理")
        supervision.refresh_from_db()
        assert (supervision.reply, supervision.replied_by) == ("已约谈企业，明日现场办理", cast.handler_a)
        assert told(issue, containing="answered the supervision") == {"handler_ic"}
        assert "answer-supervision" not in allowed_actions(fresh(issue), cast.handler_a)

    def test_the_chain_leader_supervises_from_level_2_and_is_told_why_before(self, cast):
        issue = escalated(cast, 1)
        assert "supervise" not in allowed_actions(fresh(issue), cast.leader_a)
        assert ("supervise", "The issue reaches you at escalation level 2; it is at level 1.") in blocked_actions(
            fresh(issue), cast.leader_a
        )
        with pytest.raises(InvalidTransition, match="reaches you at escalation level 2"):
            services.supervise_issue(issue_id=issue.pk, actor=cast.leader_a, instruction="督办", reply_by=soon())
        Issue.objects.filter(pk=issue.pk).update(escalation_level=2)
        supervision = services.supervise_issue(
            issue_id=issue.pk, actor=cast.leader_a, instruction="请链长单位牵头协调", reply_by=soon()
        )
        assert supervision.by == "chain_leader"
        assert told(issue, containing="Supervised by the Chain leader") == {"handler_a"}

    def test_a_supervision_states_every_problem_at_once_and_writes_nothing(self, cast):
        issue = escalated(cast, 1)
        with pytest.raises(ValidationError) as error:
            services.supervise_issue(
                issue_id=issue.pk, actor=cast.handler_ic, instruction="  ", reply_by=timezone.localdate() - timedelta(1)
            )
        assert set(error.value.message_dict) == {"instruction", "reply_by"}
        assert "cannot be in the past" in error.value.message_dict["reply_by"][0]
        with pytest.raises(ValidationError) as error:
            services.supervise_issue(issue_id=issue.pk, actor=cast.handler_ic, instruction="督办", reply_by=soon(61))
        assert set(error.value.message_dict) == {"reply_by"}
        assert not Supervision.objects.exists()
        assert not IssueEvent.objects.filter(action="supervise").exists()

    def test_an_unanswered_supervision_past_its_day_is_overdue_for_both_sides(self, cast):
        issue = escalated(cast, 1)
        services.supervise_issue(issue_id=issue.pk, actor=cast.handler_ic, instruction="请答复", reply_by=soon(1))
        [row] = list_supervision_queue_for_user(cast.handler_ic)
        assert (row.reply_by, row.reply_overdue) == (soon(1), False)
        with time_machine.travel(timezone.now() + timedelta(days=3)):
            [row] = list_supervision_queue_for_user(cast.handler_ic)
            assert row.reply_overdue is True
            [share] = [s for s in list_queue_for_user(cast.handler_a) if s.issue_id == issue.pk]
            assert share.reply_overdue is True
            services.answer_supervision(issue_id=issue.pk, actor=cast.handler_a, reply="迟复：已办理")
        # A late answer is the district's business too.
        assert told(issue, containing="answered the supervision (late)") == {"handler_ic", "staff"}

    def test_nobody_off_the_ladder_supervises(self, cast):
        issue = escalated(cast, 3)
        for person in (cast.handler_b, cast.handler_town, cast.contact_a, cast.secretary_a, cast.leader_b):
            with pytest.raises(PermissionDenied):
                services.supervise_issue(issue_id=issue.pk, actor=person, instruction="督办", reply_by=soon())


class TestUrges:
    def test_the_chain_leader_urges_every_unit_still_owing_and_each_is_counted(self, cast):
        issue = escalated(cast, 2)
        urges = services.urge_issue(issue_id=issue.pk, actor=cast.leader_a, note="请本周内办结")
        assert sorted(u.unit_id for u in urges) == sorted([cast.dept_a.pk, cast.dept_b.pk])
        assert {u.by for u in urges} == {"chain_leader"}
        assert told(issue, containing="Urged by the Chain leader") == {"handler_a", "handler_b"}
        event = IssueEvent.objects.get(issue=issue, action="urge")
        assert (event.public, sorted(event.data["units"])) == (False, sorted([cast.dept_a.pk, cast.dept_b.pk]))
        services.urge_issue(issue_id=issue.pk, actor=cast.handler_ic, unit_id=cast.dept_a.pk)
        assert Urge.objects.filter(unit=cast.dept_a).count() == 2
        # Counted per unit, for its KPIs (the period the urges fall in).
        today = timezone.localdate()
        by_unit = {row["unit"].pk: row["urged"] for row in kpis.unit_kpis(start=today, end=today)}
        assert (by_unit[cast.dept_a.pk], by_unit[cast.dept_b.pk], by_unit[cast.town.pk]) == (2, 1, 0)

    def test_only_a_unit_still_owing_can_be_urged(self, cast):
        issue = escalated(cast, 2)
        with pytest.raises(ValidationError) as error:
            services.urge_issue(issue_id=issue.pk, actor=cast.leader_a, unit_id=cast.town.pk)
        assert set(error.value.message_dict) == {"unit"}
        with pytest.raises(ValidationError):
            services.urge_issue(issue_id=issue.pk, actor=cast.leader_a, unit_id="dept")
        assert not Urge.objects.exists()

    def test_the_lead_unit_urges_its_co_units_and_sees_why_it_cannot_resolve(self, cast):
        issue = issue_in(cast, "in_progress", mode="joint", co=[cast.dept_b, cast.town], co_parts="signed")
        blocked = dict(blocked_actions(fresh(issue), cast.handler_a))
        assert blocked["resolve"] == "Waiting for the part of 经济部门B、镇街C."
        [urge] = services.urge_issue(issue_id=issue.pk, actor=cast.handler_a, unit_id=cast.town.pk)
        assert (urge.unit, urge.by) == (cast.town, "lead_unit")
        assert told(issue, containing="Urged by the Lead unit") == {"handler_town"}
        with pytest.raises(ValidationError):  # not itself
            services.urge_issue(issue_id=issue.pk, actor=cast.handler_a, unit_id=cast.dept_a.pk)
        services.reply_part(issue_id=issue.pk, actor=cast.handler_b, reply="已核查")
        assert dict(blocked_actions(fresh(issue), cast.handler_a))["resolve"] == "Waiting for the part of 镇街C."
        services.reply_part(issue_id=issue.pk, actor=cast.handler_town, reply="同意")
        assert "resolve" in allowed_actions(fresh(issue), cast.handler_a)
        assert "urge" not in allowed_actions(fresh(issue), cast.handler_a)  # nobody is waited for

    def test_a_co_unit_or_a_transfer_lead_does_not_urge(self, cast):
        joint = issue_in(cast, "in_progress", mode="joint", co=[cast.dept_b], co_parts="signed")
        with pytest.raises(PermissionDenied):
            services.urge_issue(issue_id=joint.pk, actor=cast.handler_b)
        transfer = issue_in(cast, "in_progress")
        with pytest.raises(PermissionDenied):
            services.urge_issue(issue_id=transfer.pk, actor=cast.handler_a)


# --- the queues --------------------------------------------------------------------------------------
class TestQueues:
    def test_the_ladder_fills_each_rungs_queue_as_it_climbs(self, cast):
        issue = escalated(cast, 1)
        other = issue_in(cast, "in_progress", category="request")  # not overdue

        def queued(user):
            return list(list_supervision_queue_for_user(user).values_list("pk", flat=True))

        assert (queued(cast.handler_ic), queued(cast.leader_a), queued(cast.staff)) == ([issue.pk], [], [])
        assert queued(cast.chief_a) == [issue.pk]  # ent_a1 is in park_a
        Issue.objects.filter(pk=issue.pk).update(escalation_level=3)
        assert (queued(cast.handler_ic), queued(cast.leader_a), queued(cast.staff)) == (
            [issue.pk],
            [issue.pk],
            [issue.pk],
        )
        for outsider in (cast.leader_b, cast.handler_b, cast.handler_a, cast.handler_town, cast.contact_a):
            assert queued(outsider) == [], outsider
        assert other.pk not in queued(cast.staff)

    def test_the_committee_handler_sees_the_escalated_issue_not_an_empty_queue(self, client, cast):
        issue = escalated(cast, 1)
        client.force_login(cast.handler_ic)
        queue = client.get(reverse("issues:queue"), **EN).content.decode()
        assert "Nothing waits for your unit." not in queue
        assert "1 issue escalated to your unit waits for your supervision." in queue
        page = client.get(reverse("issues:supervision-queue"), **EN)
        assert page.status_code == 200
        html = page.content.decode()
        assert issue.number in html
        assert "Not supervised yet" in html

    def test_the_supervision_queue_shows_the_working_days_overdue(self, client, cast):
        # An inquiry dispatched on Mon 28 Sep 2026, due by the end of Wed 30 Sep; on Fri 9 Oct, after the
        # National Day holidays, Thursday and Friday have passed.
        escalated(cast, 2)
        client.force_login(cast.leader_a)
        with time_machine.travel(at(10, 9), tick=False):
            html = client.get(reverse("issues:supervision-queue"), **EN).content.decode()
        assert '<span class="light light-red" role="img" aria-label="Red light: overdue"' in html
        assert "2 working days overdue" in html

    def test_supervision_queue_queries_do_not_grow(self, client, cast, django_assert_num_queries):
        client.force_login(cast.leader_a)
        url = reverse("issues:supervision-queue")
        for extra in (2, 4):
            for _ in range(extra):
                issue = escalated(cast, 2, mode="transfer", co=None, co_parts=None)
                services.urge_issue(issue_id=issue.pk, actor=cast.leader_a)
                services.supervise_issue(issue_id=issue.pk, actor=cast.leader_a, instruction="督办", reply_by=soon())
            with django_assert_num_queries(7):  # the same seven for 2 rows and for 6, the menu's 督办件 count one
                assert client.get(url).status_code == 200

    def test_the_menu_names_the_supervision_queue_for_those_the_ladder_reaches(self, client, cast):
        for who, shown in (("leader_a", True), ("staff", True), ("chief_a", True), ("contact_a", False)):
            client.force_login(getattr(cast, who))
            html = client.get(reverse("issues:issue-list"), **EN).content.decode()
            assert (reverse("issues:supervision-queue") in html) is shown, who

    @pytest.mark.parametrize("who", ["contact_a", "secretary_a"])
    def test_the_enterprise_side_has_no_supervision_queue(self, client, cast, who):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("issues:supervision-queue")).status_code == 403


# --- pages -------------------------------------------------------------------------------------------
def action_url(issue, action):
    return reverse("issues:issue-action", args=[issue.pk, action])


class TestPages:
    def test_the_committee_supervises_and_urges_from_the_issue_page(self, client, cast):
        issue = escalated(cast, 1)
        client.force_login(cast.handler_ic)
        html = client.get(issue.get_absolute_url(), **EN).content.decode()
        assert 'action-supervise"' in html
        assert 'action-urge"' in html
        assert "Every unit still owing its part" in html  # the urge form's units
        data = {"supervise-instruction": "请三日内答复", "supervise-reply_by": soon().isoformat()}
        assert client.post(action_url(issue, "supervise"), data).status_code == 302
        assert client.post(action_url(issue, "urge"), {"urge-unit": str(cast.dept_b.pk)}).status_code == 302
        html = client.get(issue.get_absolute_url(), **EN).content.decode()
        assert f"经济部门A answers by {soon().isoformat()}" in html
        assert "Urged 1 time" in html
        # The lead unit sees the supervision to answer, and answers it from the page.
        client.force_login(cast.handler_a)
        html = client.get(issue.get_absolute_url(), **EN).content.decode()
        assert 'action-answer-supervision"' in html
        assert "Waiting for the part of 经济部门B." in html  # why there is no resolve button
        assert (
            client.post(action_url(issue, "answer-supervision"), {"answer_supervision-reply": "已整改"}).status_code
            == 302
        )
        assert Supervision.objects.get().reply == "已整改"

    def test_a_page_supervision_with_errors_shows_them_all(self, client, cast):
        issue = escalated(cast, 1)
        client.force_login(cast.handler_ic)
        response = client.post(action_url(issue, "supervise"), {"supervise-reply_by": "2020-01-01"}, **EN)
        assert response.status_code == 400
        html = response.content.decode()
        assert "This field is required." in html
        assert "cannot be in the past" in html
        assert not Supervision.objects.exists()

    def test_the_enterprise_sees_no_supervision_nor_urge(self, client, cast):
        issue = escalated(cast, 1)
        services.supervise_issue(issue_id=issue.pk, actor=cast.handler_ic, instruction="内部督办意见", reply_by=soon())
        services.urge_issue(issue_id=issue.pk, actor=cast.handler_ic)
        client.force_login(cast.contact_a)
        html = client.get(issue.get_absolute_url(), **EN).content.decode()
        assert "内部督办意见" not in html
        assert "Urged" not in html


# --- API ---------------------------------------------------------------------------------------------
def api_action(api, user, issue, action, data=None):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api.post(reverse(f"issue-{action}", args=[issue.pk]), data or {}, format="json", **EN)


class TestApi:
    def test_supervise_urge_and_answer_over_the_api(self, api, cast):
        issue = escalated(cast, 2)
        bad = api_action(api, cast.leader_a, issue, "supervise", {"instruction": "", "reply_by": "2020-01-01"})
        assert bad.status_code == 400
        assert set(bad.json()["errors"]) == {"instruction", "reply_by"}
        body = api_action(api, cast.leader_a, issue, "supervise", {"instruction": "请答复", "reply_by": str(soon())})
        assert body.status_code == 200, body.content
        [supervision] = body.json()["supervisions"]
        assert (supervision["by"], supervision["overdue"], supervision["replied_at"]) == ("chain_leader", False, None)
        body = api_action(api, cast.leader_a, issue, "urge", {"unit": cast.dept_b.pk}).json()
        assert body["urges"] == [{"unit": cast.dept_b.pk, "count": 1}]
        assert api_action(api, cast.leader_a, issue, "urge", {"unit": cast.town.pk}).json()["errors"].keys() == {"unit"}
        answered = api_action(api, cast.handler_a, issue, "answer-supervision", {"reply": "已办"}).json()
        assert answered["supervisions"][0]["reply"] == "已办"
        blocked = {item["action"]: item["reason"] for item in answered["blocked_actions"]}
        assert blocked == {"resolve": "Waiting for the part of 经济部门B."}

    def test_add_to_meeting_says_why_not_then_adds(self, api, cast):
        issue = escalated(cast, 2)
        refused = api_action(api, cast.leader_a, issue, "add-to-meeting")
        assert refused.status_code == 409
        assert refused.json()["detail"] == "The chain has no meeting planned: district staff schedule one first."
        meeting = Meeting.objects.create(
            chain=cast.chain_a, quarter="2026Q4", title="四季度会议", starts_at=timezone.now() + timedelta(days=10)
        )
        assert api_action(api, cast.leader_a, issue, "add-to-meeting").status_code == 200
        assert AgendaItem.objects.filter(meeting=meeting, issue=issue, added_by=cast.leader_a).exists()
        again = api_action(api, cast.leader_a, issue, "add-to-meeting")
        assert (again.status_code, again.json()["detail"]) == (409, "The issue is on the agenda of 四季度会议 already.")

    @pytest.mark.parametrize("action", ["supervise", "urge", "answer-supervision", "add-to-meeting"])
    def test_who_cannot_see_the_issue_gets_404_and_who_may_never_act_403(self, api, cast, action):
        issue = escalated(cast, 1, mode="transfer", co=None, co_parts=None)
        for person in (cast.leader_b, cast.handler_b, cast.contact_b, cast.handler_town, cast.outsider):
            assert api_action(api, person, issue, action).status_code == 404, person
        for person in (cast.contact_a, cast.secretary_a):
            assert api_action(api, person, issue, action).status_code == 403, person
        # The committee sees it at level 1 only: back to level 0 (a granted extension), it is gone.
        Issue.objects.filter(pk=issue.pk).update(escalation_level=0)
        assert api_action(api, cast.handler_ic, issue, action).status_code == 404
        assert not Supervision.objects.exists()
        assert not Urge.objects.exists()


# --- the enterprise is told what changed, and sees history as history --------------------------------
class TestTheEnterpriseIsTold:
    def test_accepted_dispatched_extended_resolved_and_reopened_each_reach_the_contact(self, client, cast):
        issue = issue_in(cast, "in_progress", category="request", at=at(9, 28), extension="pending")
        services.decide_extension(issue_id=issue.pk, actor=cast.staff, grant=True)
        issue.refresh_from_db()
        day = timezone.localtime(issue.resolve_due_at).date().isoformat()
        subjects = list(
            Notification.objects.about(issue)
            .filter(recipient=cast.contact_a)
            .order_by("pk")
            .values_list("subject", flat=True)
        )
        assert subjects == [
            f"[{issue.number}] Your issue was accepted",
            f"[{issue.number}] Your issue was passed to 经济部门A, to answer by {subjects[1][-10:]}",
            f"[{issue.number}] The deadline of your issue moved to {day}",
        ]
        # The first secretary posted to the enterprise hears the same; the mail goes out (email_due).
        assert Notification.objects.about(issue).filter(recipient=cast.secretary_a, email_due=True).count() == 3
        # The timeline shows the new deadline to the enterprise; the request and its reason stay internal.
        client.force_login(cast.contact_a)
        html = client.get(issue.get_absolute_url(), **EN).content.decode()
        assert "Deadline extended" in html
        assert "New deadline: " + day in html
        assert "需要会商" not in html

        services.resolve_issue(issue_id=issue.pk, actor=cast.handler_a, answer="第一次答复：已协调")
        services.rate_issue(
            issue_id=issue.pk, actor=cast.contact_a, satisfaction="unsatisfied", reason_codes=["not_solved"]
        )
        issue.refresh_from_db()
        assert (issue.answer, issue.resolved_at) == ("", None)  # no current answer: it was refused
        # The contact rated it; the first secretary is told it was reopened, with the new deadline.
        reopened = Notification.objects.about(issue).filter(subject__contains="was reopened")
        assert set(reopened.values_list("recipient__username", flat=True)) == {"secretary_a"}

    def test_a_reopened_issue_shows_the_refused_answer_as_history(self, client, cast):
        issue = issue_in(cast, "reopened", category="request", at=at(9, 28))
        client.force_login(cast.contact_a)
        response = client.get(issue.get_absolute_url(), **EN)
        html = response.content.decode()
        [earlier] = response.context["earlier_answers"]
        assert earlier["answer"].note == "已协调办理"
        assert "Earlier answers, not accepted" in html
        assert "rated unsatisfied" in html
        assert '<div class="panel prose answer">' not in html  # not shown as the current answer
        assert "resolved " not in html.split("Earlier answers")[0]  # nor the old time as the deadline's
        services.resolve_issue(issue_id=issue.pk, actor=cast.handler_a, answer="第二次答复：已解决")
        html = client.get(issue.get_absolute_url(), **EN).content.decode()
        assert '<div class="panel prose answer"><p>第二次答复：已解决</p>' in html
        assert "Earlier answers, not accepted" in html
