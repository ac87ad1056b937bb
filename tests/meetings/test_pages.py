"""The meeting pages: scope on every route (404 outside it), the list by quarter and chain, the
meeting page with its action forms, the printable minutes, the .ics downloads and the calendar feed
(parsed back with icalendar; a revoked token is a 404), the issue page's "add to the next meeting",
and query counts that do not grow."""

import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from accounts.models import User
from chainparty import jobs
from issues import services as issue_services
from meetings import services
from meetings.models import AgendaItem, CalendarFeed, Decision, Meeting, Status
from meetings.sweep import schedule_quarterly_meetings
from tests.clock import at
from tests.issues.builders import issue_in
from tests.meetings.test_api import NOT_SEE, SEE

NO_BUSINESS_ROLE = {"security", "auditor", "outsider"}


def login(client, world, who):
    client.force_login(getattr(world, who))
    return client


def routes(meeting):
    return [
        reverse("meetings:meeting-detail", args=[meeting.pk]),
        reverse("meetings:minutes", args=[meeting.pk]),
        reverse("meetings:meeting-ics", args=[meeting.pk]),
    ]


@pytest.mark.django_db
class TestScope:
    @pytest.mark.parametrize("who", SEE)
    def test_the_meetings_people_reach_every_page_of_it(self, client, meetings_world, meeting, who):
        login(client, meetings_world, who)
        assert meeting.title in client.get(reverse("meetings:meeting-list")).content.decode()
        for url in routes(meeting):
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize("who", NOT_SEE)
    def test_nobody_else_finds_it_on_any_page(self, client, meetings_world, meeting, who):
        login(client, meetings_world, who)
        listing = client.get(reverse("meetings:meeting-list"))
        if who in NO_BUSINESS_ROLE:
            assert listing.status_code == 404  # 三员分立: no business page exists for them
        else:
            assert listing.status_code == 200
            assert meeting.title not in listing.content.decode()
        for url in routes(meeting):
            assert client.get(url).status_code == 404, url
        for action in ("hold", "cancel", "decide"):
            url = reverse("meetings:meeting-action", args=[meeting.pk, action])
            assert client.post(url, {}).status_code == 404, action

    def test_signed_out_the_pages_ask_for_a_login(self, client, meeting):
        for url in routes(meeting):
            response = client.get(url)
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
class TestPages:
    def test_the_list_filters_by_quarter_and_chain(self, client, meetings_world, meeting):
        schedule_quarterly_meetings(at=at(1, 4, 6, year=2027))
        login(client, meetings_world, "staff")
        page = client.get(reverse("meetings:meeting-list"), {"quarter": "2026Q4", "chain": meetings_world.chain_a.pk})
        body = page.content.decode()
        assert meeting.title in body
        assert "2027年第1季度" not in body
        bad = client.get(reverse("meetings:meeting-list"), {"quarter": "Q4"})
        assert "Write a quarter as 2027Q1" in bad.content.decode()
        assert meeting.title not in bad.content.decode()

    def test_the_list_shows_the_quarters_complaint_sessions_to_those_who_may_see_them(
        self, client, meetings_world, meeting
    ):
        w = meetings_world
        for held_on, title in (("2026-11-20", "第四季度吐槽大会"), ("2027-01-15", "下季度吐槽大会")):
            issue_services.create_complaint_session(
                actor=w.staff,
                title=title,
                held_on=held_on,
                place="科学城",
                host_unit_id=w.dept_a.pk,
                chain_id=w.chain_a.pk,
            )
        body = (
            login(client, w, "handler_a").get(reverse("meetings:meeting-list"), {"quarter": "2026Q4"}).content.decode()
        )
        assert "第四季度吐槽大会" in body
        assert "下季度吐槽大会" not in body
        body = (
            login(client, w, "handler_b").get(reverse("meetings:meeting-list"), {"quarter": "2026Q4"}).content.decode()
        )
        assert "第四季度吐槽大会" not in body

    def test_the_list_query_count_does_not_grow(self, client, meetings_world, meeting, django_assert_num_queries):
        for year in (2027, 2028):
            for month in (1, 4, 7, 10):
                schedule_quarterly_meetings(at=at(month, 2, 6, year=year))
            client.force_login(User.objects.get(username="leader_a"))
            with django_assert_num_queries(8):  # the menu's 督办件 count among them
                assert client.get(reverse("meetings:meeting-list")).status_code == 200

    def test_the_meeting_page_query_count_does_not_grow_with_agenda_and_decisions(
        self, client, meetings_world, meeting, django_assert_num_queries
    ):
        """chain_a's meeting with one item and one decision, chain_b's with four of each: the same count."""
        staff = meetings_world.staff
        other = Meeting.objects.get(chain=meetings_world.chain_b)
        for held, n in ((meeting, 1), (other, 4)):
            with time_machine.travel(at(10, 10), tick=False):
                for i in range(n):
                    services.add_agenda_item(meeting_id=held.pk, actor=staff, title=f"议题{i}")
            with time_machine.travel(at(10, 21), tick=False):
                services.hold_meeting(meeting_id=held.pk, actor=staff, summary="纪要")
            for item in AgendaItem.objects.filter(meeting=held):
                services.record_decision(meeting_id=held.pk, actor=staff, text="决定", agenda_item_id=item.pk)
        for held in (meeting, other):
            client.force_login(User.objects.get(pk=staff.pk))
            with django_assert_num_queries(13):  # the agenda a page at a time: its count and its page; the 督办件 count
                assert client.get(reverse("meetings:meeting-detail", args=[held.pk])).status_code == 200
            with django_assert_num_queries(10):  # with the 督办件 count
                assert client.get(reverse("meetings:minutes", args=[held.pk])).status_code == 200

    def test_the_agenda_is_shown_a_page_at_a_time(self, client, meetings_world, meeting):
        with time_machine.travel(at(10, 10), tick=False):
            for i in range(55):
                services.add_agenda_item(meeting_id=meeting.pk, actor=meetings_world.staff, title=f"议题{i:02d}")
        login(client, meetings_world, "staff")
        url = reverse("meetings:meeting-detail", args=[meeting.pk])
        first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
        assert "议题49" in first
        assert "议题50" not in first
        assert "议题54" in second
        assert 'start="51"' in second

    def test_staff_hold_the_meeting_from_its_page_and_errors_come_back_on_the_form(
        self, client, meetings_world, meeting
    ):
        login(client, meetings_world, "staff")
        url = reverse("meetings:meeting-action", args=[meeting.pk, "hold"])
        with time_machine.travel(at(10, 21), tick=False):
            page = client.post(url, {"hold-attendance": "张三，经济部门A", "hold-summary": ""})
            assert page.status_code == 400
            assert "Minutes with attendance need their text as well." in page.content.decode()
            response = client.post(url, {"hold-attendance": "张三，经济部门A\n李四", "hold-summary": "纪要正文"})
            assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.status == Status.MINUTED
        assert list(meeting.attendance.values_list("name", "unit_name")) == [("张三", "经济部门A"), ("李四", "")]

    def test_holding_too_early_from_the_page_says_why(self, client, meetings_world, meeting):
        login(client, meetings_world, "staff")
        with time_machine.travel(at(10, 19), tick=False):
            response = client.post(reverse("meetings:meeting-action", args=[meeting.pk, "hold"]), {}, follow=True)
        assert "has not taken place yet" in response.content.decode()

    def test_a_chain_leader_sees_no_staff_buttons_and_is_refused_403(self, client, meetings_world, meeting):
        login(client, meetings_world, "leader_a")
        body = client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()
        assert "action-add-item" in body
        assert "action-cancel" not in body
        assert client.post(reverse("meetings:meeting-action", args=[meeting.pk, "cancel"]), {}).status_code == 403

    def test_the_chain_leader_adds_an_issue_by_its_number_on_the_meeting_page(self, client, meetings_world, meeting):
        issue = issue_in(meetings_world, "in_progress", category="request")
        login(client, meetings_world, "leader_a")
        url = reverse("meetings:meeting-action", args=[meeting.pk, "add-item"])
        page = client.post(url, {"add_item-issue_number": "LZ-2026-999999"})
        assert page.status_code == 400
        assert "Choose an open issue of this chain." in page.content.decode()
        assert client.post(url, {"add_item-issue_number": issue.number.lower()}).status_code == 302
        assert AgendaItem.objects.filter(meeting=meeting, issue=issue, added_by=meetings_world.leader_a).exists()


