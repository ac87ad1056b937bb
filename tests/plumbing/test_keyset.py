"""Keyset pages on the API (chainparty.keyset through chainparty.api.Pagination): following `next`
from page 1 walks the same rows as the numbered pages, `previous` walks back, a cursor costs the same
queries as page 1, and a bad cursor is a 400 naming it."""

import pytest
from rest_framework.test import APIClient

from chainparty import keyset
from chains.models import Enterprise
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(world):
    for number in range(7):
        f.EnterpriseFactory(name=f"同名企业{number % 3}")  # equal names: the id breaks the tie
    api = APIClient()
    api.force_authenticate(world.staff)
    return api


def ids(body) -> list[int]:
    return [row["id"] for row in body["results"]]


def test_following_next_walks_the_numbered_pages_rows_and_previous_walks_back(staff_api):
    numbered, page = [], 1
    while True:
        response = staff_api.get("/api/v1/enterprises/", {"page_size": 3, "page": page})
        if response.status_code == 404:
            break
        numbered.append(ids(response.json()))
        page += 1
    walked, pages, url = [], [], "/api/v1/enterprises/?page_size=3"
    while url:
        body = staff_api.get(url).json()
        walked.append(ids(body))
        pages.append(body)
        url = body["next"]
    assert walked == numbered
    assert len(walked) >= 3
    assert all(body["count"] == pages[0]["count"] for body in pages)
    assert "cursor=" in pages[1]["previous"]
    back = staff_api.get(pages[-1]["previous"]).json()
    assert ids(back) == walked[-2]


def test_a_cursor_page_costs_the_queries_of_page_one(staff_api, django_assert_num_queries):
    second = staff_api.get("/api/v1/enterprises/?page_size=3").json()["next"]
    with django_assert_num_queries(4):  # count, page, honours, memberships
        staff_api.get(second)


def test_a_cursor_past_the_last_row_is_an_empty_page(staff_api):
    # A client's cursor outlives the rows (they were deleted, or left its scope): an empty page with
    # nothing before or after it, not a 500.
    last = Enterprise.objects.order_by("name", "pk").last()
    cursor = keyset.encode(last, [("name", False), ("id", False)])
    response = staff_api.get("/api/v1/enterprises/", {"cursor": cursor})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["results"], body["next"], body["previous"]) == ([], None, None)
    assert body["count"] == Enterprise.objects.count()


@pytest.mark.parametrize("cursor", ["garbage", "eyJ2IjpbMV0sImIiOmZhbHNlfQ", ""])
def test_a_bad_cursor_is_a_400_naming_it(staff_api, cursor):
    response = staff_api.get("/api/v1/enterprises/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_page_and_cursor_together_are_refused(staff_api):
    second = staff_api.get("/api/v1/enterprises/?page_size=3").json()["next"]
    response = staff_api.get(second + "&page=2")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=", "page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=", "page_size"),
        ("page_size=201", "page_size"),
    ],
)
def test_a_page_or_page_size_that_is_not_a_whole_number_in_range_is_a_400_naming_it(staff_api, query, field):
    # `?page=` empty is not page 1: the document's integer does not admit it (schemathesis found it).
    response = staff_api.get(f"/api/v1/enterprises/?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
