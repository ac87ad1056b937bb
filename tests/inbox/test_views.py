"""The inbox page (moved here from the issue pages with the inbox itself): the unread count in the
header and on the menu entry, marking read, scope (another's notification is a 404), query counts."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.context_processors import navigation
from accounts.models import User
from inbox.context_processors import inbox
from inbox.models import Notification
from inbox.services import notify
from issues import services
from issues.models import CategoryKind, IssueCategory
from tests.issues.builders import issue_in


@pytest.fixture
def categories(db):
    return IssueCategory.objects.create(code="request", name="诉求", kind=CategoryKind.REQUEST, resolve_days=10)


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


@pytest.mark.django_db
class TestInbox:
    def test_unread_count_shows_in_the_header_and_marking_read_lowers_it(self, client, world, categories):
        issue = issue_in(world)  # the staff are told of a new issue
        services.comment_on_issue(issue_id=issue.pk, actor=world.contact_a, text="补充：附近道路也需改造")
        mine = Notification.objects.filter(recipient=world.staff)
        assert mine.count() == 2
        Notification.objects.create(recipient=world.contact_a, target=issue, subject="别人的消息")  # not counted
        response = get(client, world.staff, reverse("issues:issue-list"))
        assert response.context["inbox_unread"] == 2
        [inbox_entry] = [e for e in response.context["nav_menu"] if e["url"] == reverse("inbox:list")]
        assert inbox_entry["badge"] == 2
        assert str(inbox_entry["label"]) == "消息（2）"
        assert f"{inbox_entry['label']}</a>" in response.content.decode()

        newest = mine.order_by("-created_at", "-pk").first()
        response = post(client, world.staff, reverse("inbox:read", args=[newest.pk]), {"open": "1"})
        assert response.url == reverse("issues:issue-detail", args=[issue.pk])
        assert get(client, world.staff, reverse("inbox:list")).context["inbox_unread"] == 1

        post(client, world.staff, reverse("inbox:read-all"))
        response = get(client, world.staff, reverse("inbox:list"))
        assert response.context["inbox_unread"] == 0
        assert not mine.filter(read_at__isnull=True).exists()
        assert Notification.objects.get(subject="别人的消息").read_at is None

    def test_inbox_lists_only_my_notifications_newest_first(self, client, world, categories):
        first = issue_in(world, title="第一")
        second = issue_in(world, title="第二")
        response = get(client, world.staff, reverse("inbox:list"))
        assert [n.target for n in response.context["page"].object_list] == [second, first]
        assert "查看问题诉求" in response.content.decode()  # the button names what the notification is about
        assert list(get(client, world.contact_b, reverse("inbox:list")).context["page"].object_list) == []

    def test_nobody_marks_someone_elses_notification(self, client, world, categories):
        issue_in(world)
        theirs = Notification.objects.get(recipient=world.staff)
        assert post(client, world.contact_a, reverse("inbox:read", args=[theirs.pk])).status_code == 404
        assert post(client, world.contact_a, reverse("inbox:read", args=[theirs.pk]), {"open": "1"}).status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_a_notification_about_something_else_than_an_issue_is_listed_and_marked_read(self, client, world):
        notify(recipients=User.objects.filter(pk=world.staff.pk), target=world.dept_a, subject="单位")
        response = get(client, world.staff, reverse("inbox:list"))
        [note] = response.context["page"].object_list
        assert note.target == world.dept_a
        # A unit has no page of its own: "open" marks it read and stays in the inbox.
        response = post(client, world.staff, reverse("inbox:read", args=[note.pk]), {"open": "1", "page": "1"})
        assert response.url == reverse("inbox:list") + "?page=1"
        note.refresh_from_db()
        assert note.read_at is not None

    def test_the_unread_count_is_one_query_for_the_header_and_the_menu(
        self, world, categories, django_assert_num_queries
    ):
        issue_in(world)
        request = RequestFactory().get("/issues/")
        request.user = world.staff
        world.staff.roles  # noqa: B018 - the roles are read once per request, by the menu as by every page
        with django_assert_num_queries(2):  # the unread count once, and the menu's 督办件 count (issues.badges)
            context = {**navigation(request), **inbox(request)}
        assert context["inbox_unread"] == 1
        [inbox_entry] = [e for e in context["nav_menu"] if e["url"] == reverse("inbox:list")]
        assert inbox_entry["badge"] == 1

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_the_inbox_does_not_exist_for_users_without_a_business_role(self, client, world, who):
        response = get(client, getattr(world, who), reverse("inbox:list"))
        assert response.status_code == 404
        assert response.context["inbox_unread"] == 0


def test_the_old_inbox_address_leads_to_the_inbox(client, world):
    client.force_login(world.staff)
    response = client.get("/issues/inbox/?page=2")
    assert response.status_code == 301
    assert response["Location"] == reverse("inbox:list") + "?page=2"