@pytest.mark.django_db
class TestAddFromIssuePage:
    def test_the_chain_leader_puts_an_issue_on_the_next_meeting(self, client, meetings_world, meeting):
        issue = issue_in(meetings_world, "in_progress", category="request")
        login(client, meetings_world, "leader_a")
        assert "Add to the next chain meeting" in client.get(issue.get_absolute_url()).content.decode()
        response = client.post(reverse("issues:issue-action", args=[issue.pk, "add-to-meeting"]))
        assert response.status_code == 302
        assert response["Location"] == issue.get_absolute_url()
        assert AgendaItem.objects.filter(meeting=meeting, issue=issue).exists()
        # Once on it, the page says so in place of the button, and a second try is refused with why.
        page = client.get(issue.get_absolute_url()).content.decode()
        assert f"The issue is on the agenda of {meeting.title} already." in page
        again = client.post(reverse("issues:issue-action", args=[issue.pk, "add-to-meeting"]), follow=True)
        assert f"The issue is on the agenda of {meeting.title} already." in again.content.decode()
        assert AgendaItem.objects.filter(meeting=meeting, issue=issue).count() == 1

    def test_without_a_planned_meeting_the_page_says_why(self, client, meetings_world):
        issue = issue_in(meetings_world, "in_progress", category="request")
        login(client, meetings_world, "leader_a")
        page = client.get(issue.get_absolute_url()).content.decode()
        assert "The chain has no meeting planned: district staff schedule one first." in page
        refused = client.post(reverse("issues:issue-action", args=[issue.pk, "add-to-meeting"]), follow=True)
        assert "The chain has no meeting planned" in refused.content.decode()
        assert not AgendaItem.objects.exists()

    @pytest.mark.parametrize(("who", "status"), [("leader_b", 404), ("handler_b", 404), ("contact_a", 403)])
    def test_others_cannot(self, client, meetings_world, meeting, who, status):
        issue = issue_in(meetings_world, "in_progress", category="request")
        login(client, meetings_world, who)
        if status == 403:
            assert "Add to the next chain meeting" not in client.get(issue.get_absolute_url()).content.decode()
        url = reverse("issues:issue-action", args=[issue.pk, "add-to-meeting"])
        assert client.post(url).status_code == status
        assert not AgendaItem.objects.filter(issue=issue).exists()


