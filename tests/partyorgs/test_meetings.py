"""三会一课 (design §4.4): recording refused with every reason at once; compliance per quarter, across
the quarter boundary; roll-ups per industry party committee and chain; pages and API in scope."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from partyorgs import services
from partyorgs.compliance import Quarter, compliance_for
from partyorgs.models import MeetingKind, OrgKind, OrgMeeting
from partyorgs.selectors import meeting_compliance_for_user
from tests import factories as f
from tests.clock import at
from tests.partyorgs.conftest import SEES, queries_of

pytestmark = pytest.mark.django_db

Q1, Q2 = Quarter(2026, 1), Quarter(2026, 2)
MONTHLY = (MeetingKind.COMMITTEE_MEETING, MeetingKind.GROUP_MEETING, MeetingKind.THEME_DAY)


def held(org, kind, day):
    return OrgMeeting.objects.create(
        organization=org, kind=kind, held_on=day, topic="学习", attendance=1, recorded_by=org_staff()
    )


def org_staff():
    from accounts.models import User

    return User.objects.get(username="staff")


def kinds(compliance) -> dict[str, tuple[int, int]]:
    return {k.kind: (k.met, k.required) for k in compliance.kinds}


class TestQuarter:
    def test_parse_and_bounds(self):
        assert Quarter.parse("2026Q4") == Quarter.parse(" 2026-q4 ") == Quarter(2026, 4)
        assert Quarter.parse("2026Q5") is None
        assert (Q1.first_day, Q1.last_day) == (date(2026, 1, 1), date(2026, 3, 31))
        assert Quarter(2026, 4).last_day == date(2026, 12, 31)
        assert Quarter.of(date(2026, 3, 31)) == Q1
        assert Quarter.of(date(2026, 4, 1)) == Q2
        assert (Q1.previous(), Quarter(2026, 4).next()) == (Quarter(2025, 4), Quarter(2027, 1))


class TestCompliance:
    def test_a_small_branch_owes_member_meetings_lectures_and_theme_days(self, orgs):
        due = kinds(compliance_for([orgs.joint_b], Q1)[orgs.joint_b.pk])
        assert due == {
            MeetingKind.MEMBER_MEETING: (0, 1),
            MeetingKind.PARTY_LECTURE: (0, 1),
            MeetingKind.THEME_DAY: (0, 3),
        }

    def test_a_committee_also_owes_committee_and_group_meetings_monthly(self, orgs):
        due = kinds(compliance_for([orgs.committee_x], Q1)[orgs.committee_x.pk])
        assert due[MeetingKind.COMMITTEE_MEETING] == (0, 3)
        assert due[MeetingKind.GROUP_MEETING] == (0, 3)

    def test_across_the_quarter_boundary(self, orgs):
        org = orgs.joint_b
        held(org, MeetingKind.MEMBER_MEETING, date(2026, 3, 31))  # the last day of Q1
        held(org, MeetingKind.PARTY_LECTURE, date(2026, 4, 1))  # the first day of Q2
        for day in (date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 31), date(2026, 4, 1)):
            held(org, MeetingKind.THEME_DAY, day)
        q1 = compliance_for([org], Q1)[org.pk]
        q2 = compliance_for([org], Q2)[org.pk]
        assert kinds(q1) == {
            MeetingKind.MEMBER_MEETING: (1, 1),
            MeetingKind.PARTY_LECTURE: (0, 1),
            MeetingKind.THEME_DAY: (3, 3),
        }
        assert not q1.complies
        assert kinds(q2) == {
            MeetingKind.MEMBER_MEETING: (0, 1),
            MeetingKind.PARTY_LECTURE: (1, 1),
            MeetingKind.THEME_DAY: (1, 3),
        }

    def test_two_meetings_in_one_month_fill_one_slot(self, orgs):
        org = orgs.joint_b
        held(org, MeetingKind.THEME_DAY, date(2026, 1, 5))
        held(org, MeetingKind.THEME_DAY, date(2026, 1, 25))
        assert kinds(compliance_for([org], Q1)[org.pk])[MeetingKind.THEME_DAY] == (1, 3)

    def test_a_complying_quarter(self, orgs):
        org = orgs.joint_b
        held(org, MeetingKind.MEMBER_MEETING, date(2026, 2, 1))
        held(org, MeetingKind.PARTY_LECTURE, date(2026, 3, 1))
        for month in (1, 2, 3):
            held(org, MeetingKind.THEME_DAY, date(2026, month, 15))
        result = compliance_for([org], Q1)[org.pk]
        assert result.complies
        assert (result.met, result.required) == (5, 5)

    def test_rolled_up_per_industry_committee_and_chain(self, orgs, django_assert_num_queries):
        org = orgs.joint_b
        held(org, MeetingKind.MEMBER_MEETING, date(2026, 2, 1))
        held(org, MeetingKind.PARTY_LECTURE, date(2026, 3, 1))
        for month in (1, 2, 3):
            held(org, MeetingKind.THEME_DAY, date(2026, month, 15))
        for _ in range(3):  # more organizations do not mean more queries
            f.PartyOrganizationFactory(parent=orgs.committee_x)
        # roles, organizations, meetings' slots, committees' organizations, their subtrees, chains, pairs
        with django_assert_num_queries(7):
            result = meeting_compliance_for_user(orgs.staff, Q1)
        (committee,) = result.industry_committees
        assert (committee.name, committee.organizations, committee.complying) == ("行业党委A", 6, 1)
        chains = {g.name: g for g in result.chains}
        assert (chains["新能源链B"].organizations, chains["新能源链B"].complying, chains["新能源链B"].rate) == (
            1,
            1,
            100,
        )
        assert (chains["生物医药链A"].organizations, chains["生物医药链A"].complying) == (1, 0)

    def test_roll_ups_count_only_what_the_user_sees(self, orgs):
        result = meeting_compliance_for_user(orgs.leader_a, Q1)
        assert [g.name for g in result.chains] == ["生物医药链A"]
        assert [(g.name, g.organizations) for g in result.industry_committees] == [("行业党委A", 1)]


class TestRecording:
    @pytest.fixture(autouse=True)
    def _english(self):
        with translation.override("en"):
            yield

    def record(self, actor, org, **data):
        values = {"kind": MeetingKind.THEME_DAY, "held_on": date(2026, 12, 1), "topic": "主题党日", "attendance": 3}
        with time_machine.travel(at(12, 6), tick=False):
            return services.record_org_meeting(actor=actor, organization=org, **{**values, **data})

    def test_the_organizations_contact_and_staff_record(self, orgs):
        assert self.record(orgs.contact_a, orgs.branch_a1).recorded_by == orgs.contact_a
        assert self.record(orgs.staff, orgs.joint_b).organization == orgs.joint_b

    @pytest.mark.parametrize("who", ["leader_a", "chief_a", "secretary_a", "contact_b", "handler_a"])
    def test_others_may_not(self, orgs, who):
        with pytest.raises(PermissionDenied):
            self.record(getattr(orgs, who), orgs.branch_a1)

    def test_every_problem_at_once_and_nothing_written(self, orgs):
        with pytest.raises(ValidationError) as info:
            self.record(
                orgs.staff,
                orgs.joint_b,  # a joint branch without a committee
                kind=MeetingKind.COMMITTEE_MEETING,
                held_on=date(2026, 12, 7),  # tomorrow
                topic=" ",
                attendance=5,  # 4 members
            )
        assert set(info.value.message_dict) == {"kind", "held_on", "topic", "attendance"}
        assert "4 members" in info.value.message_dict["attendance"][0]
        assert not OrgMeeting.objects.exists()

    def test_negative_attendance(self, orgs):
        with pytest.raises(ValidationError) as info:
            self.record(orgs.staff, orgs.joint_b, attendance=-1)
        assert list(info.value.message_dict) == ["attendance"]


PAGE = reverse("partyorgs:meetings")
API = reverse("org-meeting-list")


class TestPagesAndApi:
    def test_the_page_shows_the_quarter_and_its_roll_ups(self, client, orgs):
        held(orgs.joint_b, MeetingKind.THEME_DAY, date(2026, 1, 15))
        client.force_login(orgs.staff)
        response = client.get(PAGE, {"quarter": "2026Q1"})
        assert response.context["result"].quarter == Q1
        html = response.content.decode()
        assert "2026Q1" in html
        assert "行业党委A" in html
        assert client.get(PAGE, {"quarter": "明年"}).status_code == 400

    def test_recording_on_the_page_shows_the_errors_next_to_the_fields(self, client, orgs):
        client.force_login(orgs.contact_a)
        url = reverse("partyorgs:meeting-record", args=[orgs.branch_a1.pk])
        response = client.post(url, {"kind": "theme_day", "held_on": "2026-12-01", "topic": "", "attendance": "-3"})
        assert response.status_code == 400
        assert set(response.context["meeting_form"].errors) == {"topic", "attendance"}
        response = client.post(url, {"kind": "theme_day", "held_on": "2026-12-01", "topic": "学习", "attendance": "4"})
        assert response.status_code == 302
        assert OrgMeeting.objects.get().topic == "学习"

    def test_recording_outside_scope_is_a_404_and_without_the_right_a_403(self, client, orgs):
        client.force_login(orgs.contact_a)
        assert client.post(reverse("partyorgs:meeting-record", args=[orgs.joint_b.pk]), {}).status_code == 404
        client.force_login(orgs.leader_a)
        assert client.post(reverse("partyorgs:meeting-record", args=[orgs.branch_a1.pk]), {}).status_code == 403

    @pytest.mark.parametrize(("who", "sees"), {**SEES, "security": [], "auditor": []}.items())
    def test_the_api_lists_the_meetings_of_what_the_user_sees(self, api, orgs, who, sees):
        for org in (orgs.committee_x, orgs.branch_a1, orgs.joint_b):
            held(org, MeetingKind.MEMBER_MEETING, date(2026, 2, 1))
        api.force_authenticate(getattr(orgs, who))
        response = api.get(API)
        assert response.status_code == 200
        assert sorted(m["organization"]["name"] for m in response.json()["results"]) == sees
        outside = OrgMeeting.objects.exclude(organization__name__in=sees).first()
        assert api.get(reverse("org-meeting-detail", args=[outside.pk])).status_code == 404

    def test_the_api_records_with_the_error_shape(self, api, orgs):
        api.force_authenticate(orgs.contact_a)
        body = {"organization": orgs.branch_a1.pk, "kind": "theme_day", "held_on": "2026-12-01", "topic": "学习"}
        with time_machine.travel(at(12, 6), tick=False):
            assert api.post(API, {**body, "attendance": 3}, format="json").status_code == 201
            bad = api.post(API, {**body, "attendance": 99}, format="json", HTTP_ACCEPT_LANGUAGE="en")
            assert bad.status_code == 400
            assert list(bad.json()["errors"]) == ["attendance"]
            assert (
                api.post(API, {**body, "organization": orgs.joint_b.pk, "attendance": 1}, format="json").status_code
                == 404
            )

    @pytest.mark.parametrize("who", ["staff", "leader_a", "contact_a"])
    def test_query_counts_do_not_grow(self, client, api, orgs, django_assert_num_queries, who):
        user = getattr(orgs, who)
        client.force_login(user)
        api.force_authenticate(user)

        def grow(n):
            for _ in range(n):
                org = f.PartyOrganizationFactory(parent=orgs.committee_x, covers=[orgs.ent_a1], kind=OrgKind.BRANCH)
                held(org, MeetingKind.THEME_DAY, date(2026, 1, 15))

        grow(2)
        for call in (lambda: client.get(PAGE, {"quarter": "2026Q1"}), lambda: api.get(API)):
            call()
            few = queries_of(call)
            grow(4)
            call()
            with django_assert_num_queries(few):
                assert call().status_code == 200
            assert few >= 2  # the API: the count and the page
