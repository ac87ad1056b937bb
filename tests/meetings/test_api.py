"""/api/v1/meetings/: scope (a meeting outside it is a 404 on every route), filters, actions with the
workflow's 403/409 and field errors, agenda and decisions, query counts that do not grow."""

import pytest
import time_machine

from accounts.models import User
from meetings.models import Decision, Status
from meetings.sweep import schedule_quarterly_meetings, send_meeting_reminders
from tests.clock import at
from tests.issues.builders import issue_in

# Who sees chain_a's meeting: staff, its leader and the handlers of its invited units.
SEE = ["staff", "leader_a", "handler_a", "handler_ic", "handler_town"]
# Who does not: the other chain's people, the enterprise side, the administrators (三员分立), anybody else.
NOT_SEE = [
    "leader_b",
    "handler_b",
    "contact_a",
    "secretary_a",
    "chief_a",
    "contact_b",
    "security",
    "auditor",
    "outsider",
]


def as_user(api, world, who):
    api.force_authenticate(getattr(world, who))
    return api


@pytest.mark.django_db
class TestScope:
    @pytest.mark.parametrize("who", SEE)
    def test_the_meetings_people_see_it(self, api, meetings_world, meeting, who):
        client = as_user(api, meetings_world, who)
        ids = [row["id"] for row in client.get("/api/v1/meetings/").json()["results"]]
        assert meeting.pk in ids
        assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200

    @pytest.mark.parametrize("who", NOT_SEE)
    def test_nobody_else_can_see_it_on_any_route(self, api, meetings_world, meeting, who):
        client = as_user(api, meetings_world, who)
        ids = [row["id"] for row in client.get("/api/v1/meetings/").json()["results"]]
        assert meeting.pk not in ids
        for path in ("", "agenda/", "decisions/"):
            response = client.get(f"/api/v1/meetings/{meeting.pk}/{path}")
            assert response.status_code == 404, path
            assert response.json()["code"] == "not_found"
        for action in ("hold", "cancel", "reschedule", "decide", "add-item"):
            assert client.post(f"/api/v1/meetings/{meeting.pk}/{action}/", {}, format="json").status_code == 404


@pytest.mark.django_db
class TestFilters:
    def test_by_chain_quarter_kind_and_status(self, api, meetings_world, meeting):
        schedule_quarterly_meetings(at=at(1, 4, 6, year=2027))
        client = as_user(api, meetings_world, "staff")

        def ids(query):
            response = client.get(f"/api/v1/meetings/?{query}")
            assert response.status_code == 200, response.json()
            return sorted(row["id"] for row in response.json()["results"])

        assert ids(f"chain={meetings_world.chain_a.pk}&quarter=2026Q4") == [meeting.pk]
        assert len(ids("quarter=2027q1")) == 2
        assert len(ids("kind=strategic")) == 4
        assert ids("status=cancelled") == []

    def test_a_bad_filter_is_a_400_naming_it_and_a_chain_outside_scope_is_not_a_choice(
        self, api, meetings_world, meeting
    ):
        client = as_user(api, meetings_world, "leader_a")
        response = client.get(f"/api/v1/meetings/?quarter=2026-4&chain={meetings_world.chain_b.pk}&kind=party")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"quarter", "chain", "kind"}
        assert response.json()["errors"]["quarter"] == ["Write a quarter as 2027Q1 (year, Q, 1 to 4)."]

    def test_the_list_query_count_does_not_grow_with_the_meetings(
        self, api, meetings_world, meeting, django_assert_num_queries
    ):
        for year in (2027, 2028):
            for month in (1, 4, 7, 10):
                schedule_quarterly_meetings(at=at(month, 2, 6, year=year))
            api.force_authenticate(User.objects.get(username="leader_a"))  # its roles not cached yet
            client = api
            with django_assert_num_queries(3):  # the user's groups, the count, the page
                assert client.get("/api/v1/meetings/").status_code == 200