def events(body: bytes) -> dict:
    calendar = Calendar.from_ical(body)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.django_db
class TestCalendar:
    def test_a_meetings_ics_parses_back_in_beijing_time_linking_to_its_page(self, client, meetings_world, meeting):
        login(client, meetings_world, "leader_a")
        response = client.get(reverse("meetings:meeting-ics", args=[meeting.pk]))
        assert response["Content-Type"].startswith("text/calendar")
        (event,) = events(response.content).values()
        start = event.decoded("dtstart")
        assert start == at(10, 20, 14, 30)
        assert str(start.tzinfo) == "Asia/Shanghai"
        assert event.decoded("dtend") == at(10, 20, 16, 30)
        assert str(event["summary"]) == meeting.title
        assert str(event["url"]) == f"http://testserver{meeting.get_absolute_url()}"
        assert "VTIMEZONE" in response.content.decode()

    def test_the_feed_shows_what_its_owner_may_see_and_a_revoked_token_is_a_404(self, client, meetings_world, meeting):
        w = meetings_world
        session = issue_services.create_complaint_session(
            actor=w.staff,
            title="生物医药链吐槽大会",
            held_on="2026-11-20",
            place="科学城党群服务中心",
            host_unit_id=w.dept_a.pk,
            chain_id=w.chain_a.pk,
        )
        login(client, w, "handler_a")
        client.post(reverse("meetings:calendar"), {"action": "renew"})
        feed = CalendarFeed.objects.get(user=w.handler_a, revoked_at__isnull=True)
        url = reverse("meetings:feed", args=[feed.token])
        client.logout()  # a calendar program sends no session
        found = events(client.get(url).content)
        assert set(found) == {f"meeting-{meeting.pk}@chainparty", f"complaint-session-{session.pk}@chainparty"}
        assert found[f"complaint-session-{session.pk}@chainparty"].decoded("dtstart").isoformat() == "2026-11-20"
        login(client, w, "handler_a")
        client.post(reverse("meetings:calendar"), {"action": "revoke"})
        client.logout()
        assert client.get(url).status_code == 404

    def test_a_new_address_replaces_the_old(self, client, meetings_world, meeting):
        old = services.create_calendar_feed(actor=meetings_world.leader_b)
        new = services.create_calendar_feed(actor=meetings_world.leader_b)
        assert client.get(reverse("meetings:feed", args=[old.token])).status_code == 404
        body = client.get(reverse("meetings:feed", args=[new.token])).content
        assert f"meeting-{meeting.pk}@chainparty" not in events(body)  # chain_a's: not leader_b's
        assert len(events(body)) == 1  # chain_b's

    def test_an_unknown_token_and_a_deactivated_owner_are_404(self, client, meetings_world, meeting):
        assert client.get(reverse("meetings:feed", args=["nope"])).status_code == 404
        feed = services.create_calendar_feed(actor=meetings_world.leader_a)
        User.objects.filter(pk=meetings_world.leader_a.pk).update(is_active=False)
        assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404

    def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(self, client, meetings_world, meeting):
        services.cancel_meeting(meeting_id=meeting.pk, actor=meetings_world.staff, reason="冲突")
        feed = services.create_calendar_feed(actor=meetings_world.leader_a)
        event = events(client.get(reverse("meetings:feed", args=[feed.token])).content)[
            f"meeting-{meeting.pk}@chainparty"
        ]
        assert str(event["status"]) == "CANCELLED"

    def test_the_feed_query_count_does_not_grow(self, client, meetings_world, meeting, django_assert_num_queries):
        feed = services.create_calendar_feed(actor=meetings_world.handler_a)
        for year in (2027, 2028):
            for month in (1, 4, 7, 10):
                schedule_quarterly_meetings(at=at(month, 2, 6, year=year))
            with django_assert_num_queries(4):  # the feed and its owner, the groups, meetings, sessions
                assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 200


