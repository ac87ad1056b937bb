"""Each role's home is its dashboard (issue 14): what each role sees there, counted from hand-built
records; that every number on it lists as many rows when followed; that nobody sees another's
records there; and that each role's home costs the same number of queries at two data sizes."""

import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.roles import Role
from chains.models import LeaderRole
from issues.models import Status
from meetings.models import Meeting
from tests import factories as f
from tests.clock import at, end_of
from tests.home.conftest import extension, make_issue, rating, share

pytestmark = pytest.mark.django_db

# A number on the home that links somewhere: a count tile, or a figure of a card.
COUNT_LINK = re.compile(r'<a href="(?P<href>[^"]+)">(?:<span class="count-value">)?(?P<n>\d+)(?:</span>|</a>)')


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def panel(response, template):
    found = [p for p in response.context["panels"] if p["template"] == template]
    assert len(found) == 1, [p["template"] for p in response.context["panels"]]
    return found[0]


def check_every_count_lists_as_many(client, response) -> int:
    """Follow each number's link: the list there holds exactly that many rows."""
    links = [(unescape(m["href"]), int(m["n"])) for m in COUNT_LINK.finditer(response.content.decode())]
    assert links
    for href, n in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert listed.context["page"].paginator.count == n, (href, n)
    return len(links)


# --- district staff ------------------------------------------------------------------------------
@pytest.fixture
def district(world, category, clock):
    """Issues: 2 to accept, 1 to dispatch, 1 with a pending extension (and 1 with a granted one), 2
    open at the district's rung (one overdue, one resolved) and 1 closed there; resolved this quarter:
    2 on time, 1 late. Meetings without minutes: 2 (one of last quarter), 1 minuted, 1 planned."""
    w = world
    mk = make_issue
    mk(w, category, "S1", status=Status.SUBMITTED)
    mk(w, category, "S2", status=Status.SUBMITTED, enterprise=w.ent_b1)
    mk(w, category, "AC1", status=Status.ACCEPTED)
    d1 = mk(w, category, "D1", status=Status.DISPATCHED, lead=w.dept_a, resolve_due_at=end_of(11, 30))
    extension(w, d1)
    d2 = mk(w, category, "D2", status=Status.IN_PROGRESS, lead=w.dept_a, resolve_due_at=end_of(12, 30))
    extension(w, d2, status="granted")
    mk(w, category, "L3", status=Status.IN_PROGRESS, level=3, lead=w.dept_b, resolve_due_at=end_of(11, 10))
    mk(w, category, "R3", status=Status.RESOLVED, level=3, resolve_due_at=end_of(11, 17), resolved_at=at(11, 16))
    mk(w, category, "C3", status=Status.CLOSED, level=3, resolve_due_at=end_of(10, 24), resolved_at=at(10, 20))
    mk(w, category, "C4", status=Status.CLOSED, resolve_due_at=end_of(10, 30), resolved_at=at(11, 2))
    Meeting.objects.create(chain=w.chain_a, quarter="2026Q4", title="A", starts_at=at(11, 2, 14), status="held")
    Meeting.objects.create(chain=w.chain_b, quarter="2026Q3", title="B3", starts_at=at(9, 2, 14), status="held")
    Meeting.objects.create(chain=w.chain_b, quarter="2026Q4", title="B4", starts_at=at(10, 9, 14), status="minuted")
    Meeting.objects.create(chain=w.chain_a, quarter="2027Q1", title="A1", starts_at=at(1, 12, 14, year=2027))
    f.PartyOrganizationFactory(covers=[w.ent_a1], unit=w.dept_a)
    return w


def test_district_staff_see_their_to_do_and_the_districts_headline_figures(client, district):
    response = home(client, district.staff)
    staff = panel(response, "home/_district_staff.html")
    assert (staff["to_accept"], staff["to_dispatch"], staff["extensions"]) == (2, 1, 1)
    assert (staff["escalated"], staff["minutes_pending"]) == (2, 2)
    issues = staff["issues"]
    assert (issues["open"], issues["overdue"], issues["resolved"], issues["resolved_on_time"]) == (7, 1, 3, 2)
    assert str(issues["on_time_rate"]) == "0.6667"
    assert (staff["coverage"].organization, staff["coverage"].enterprises) == (1, 3)
    html = response.content.decode()
    for text in ("待办", "待受理", "延期申请待审批", "升级至区委", "已召开未录入纪要", "66.7%", "33.3%"):
        assert text in html, text
    assert reverse("dashboards:district") in html
    assert 'class="light light-red"' in html  # 66.7 % on time, 33.3 % coverage: both under 75 %