@pytest.mark.django_db
class TestActions:
    def test_hold_with_minutes_then_decide_with_a_follow_up(self, api, meetings_world, meeting):
        w = meetings_world
        overdue = issue_in(w, "in_progress", category="inquiry", at=at(10, 12))
        send_meeting_reminders(at=at(10, 16))
        client = as_user(api, w, "staff")
        with time_machine.travel(at(10, 21), tick=False):
            response = client.post(
                f"/api/v1/meetings/{meeting.pk}/hold/",
                {"summary": "纪要正文", "attendance": [{"name": "张三", "unit_name": "经济部门A"}]},
                format="json",
            )
            assert response.status_code == 200, response.json()
            assert response.json()["status"] == Status.MINUTED
            assert response.json()["attendance"] == [{"name": "张三", "unit": "经济部门A"}]
            agenda = client.get(f"/api/v1/meetings/{meeting.pk}/agenda/").json()["results"]
            assert [item["issue"] for item in agenda] == [overdue.pk]
            response = client.post(
                f"/api/v1/meetings/{meeting.pk}/decide/",
                {
                    "text": "限期办结",
                    "agenda_item": agenda[0]["id"],
                    "follow_up_unit": w.dept_b.pk,
                    "follow_up_due": "2026-11-30",
                },
                format="json",
            )
            assert response.status_code == 200, response.json()
        decisions = client.get(f"/api/v1/meetings/{meeting.pk}/decisions/").json()["results"]
        assert len(decisions) == 1
        assert decisions[0]["follow_up_issue_status"] == "dispatched"
        assert decisions[0]["follow_up_issue"] == Decision.objects.get().follow_up_issue_id

    def test_bad_follow_up_is_a_400_naming_every_field_and_writes_nothing(self, api, meetings_world, meeting):
        client = as_user(api, meetings_world, "staff")
        with time_machine.travel(at(10, 21), tick=False):
            client.post(f"/api/v1/meetings/{meeting.pk}/hold/", {}, format="json")
            response = client.post(
                f"/api/v1/meetings/{meeting.pk}/decide/",
                {
                    "text": "",
                    "follow_up_unit": 999999,
                    "follow_up_due": "2026-10-01",
                    "enterprise": meetings_world.ent_a1.pk,
                },
                format="json",
            )
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"text", "follow_up_unit", "follow_up_due"}
        assert not Decision.objects.exists()

    def test_holding_before_the_date_is_a_409_with_the_actions_allowed(self, api, meetings_world, meeting):
        client = as_user(api, meetings_world, "staff")
        with time_machine.travel(at(10, 19), tick=False):
            response = client.post(f"/api/v1/meetings/{meeting.pk}/hold/", {"summary": "x"}, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "invalid_transition"
        assert "has not taken place yet" in response.json()["detail"]
        assert response.json()["allowed_actions"] == ["reschedule", "add-item", "cancel"]

    def test_rescheduling_outside_the_quarter_is_a_400(self, api, meetings_world, meeting):
        client = as_user(api, meetings_world, "staff")
        with time_machine.travel(at(10, 10), tick=False):
            response = client.post(
                f"/api/v1/meetings/{meeting.pk}/reschedule/", {"starts_at": "2027-01-05T09:00:00+08:00"}, format="json"
            )
        assert response.status_code == 400
        assert "starts_at" in response.json()["errors"]

    def test_a_chain_leader_may_see_but_not_cancel_403(self, api, meetings_world, meeting):
        response = as_user(api, meetings_world, "leader_a").post(
            f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "x"}, format="json"
        )
        assert response.status_code == 403

    def test_cancel_needs_a_reason(self, api, meetings_world, meeting):
        client = as_user(api, meetings_world, "staff")
        response = client.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": ""}, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()["errors"]
        response = client.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "冲突"}, format="json")
        assert response.json()["status"] == Status.CANCELLED

    def test_the_agenda_and_decisions_query_counts_do_not_grow(
        self, api, meetings_world, meeting, django_assert_num_queries
    ):
        client = as_user(api, meetings_world, "staff")
        with time_machine.travel(at(10, 10), tick=False):
            for n in range(3):
                client.post(f"/api/v1/meetings/{meeting.pk}/add-item/", {"title": f"议题{n}"}, format="json")
        with time_machine.travel(at(10, 21), tick=False):
            client.post(f"/api/v1/meetings/{meeting.pk}/hold/", {}, format="json")
        for round_ in range(2):
            for n in range(3):
                client.post(f"/api/v1/meetings/{meeting.pk}/decide/", {"text": f"决定{round_}{n}"}, format="json")
            with django_assert_num_queries(5):  # meeting, invitees, attendance, count, page
                assert client.get(f"/api/v1/meetings/{meeting.pk}/agenda/").status_code == 200
            with django_assert_num_queries(5):  # meeting, invitees, attendance, count, page
                assert client.get(f"/api/v1/meetings/{meeting.pk}/decisions/").status_code == 200