@pytest.mark.django_db
class TestExport:
    def test_the_decisions_ledger_exports_the_listed_meetings_decisions_with_their_follow_ups(
        self, meetings_world, meeting, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        w = meetings_world
        other = Meeting.objects.get(chain=w.chain_b)
        issue = issue_in(w, "in_progress", category="inquiry", at=at(10, 12))
        with time_machine.travel(at(10, 16), tick=False):
            services.add_agenda_item(meeting_id=meeting.pk, actor=w.staff, issue_id=issue.pk)
        with time_machine.travel(at(10, 21), tick=False):
            for held in (meeting, other):
                services.hold_meeting(meeting_id=held.pk, actor=w.staff, summary="纪要")
            item = AgendaItem.objects.get(meeting=meeting)
            services.record_decision(
                meeting_id=meeting.pk,
                actor=w.staff,
                text="=限期办结",
                agenda_item_id=item.pk,
                follow_up_unit_id=w.dept_b.pk,
                follow_up_due=at(11, 30).date(),
            )
            services.record_decision(meeting_id=other.pk, actor=w.staff, text="另一条链的决定")
        job = jobs.start_export(actor=w.staff, name="meetings.decisions", params=f"chain={w.chain_a.pk}")
        assert jobs.run_job(job.pk)
        job.refresh_from_db()
        assert job.summary["rows"] == 1
        sheet = load_workbook(io.BytesIO(job.result.read())).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        follow_up = Decision.objects.get(meeting=meeting).follow_up_issue
        assert rows == [
            [
                "2026Q4",
                w.chain_a.name,
                meeting.title,
                "2026-10-20 14:30",
                item.title,
                "'=限期办结",  # a formula is never written as one
                w.dept_b.name,
                "2026-11-30",
                follow_up.number,
                str(follow_up.get_status_display()),
            ]
        ]

    def test_only_district_staff_may_export(self, meetings_world, meeting):
        with pytest.raises(PermissionDenied):
            jobs.start_export(actor=meetings_world.leader_a, name="meetings.decisions")