def test_each_count_on_the_staff_home_lists_as_many(client, district):
    response = home(client, district.staff)
    assert check_every_count_lists_as_many(client, response) == 7


# --- chain leaders -----------------------------------------------------------------------------
@pytest.fixture
def chains(world, category, clock):
    """Chain A's facts: 5 enterprises (the cast's two and three more), its designated master 甲一,
    3 open issues of which 2 escalated (and a closed one), 2 of 5 enterprises with an organization."""
    w = world
    extra = [f.EnterpriseFactory(name=f"甲链企业{i}") for i in range(3)]
    for enterprise in extra:
        f.MembershipFactory(enterprise=enterprise, segment=w.seg_a, chain=w.chain_a)
    f.PartyOrganizationFactory(covers=[w.ent_a1, extra[0]], unit=w.dept_a)
    mk = make_issue
    mk(w, category, "A1", status=Status.IN_PROGRESS, level=2, lead=w.dept_a, resolve_due_at=end_of(11, 10))
    mk(w, category, "A2", status=Status.SUBMITTED, enterprise=extra[1])
    mk(w, category, "A3", status=Status.RESOLVED, level=1, resolved_at=at(11, 16))
    mk(w, category, "A4", status=Status.CLOSED, level=2)
    mk(w, category, "B1", status=Status.IN_PROGRESS, enterprise=w.ent_b1, level=3, resolve_due_at=end_of(11, 10))
    return w


def test_a_chain_leaders_cards_show_the_chains_facts_and_lead_to_its_dashboard(client, chains):
    response = home(client, chains.leader_a)
    leader = panel(response, "home/_chain_leader.html")
    [card] = leader["cards"]
    assert card["chain"] == chains.chain_a
    assert card["chain"].member_count == 5
    assert [m.enterprise for m in card["chain"].designated_masters] == [chains.ent_a1]
    assert card["issues"] == {"open": 3, "escalated": 2}
    assert str(card["organization_rate"]) == "40.0"
    assert leader["supervision"] == 1  # A1: level 2, being handled
    html = response.content.decode()
    assert reverse("dashboards:chain", args=[chains.chain_a.pk]) in html
    assert "甲一企业" in html
    assert "40.0%" in html
    assert "新能源链B" not in html
    assert reverse("dashboards:chain", args=[chains.chain_b.pk]) not in html


def test_a_deputy_leader_gets_the_chain_too(client, chains):
    deputy = f.UserFactory(username="deputy", roles=[Role.CHAIN_LEADER])
    f.LeadershipFactory(chain=chains.chain_b, user=deputy, role=LeaderRole.DEPUTY)
    [card] = panel(home(client, deputy), "home/_chain_leader.html")["cards"]
    assert card["chain"] == chains.chain_b
    assert card["issues"] == {"open": 1, "escalated": 1}


def test_each_number_on_a_chain_leaders_home_lists_as_many(client, chains):
    # 督办件, then the card's enterprises, open and escalated issues.
    assert check_every_count_lists_as_many(client, home(client, chains.leader_a)) == 4


def test_a_chain_leader_without_a_chain_is_told_so(client, world, clock):
    lonely = f.UserFactory(username="lonely", roles=[Role.CHAIN_LEADER])
    response = home(client, lonely)
    assert panel(response, "home/_chain_leader.html")["cards"] == []
    assert "您尚未担任任何产业链的链长" in response.content.decode()


