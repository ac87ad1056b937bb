"""Who sees which posting, work log and cadre (design §5): in SQL, and outside scope a 404 on every
route, page and API. The cast: posting_a (secretary_a → ent_a1 on chain A, in park_a), posting_b
(secretary_b → ent_b1 on chain B, in park_b), chief_posting (chief_a → park_a)."""

import pytest
from django.urls import reverse

from secretaries.models import Cadre, Posting, WorkLog
from tests import factories as f

pytestmark = pytest.mark.django_db

EVERYONE = [
    "staff",
    "leader_a",
    "leader_b",
    "handler_a",
    "handler_b",
    "handler_town",
    "chief_a",
    "secretary_a",
    "secretary_b",
    "contact_a",
    "contact_b",
    "security",
    "auditor",
    "outsider",
]
SEES_POSTING_A = {"staff", "leader_a", "handler_a", "chief_a", "secretary_a", "contact_a"}
SEES_POSTING_B = {"staff", "leader_b", "handler_b", "secretary_b", "contact_b"}
SEES_CHIEF_POSTING = {"staff", "chief_a"}


@pytest.mark.parametrize("who", EVERYONE)
def test_postings_are_seen_through_the_enterprise_or_park_and_by_the_cadre(posts, who):
    user = getattr(posts, who)
    visible = set(Posting.objects.visible_to(user).values_list("pk", flat=True))
    assert (posts.posting_a.pk in visible) == (who in SEES_POSTING_A)
    assert (posts.posting_b.pk in visible) == (who in SEES_POSTING_B)
    assert (posts.chief_posting.pk in visible) == (who in SEES_CHIEF_POSTING)


@pytest.mark.parametrize("who", EVERYONE)
def test_work_logs_follow_their_posting(posts, who):
    entry = WorkLog.objects.create(
        posting=posts.posting_a, kind="visit", date=posts.posting_a.start_date, summary="走访"
    )
    assert WorkLog.objects.visible_to(getattr(posts, who)).filter(pk=entry.pk).exists() == (who in SEES_POSTING_A)


@pytest.mark.parametrize("who", EVERYONE)
def test_the_pool_is_the_districts_and_a_cadre_sees_their_own_record(posts, who):
    user = getattr(posts, who)
    visible = set(Cadre.objects.visible_to(user))
    if who == "staff":
        assert posts.pool_cadre in visible
    else:
        assert visible == set(Cadre.objects.filter(user=user))


def detail_urls(posting) -> list[str]:
    return [
        reverse("secretaries:posting-detail", args=[posting.pk]),
        reverse("posting-detail", args=[posting.pk]),
    ]


@pytest.mark.parametrize("who", sorted(set(EVERYONE) - SEES_POSTING_A))
def test_a_posting_outside_scope_is_a_404_on_every_route(client, api, posts, who):
    user = getattr(posts, who)
    client.force_login(user)
    api.force_authenticate(user)
    page, api_url = detail_urls(posts.posting_a)
    assert client.get(page).status_code == 404
    assert api.get(api_url).status_code == 404
    for action in ("log-work", "end", "evaluate"):
        assert client.post(reverse("secretaries:posting-action", args=[posts.posting_a.pk, action])).status_code == 404
        assert api.post(f"{api_url}{action}/", {}, format="json").status_code == 404
    entry = f.WorkLogFactory(posting=posts.posting_a)
    assert api.get(reverse("work-log-detail", args=[entry.pk])).status_code == 404


@pytest.mark.parametrize("who", sorted(SEES_POSTING_A - {"staff"}))
def test_those_who_see_a_posting_read_it_on_every_route(client, api, posts, who):
    user = getattr(posts, who)
    client.force_login(user)
    api.force_authenticate(user)
    page, api_url = detail_urls(posts.posting_a)
    assert client.get(page).status_code == 200
    assert api.get(api_url).status_code == 200


@pytest.mark.parametrize("who", sorted(set(EVERYONE) - {"staff"}))
def test_a_cadre_of_the_pool_is_a_404_to_all_but_staff(api, posts, who):
    api.force_authenticate(getattr(posts, who))
    assert api.get(reverse("cadre-detail", args=[posts.pool_cadre.pk])).status_code == 404
