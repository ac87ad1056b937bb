"""Finding meetings (issue 10): search, sort and date range with the same parameters on the page and
the API, and the export of the list as filtered, within the user's scope."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from meetings.sweep import schedule_quarterly_meetings
from tests.clock import at

pytestmark = pytest.mark.django_db

LIST = reverse("meetings:meeting-list")


@pytest.fixture
def year(meetings_world):
    """Each chain's meetings of 2027, one a quarter."""
    for month in (1, 4, 7, 10):
        schedule_quarterly_meetings(at=at(month, 2, 6, year=2027))
    return meetings_world


def api_rows(api, user, **params) -> list[tuple]:
    api.force_authenticate(User.objects.get(pk=user.pk))
    response = api.get(reverse("meeting-list"), params)
    assert response.status_code == 200, response.content
    return [(row["quarter"], row["chain_name"]) for row in response.json()["results"]]


def page_quarters(client, user, **params) -> list[str]:
    client.force_login(User.objects.get(pk=user.pk))
    response = client.get(LIST, params)
    assert response.status_code == 200
    return re.findall(r'<td class="nowrap">(\d{4}Q\d)</td>', response.content.decode())


def test_meetings_sort_by_date_and_keep_to_a_date_range_on_the_page_and_the_api(client, api, year):
    window = {"starts_after": "2027-04-01", "starts_before": "2027-09-30", "ordering": "date", "chain": year.chain_a.pk}
    assert [quarter for quarter, _chain in api_rows(api, year.staff, **window)] == ["2027Q2", "2027Q3"]
    assert page_quarters(client, year.staff, **window) == ["2027Q2", "2027Q3"]
    assert page_quarters(client, year.staff, sort="-date", chain=year.chain_a.pk) == [
        "2027Q4",
        "2027Q3",
        "2027Q2",
        "2027Q1",
    ]


def test_meetings_are_found_by_a_word_of_the_chain_within_scope(client, api, year):
    assert {quarter for quarter, _chain in api_rows(api, year.staff, q="新能源")} == {
        "2027Q1",
        "2027Q2",
        "2027Q3",
        "2027Q4",
    }
    assert len(api_rows(api, year.staff, q="新能源")) == 4
    assert api_rows(api, year.leader_a, q="新能源") == []
    assert page_quarters(client, year.leader_a, q="新能源") == []


def test_an_unknown_meeting_sort_key_is_refused_on_the_page(client, year):
    client.force_login(year.staff)
    page = client.get(LIST, {"ordering": "place"}).content.decode()
    assert "“place” is not a sort key; sort by one of: date, -date, chain, -chain, status, -status." in page


def test_the_meeting_list_exports_as_filtered_and_in_scope(client, year):
    client.force_login(year.leader_a)
    response = client.post(reverse("jobs:export", args=["meetings.list"]), {"params": "ordering=date&q=2027"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2]) for row in rows] == [(f"2027Q{n}", "生物医药链A") for n in (1, 2, 3, 4)]


@pytest.mark.parametrize("who", ["contact_a", "secretary_a"])
def test_the_enterprise_side_exports_no_meeting(client, year, who):
    client.force_login(getattr(year, who))
    response = client.post(reverse("jobs:export", args=["meetings.list"]), {"params": ""})
    assert list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)) == []


def test_searching_and_sorting_meetings_cost_the_same_queries_for_more_rows(
    client, meetings_world, django_assert_num_queries
):
    params = {"q": "链", "ordering": "-date", "starts_after": "2027-01-01"}
    for year in (2027, 2028):
        for month in (1, 4, 7, 10):
            schedule_quarterly_meetings(at=at(month, 2, 6, year=year))
        client.force_login(User.objects.get(username="leader_a"))
        with django_assert_num_queries(8):  # as the unfiltered list (tests/meetings/test_pages.py)
            assert client.get(LIST, params).status_code == 200