# --- unit handlers -------------------------------------------------------------------------------
@pytest.fixture
def queue(world, category, clock):
    """经济部门A's queue: I1 to sign for (its lead share, due Monday), I2 to answer (signed, its due
    date past), I3 its co-handling part to reply, I4 a co-handling part to sign for, past its deadline;
    I5 answered on time and rated satisfied. 经济部门B's share of I6 is not its business.

    This quarter's rates: signed for on time 2 of 4 (I1 is not yet due), resolved on time 1 of 1,
    satisfied 1 of 1."""
    w = world
    mk = make_issue
    i1 = mk(w, category, "I1", status=Status.DISPATCHED, lead=w.dept_a, sign_due_at=end_of(11, 23))
    share(i1, w.dept_a, sign_due_at=end_of(11, 23))
    i2 = mk(w, category, "I2", status=Status.IN_PROGRESS, lead=w.dept_a, resolve_due_at=end_of(11, 19))
    share(i2, w.dept_a, status="signed", sign_due_at=end_of(11, 3), signed_at=at(11, 3), due_at=end_of(11, 19))
    i3 = mk(w, category, "I3", status=Status.IN_PROGRESS, lead=w.dept_b, dispatch_mode="joint")
    share(i3, w.dept_b, status="signed", signed_at=at(11, 10), due_at=end_of(11, 30))
    share(
        i3, w.dept_a, role="co", status="signed", sign_due_at=end_of(11, 9), signed_at=at(11, 10), due_at=end_of(11, 27)
    )
    i4 = mk(
        w, category, "I4", status=Status.DISPATCHED, lead=w.dept_b, dispatch_mode="joint", sign_due_at=end_of(11, 18)
    )
    share(i4, w.dept_b, sign_due_at=end_of(11, 23))
    share(i4, w.dept_a, role="co", sign_due_at=end_of(11, 18), due_at=end_of(11, 18))
    i5 = mk(
        w, category, "I5", status=Status.CLOSED, lead=w.dept_a, resolve_due_at=end_of(11, 17), resolved_at=at(11, 16)
    )
    share(i5, w.dept_a, status="replied", sign_due_at=end_of(11, 3), signed_at=at(11, 2), replied_at=at(11, 16))
    rating(w, i5)
    i6 = mk(w, category, "I6", status=Status.DISPATCHED, enterprise=w.ent_b1, lead=w.dept_b)
    share(i6, w.dept_b, sign_due_at=end_of(11, 23))
    return w


def test_a_unit_handler_sees_the_units_queue_in_its_parts_and_its_rates(client, queue):
    response = home(client, queue.handler_a)
    unit = panel(response, "home/_unit_handler.html")
    assert unit["queue"] == {"total": 4, "sign": 2, "answer": 1, "co": 1, "late": 2}
    kpis = unit["kpis"]
    assert (kpis["responded_on_time"], kpis["response_due"]) == (2, 4)
    assert (kpis["resolved_on_time"], kpis["resolved"], kpis["satisfied"], kpis["rated"]) == (1, 1, 1, 1)
    html = response.content.decode()
    for text in ("待签收", "待答复", "会办", "已过期限", "50.0%", "100.0%"):
        assert text in html, text
    assert 'class="light light-red"' in html
    assert 'class="light light-green"' in html


def test_each_count_on_a_unit_handlers_home_lists_as_many(client, queue):
    # The four parts of the queue and the 督办件.
    assert check_every_count_lists_as_many(client, home(client, queue.handler_a)) == 5


def test_another_units_handler_sees_none_of_it(client, queue):
    unit = panel(home(client, queue.handler_town), "home/_unit_handler.html")
    assert unit["queue"] == {"total": 0, "sign": 0, "answer": 0, "co": 0, "late": 0}
    assert unit["kpis"]["dispatched"] == 0
    other = panel(home(client, queue.handler_b), "home/_unit_handler.html")
    assert other["queue"]["sign"] == 2  # I4 and I6, its own lead shares


def test_the_queue_refuses_a_part_it_does_not_have(client, queue):
    client.force_login(queue.handler_a)
    response = client.get(reverse("issues:queue"), {"show": "everything"})
    assert response.status_code == 400
    assert response.context["page"].paginator.count == 0


# --- park chiefs and first secretaries -----------------------------------------------------------
def test_a_park_chief_sees_their_parks_with_the_parks_facts(client, world, category, clock):
    w = world
    f.EnterpriseFactory(name="园区新企业", park=w.park_a)
    make_issue(w, category, "P1", status=Status.IN_PROGRESS, level=1, lead=w.dept_a, resolve_due_at=end_of(11, 10))
    make_issue(w, category, "P2", status=Status.SUBMITTED)
    make_issue(w, category, "B1", status=Status.SUBMITTED, enterprise=w.ent_b1)
    response = home(client, w.chief_a)
    [row] = panel(response, "home/_park_chief.html")["parks"]
    assert row["park"] == w.park_a
    assert row["park"].enterprise_count == 2
    assert row["issues"] == {"open": 2, "escalated": 1}
    html = response.content.decode()
    assert reverse("dashboards:park", args=[w.park_a.pk]) in html
    assert w.park_b.name not in html
    assert reverse("dashboards:park", args=[w.park_b.pk]) not in html
    assert reverse("issues:issue-submit") in html
    # 督办件 (P1 reached the park chief at level 1), then the park's enterprises, open and escalated.
    assert check_every_count_lists_as_many(client, response) == 4


