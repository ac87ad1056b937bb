"""The 督办件 count on the menu (issues.badges), for the people the escalation ladder reaches: one COUNT
per request, and none at all for those without the menu entry."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from issues.badges import supervision_count_for_request
from issues.models import Issue
from issues.selectors import count_supervision_queue_for_user, list_supervision_queue_for_user
from tests.clock import at
from tests.issues.builders import issue_in

pytestmark = pytest.mark.django_db

SUPERVISION = reverse("issues:supervision-queue")


@pytest.fixture
def ladder(world, categories, calendar_2026):
    """Inquiries of chain A (ent_a1, in park_a) at levels 1, 2 and 3, one of chain B (ent_b1, in park_b)
    at level 2, and one of chain A escalated to level 2 and answered since (no longer being handled).
    Highest level first: each build runs the deadline sweep at its rung's instant, over every issue."""
    built = [
        issue_in(world, "in_progress", category="inquiry", at=at(9, 28), escalation=3),
        issue_in(world, "in_progress", category="inquiry", at=at(9, 28), escalation=2),
        issue_in(world, "in_progress", category="inquiry", at=at(9, 28), escalation=2, enterprise=world.ent_b1),
        issue_in(world, "resolved", category="inquiry", at=at(9, 28), escalation=2),
        issue_in(world, "in_progress", category="inquiry", at=at(9, 28), escalation=1),
    ]
    levels = Issue.objects.filter(pk__in=[issue.pk for issue in built]).order_by("pk")
    assert list(levels.values_list("escalation_level", "chain__code", "status")) == [
        (3, world.chain_a.code, "in_progress"),
        (2, world.chain_a.code, "in_progress"),
        (2, world.chain_b.code, "in_progress"),
        (2, world.chain_a.code, "resolved"),
        (1, world.chain_a.code, "in_progress"),
    ]
    return world


# Level 2 and up of their chain for a chain leader, 3 and up for district staff, 1 and up of their park
# for a park chief.
EXPECTED = {"leader_a": 2, "leader_b": 1, "staff": 1, "chief_a": 3}


def menu_entry(response, url):
    [entry] = [entry for entry in response.context["nav_menu"] if entry["url"] == url]
    return entry


@pytest.mark.parametrize(("who", "count"), EXPECTED.items())
def test_the_menu_counts_what_waits_in_the_supervision_queue(client, ladder, who, count):
    user = getattr(ladder, who)
    assert count_supervision_queue_for_user(user) == count == list_supervision_queue_for_user(user).count()
    client.force_login(user)
    with translation.override("zh-hans"):
        response = client.get(reverse("issues:issue-list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    entry = menu_entry(response, SUPERVISION)
    assert (entry["badge"], entry["badged"]) == (count, True)
    html = response.content.decode()
    assert f'<a href="{SUPERVISION}">督办件（{count}）</a>' in html  # the menu
    header = f'<a class="header-count" href="{SUPERVISION}">督办件 <span class="badge badge-unread">{count}</span></a>'
    assert header in html  # the header bar: seen on a phone without opening the menu


def test_no_badge_when_nothing_waits(client, world, categories):
    client.force_login(world.leader_a)
    response = client.get(reverse("issues:issue-list"))
    assert menu_entry(response, SUPERVISION)["badge"] == 0
    assert f'<a href="{SUPERVISION}">督办件</a>' in response.content.decode()


@pytest.mark.parametrize("who", ["handler_a", "contact_a", "secretary_a"])
def test_people_without_the_menu_entry_are_not_counted(client, ladder, who):
    """A unit handler (the industry committee's too) reaches 督办件 from a tab of 我的待办, which
    counts it; the enterprise side has no queue. Neither pays for the badge's query."""
    client.force_login(getattr(ladder, who))
    response = client.get(reverse("issues:issue-list"))
    assert SUPERVISION not in [entry["url"] for entry in response.context["nav_menu"]]
    assert not hasattr(response.wsgi_request, "_supervision_count")


def test_the_count_is_one_query_once_per_request(ladder, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = ladder.leader_a
    assert ladder.leader_a.roles  # loaded, as the menu has them
    with django_assert_num_queries(1):
        assert supervision_count_for_request(request) == 2
        assert supervision_count_for_request(request) == 2
