"""The back office shows party-organization data read-only to district staff (the rules live in the
services), and nothing of it to the security and audit administrators (三员分立)."""

import pytest

from tests import factories as f
from tests.partyorgs.conftest import queries_of

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/partyorgs/partyorganization/",
    "/admin/partyorgs/enterprisepartyprofile/",
    "/admin/partyorgs/termreminder/",
    "/admin/partyorgs/orgmeeting/",
    "/admin/partyorgs/pairing/",
    "/admin/partyorgs/annualpartyplan/",
    "/admin/partyorgs/plandeadline/",
]


def with_admin_access(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.mark.parametrize("url", CHANGELISTS)
def test_staff_read_each_list_and_change_nothing(client, orgs, url, django_assert_num_queries):
    client.force_login(with_admin_access(orgs.staff))
    client.get(url)
    few = queries_of(lambda: client.get(url))
    for _ in range(4):
        f.PartyOrganizationFactory(parent=orgs.committee_x)
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200
    assert client.get(url + "add/").status_code == 403
    change = client.get(f"/admin/partyorgs/partyorganization/{orgs.branch_a1.pk}/change/")
    assert change.status_code == 200
    assert b'name="_save"' not in change.content


@pytest.mark.parametrize("who", ["security", "auditor"])
def test_the_administrators_see_none_of_it(client, orgs, who):
    client.force_login(with_admin_access(getattr(orgs, who)))
    for url in CHANGELISTS:
        assert client.get(url).status_code in (403, 404), url