def test_a_first_secretary_sees_their_postings_and_not_anothers(client, world, category, clock):
    w = world
    f.PostingFactory(enterprise=w.ent_b1)  # another cadre's
    make_issue(w, category, "F1", status=Status.SUBMITTED)
    make_issue(w, category, "F2", status=Status.CLOSED)
    make_issue(w, category, "B1", status=Status.SUBMITTED, enterprise=w.ent_b1)
    response = home(client, w.secretary_a)
    [row] = panel(response, "home/_first_secretary.html")["postings"]
    assert row["posting"].enterprise == w.ent_a1
    assert row["open_issues"] == 1
    html = response.content.decode()
    assert "甲一企业" in html
    assert "乙一企业" not in html
    assert reverse("issues:issue-submit") in html
    assert check_every_count_lists_as_many(client, response) == 1


# --- enterprise contacts -------------------------------------------------------------------------
@pytest.fixture
def own_issues(world, category, clock):
    """甲一's: one submitted (accept by Monday 23rd), one in progress and overdue (resolve by Thursday
    19th), one resolved within its rating window (rate by Wednesday 25th), one resolved whose window
    closed yesterday (the sweep has yet to close it), one closed. 乙一's: one being handled."""
    w = world
    mk = make_issue
    mk(w, category, "E1", status=Status.SUBMITTED, accept_due_at=end_of(11, 23))
    mk(w, category, "E2", status=Status.IN_PROGRESS, lead=w.dept_a, resolve_due_at=end_of(11, 19))
    mk(w, category, "E3", status=Status.RESOLVED, lead=w.dept_a, resolved_at=at(11, 18), rate_due_at=end_of(11, 25))
    mk(w, category, "E4", status=Status.RESOLVED, lead=w.dept_a, resolved_at=at(11, 11), rate_due_at=end_of(11, 19))
    mk(w, category, "E5", status=Status.CLOSED)
    mk(w, category, "X1", status=Status.IN_PROGRESS, enterprise=w.ent_b1, resolve_due_at=end_of(11, 30))
    return w


def test_an_enterprise_contact_sees_submit_their_open_issues_with_time_left_and_what_to_rate(client, own_issues):
    response = home(client, own_issues.contact_a)
    contact = panel(response, "home/_enterprise_contact.html")
    assert contact["counts"] == {"open": 4, "to_rate": 1}
    assert [issue.number for issue in contact["handling"]] == ["E2", "E1"]  # the nearest deadline first
    assert [issue.number for issue in contact["to_rate"]] == ["E3"]
    html = response.content.decode()
    assert html.index(reverse("issues:issue-submit")) < html.index("问题E2")  # the button comes first
    for text in ("提交问题", "超期 1 个工作日", "剩余 1 个工作日", "剩余 3 个工作日", "等待您评价"):
        assert text in html, text


def test_an_enterprise_contact_does_not_see_another_enterprises_issues(client, own_issues):
    response = home(client, own_issues.contact_a)
    assert "问题X1" not in response.content.decode()
    other = panel(home(client, own_issues.contact_b), "home/_enterprise_contact.html")
    assert other["counts"] == {"open": 1, "to_rate": 0}
    assert [issue.number for issue in other["handling"]] == ["X1"]


def test_the_contacts_counts_link_to_their_lists(client, own_issues):
    client.force_login(own_issues.contact_a)
    html = client.get(reverse("home")).content.decode()
    assert f"{reverse('issues:issue-list')}?open=true" in html
    assert client.get(reverse("issues:issue-list"), {"open": "true"}).context["page"].paginator.count == 4
    assert f"{reverse('issues:issue-list')}?status=resolved" in html


# --- roles and panels ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "templates"),
    [
        ("staff", ["home/_district_staff.html"]),
        ("leader_a", ["home/_chain_leader.html"]),
        ("handler_a", ["home/_unit_handler.html"]),
        ("chief_a", ["home/_park_chief.html"]),
        ("secretary_a", ["home/_first_secretary.html"]),
        ("contact_a", ["home/_enterprise_contact.html"]),
        ("security", []),
        ("auditor", []),
    ],
)
def test_each_role_gets_its_own_panel_only(client, world, clock, who, templates):
    response = home(client, getattr(world, who))
    assert [p["template"] for p in response.context["panels"]] == templates


def test_someone_with_two_roles_gets_both_panels_in_order(client, world, clock):
    world.handler_a.groups.add(*world.leader_a.groups.all())
    f.LeadershipFactory(chain=world.chain_a, user=world.handler_a)
    response = home(client, world.handler_a)
    assert [p["template"] for p in response.context["panels"]] == [
        "home/_chain_leader.html",
        "home/_unit_handler.html",
    ]


def test_the_home_is_in_english_when_asked(client, own_issues):
    client.force_login(own_issues.contact_a)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    html = client.get(reverse("home")).content.decode()
    assert "Submit a problem" in html
    assert "Waiting for your rating" in html
