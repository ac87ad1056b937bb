"""Finding postings, cadres and work logs (issue 10): search, sort and date range with the same
parameters on the page and the API, and the posting export as filtered, within the user's scope."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from secretaries.models import Posting
from tests import factories as f

pytestmark = pytest.mark.django_db


def api_ids(api, user, name, **params) -> list[int]:
    api.force_authenticate(User.objects.get(pk=user.pk))
    response = api.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def page_posting_ids(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(reverse("secretaries:posting-list"), params)
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'href="/secretaries/postings/(\d+)/"', response.content.decode())]


@pytest.fixture
def started(posts):
    Posting.objects.filter(pk=posts.posting_b.pk).update(start_date=date(2026, 5, 1))
    Posting.objects.filter(pk=posts.chief_posting.pk).update(start_date=date(2026, 3, 1))
    return posts


def test_postings_are_found_by_enterprise_and_sorted_on_the_page_and_the_api(client, api, started):
    w = started
    assert api_ids(api, w.staff, "posting-list", q="乙一") == [w.posting_b.pk]
    assert page_posting_ids(client, w.staff, q=w.ent_b1.credit_code) == [w.posting_b.pk]
    newest_first = [w.posting_b.pk, w.chief_posting.pk, w.posting_a.pk]
    assert api_ids(api, w.staff, "posting-list", ordering="-start") == newest_first
    assert page_posting_ids(client, w.staff, sort="-start") == newest_first
    window = {"started_after": "2026-02-01", "started_before": "2026-04-30"}
    assert api_ids(api, w.staff, "posting-list", **window) == [w.chief_posting.pk]
    assert page_posting_ids(client, w.staff, **window) == [w.chief_posting.pk]


def test_searching_postings_never_finds_another_chains(client, api, started):
    assert api_ids(api, started.leader_a, "posting-list", q="乙一") == []
    assert page_posting_ids(client, started.leader_a, q="乙一") == []


def test_the_posting_export_is_the_filtered_list_in_its_order(client, started):
    client.force_login(started.staff)
    response = client.post(reverse("jobs:export", args=["secretaries.postings"]), {"params": "ordering=start"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    client.force_login(started.leader_a)
    response = client.post(reverse("jobs:export", args=["secretaries.postings"]), {"params": "q=乙一"})
    assert list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)) == []


def test_cadres_sort_by_name_in_pinyin_order(api, posts):
    f.CadreFactory(name="阿明", source_unit=posts.dept_b)  # ā before 储 chǔ
    names = [row["name"] for row in _cadres(api, posts.staff, ordering="name")]
    assert names.index("阿明") < names.index("储备干部甲")
    assert [row["name"] for row in _cadres(api, posts.staff, q="储备")] == ["储备干部甲"]


def _cadres(api, user, **params):
    api.force_authenticate(User.objects.get(pk=user.pk))
    response = api.get(reverse("cadre-list"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_work_logs_are_searched_and_sorted(api, posts):
    old = f.WorkLogFactory(posting=posts.posting_a, date=date(2026, 2, 1), summary="走访企业了解用工")
    new = f.WorkLogFactory(posting=posts.posting_a, date=date(2026, 6, 1), summary="指导组建党支部")
    assert api_ids(api, posts.staff, "work-log-list", q="党支部") == [new.pk]
    assert api_ids(api, posts.staff, "work-log-list", ordering="date") == [old.pk, new.pk]
    assert api_ids(api, posts.secretary_b, "work-log-list", q="党支部") == []
