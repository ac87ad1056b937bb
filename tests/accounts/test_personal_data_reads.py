"""Reads of personal data in the audit trail (MLPS 2.0 level 3, personal information protection):
party-member figures and unmasked phone numbers, on the pages, the API and the admin — one entry per
answer with the reader and their address, none for a masked number, a refused request or a write —
and API token use, one entry per call."""

import pytest
from rest_framework.authtoken.models import Token

from accounts.models import AuditKind
from tests import factories as f
from tests.accounts.trail import events, mark, only

pytestmark = pytest.mark.django_db

IP = "10.6.6.6"
READ = AuditKind.PERSONAL_DATA_READ


@pytest.fixture
def org(world):
    return f.PartyOrganizationFactory(name="甲一企业党支部", formal_members=5, covers=[world.ent_a1])


@pytest.fixture(autouse=True)
def _after_the_cast(world):
    mark()


def signed_in(client, user):
    client.force_login(user)
    mark()
    return client


def staff_admin(client, world):
    world.staff.is_staff = True
    world.staff.save(update_fields=["is_staff"])
    return signed_in(client, world.staff)


class TestPartyMembers:
    @pytest.mark.parametrize("url", ["/party-orgs/", "/party-orgs/should-establish/", "/party-orgs/?kind=branch"])
    def test_a_list_page_is_one_entry_naming_its_address(self, world, client, org, url):
        signed_in(client, world.leader_a)
        assert client.get(url, REMOTE_ADDR=IP).status_code == 200
        read = only(READ)
        assert (read.actor, read.ip_address, read.target, read.detail) == (world.leader_a, IP, url, "党员人数")

    def test_the_matching_page_and_api_are_recorded(self, world, client, api):
        signed_in(client, world.staff)
        assert client.get(f"/secretaries/suggestions/?chain={world.chain_a.pk}", REMOTE_ADDR=IP).status_code == 200
        api.force_authenticate(world.staff)
        assert api.get(f"/api/v1/posting-suggestions/?chain={world.chain_a.pk}").status_code == 200
        assert [e.actor for e in events(READ)] == [world.staff, world.staff]

    def test_the_detail_and_edit_pages_are_recorded(self, world, client, org):
        signed_in(client, world.staff)
        client.get(f"/party-orgs/{org.pk}/", REMOTE_ADDR=IP)
        client.get(f"/party-orgs/{org.pk}/edit/", REMOTE_ADDR=IP)
        assert [e.target for e in events(READ)] == [f"/party-orgs/{org.pk}/", f"/party-orgs/{org.pk}/edit/"]

    def test_an_organization_outside_scope_is_a_404_and_no_read(self, world, client, org):
        signed_in(client, world.contact_b)
        assert client.get(f"/party-orgs/{org.pk}/").status_code == 404
        assert not events(READ)

    def test_a_page_without_member_figures_is_not_a_read(self, world, client, org):
        signed_in(client, world.staff)
        assert client.get("/party-orgs/coverage/").status_code == 200
        assert not events(READ)

    @pytest.mark.parametrize("path", ["", "{pk}/", "{pk}/descendants/"])
    def test_the_api_answers_are_recorded_once_each(self, world, api, org, path):
        api.force_authenticate(world.handler_a)
        url = "/api/v1/party-organizations/" + path.format(pk=org.pk)
        assert api.get(url, REMOTE_ADDR=IP).status_code == 200
        read = only(READ)
        assert (read.actor, read.ip_address, read.target) == (world.handler_a, IP, url)

    def test_a_write_through_the_api_is_not_a_read(self, world, api, org):
        api.force_authenticate(world.staff)
        response = api.patch(f"/api/v1/party-organizations/{org.pk}/", {"formal_members": 6}, format="json")
        assert response.status_code == 200
        assert not events(READ)

    def test_the_admin_list_and_page_are_recorded(self, world, client, org):
        staff_admin(client, world)
        client.get("/admin/partyorgs/partyorganization/", REMOTE_ADDR=IP)
        client.get(f"/admin/partyorgs/partyorganization/{org.pk}/change/", REMOTE_ADDR=IP)
        listed, page = events(READ)
        assert listed.target == "/admin/partyorgs/partyorganization/"
        assert (page.target_type, page.target_id) == ("partyorgs.partyorganization", str(org.pk))


class TestPhones:
    def test_the_cadre_pool_shows_phones_to_staff_and_is_recorded(self, world, client):
        signed_in(client, world.staff)
        assert client.get("/secretaries/cadres/", REMOTE_ADDR=IP).status_code == 200
        assert only(READ).detail == "电话"

    def test_a_posting_read_by_staff_records_the_cadres_phone(self, world, client):
        posting = world.secretary_a.cadre.postings.get()
        signed_in(client, world.staff)
        client.get(f"/secretaries/postings/{posting.pk}/", REMOTE_ADDR=IP)
        read = only(READ)
        assert (read.target_type, read.target_id) == ("secretaries.cadre", str(posting.cadre_id))

    @pytest.mark.parametrize("who", ["secretary_a", "contact_a"])
    def test_ones_own_or_a_masked_phone_is_not_a_read(self, world, client, who):
        posting = world.secretary_a.cadre.postings.get()
        signed_in(client, getattr(world, who))
        assert client.get(f"/secretaries/postings/{posting.pk}/").status_code == 200
        assert not events(READ)

    def test_the_cadre_api_records_staff_reads_not_masked_ones(self, world, api):
        api.force_authenticate(world.staff)
        api.get("/api/v1/cadres/", REMOTE_ADDR=IP)
        assert only(READ).actor == world.staff
        api.force_authenticate(world.secretary_a)
        api.get("/api/v1/cadres/")
        assert len(events(READ)) == 1

    def test_a_cadre_and_a_task_force_member_in_the_admin(self, world, client):
        member = f.TaskForceMemberFactory(chain_master=world.master_a, phone="13700000000")
        staff_admin(client, world)
        client.get(f"/admin/secretaries/cadre/{world.secretary_a.cadre.pk}/change/")
        client.get(f"/admin/chains/taskforcemember/{member.pk}/change/")
        client.get(f"/admin/chains/chainmaster/{world.master_a.pk}/change/")
        reads = events(READ)
        assert [e.target_type for e in reads] == ["secretaries.cadre", "chains.taskforcemember", "chains.chainmaster"]
        assert {e.actor for e in reads} == {world.staff}


class TestTokenUse:
    def test_every_call_with_a_token_is_recorded_with_method_path_and_address(self, world, api):
        token = Token.objects.create(user=world.leader_a)
        mark()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert api.get("/api/v1/chains/", REMOTE_ADDR=IP).status_code == 200
        assert api.get("/api/v1/chains/?q=x", REMOTE_ADDR=IP).status_code == 200
        used = events(AuditKind.TOKEN_USED)
        assert [e.detail for e in used] == [
            f"{token.key[:6]}… GET /api/v1/chains/",
            f"{token.key[:6]}… GET /api/v1/chains/?q=x",
        ]
        assert {(e.actor, e.ip_address) for e in used} == {(world.leader_a, IP)}

    def test_a_refused_token_is_not_a_use(self, world, api):
        api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
        assert api.get("/api/v1/chains/").status_code == 401
        assert not events(AuditKind.TOKEN_USED)
