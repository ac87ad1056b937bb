"""The chains REST API: scope (404 outside it), staff-only writes, the error shape, chain-master
actions, query counts and the OpenAPI document."""

import io
import json
import re
from datetime import date

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from accounts.roles import Role
from chains.credit_code import validate_credit_code
from chains.models import (
    ChainMaster,
    ChainMasterStatus,
    ChainMembership,
    Enterprise,
    EnterpriseHonour,
    Honour,
    SegmentPosition,
)
from chains.selectors import enterprise_page_parts, list_enterprises_for_user
from chains.serializers import EnterpriseSerializer
from tests import factories as f
from tests.pages import counted_part

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # message texts are asserted in English; zh is the default


def list_url(basename: str) -> str:
    return reverse(f"{basename}-list")


def detail_url(basename: str, obj) -> str:
    return reverse(f"{basename}-detail", args=[obj.pk])


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def as_user(api, user):
    # A fresh instance each time: User.roles is cached per instance, as it is per request in real use.
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def counts() -> tuple[int, int, int]:
    return Enterprise.objects.count(), EnterpriseHonour.objects.count(), ChainMembership.objects.count()


def enterprise_payload(world, **overrides) -> dict:
    data = {
        "name": "新建生物科技有限公司",
        "credit_code": f.next_credit_code(),
        "kind": "enterprise",
        "size_class": "small",
        "park": world.park_a.pk,
        "employees": 120,
        "annual_output": "3500.50",
        "address": "科学城开源大道1号",
        "honours": [{"honour": Honour.HIGH_TECH, "year": 2023}],
        "memberships": [{"segment": world.seg_a.pk}],
    }
    data.update(overrides)
    return data


# --- scope: outside it, an object does not exist -------------------------------------------------
class TestScope:
    def test_chain_leader_cannot_see_another_chain(self, world, api):
        as_user(api, world.leader_a)
        assert api.get(detail_url("chain", world.chain_b)).status_code == 404
        assert ids(api.get(list_url("chain"))) == [world.chain_a.pk]
        assert api.get(detail_url("chain", world.chain_a)).status_code == 200

    def test_enterprise_contact_sees_only_their_own_enterprise(self, world, api):
        as_user(api, world.contact_a)
        assert ids(api.get(list_url("enterprise"))) == [world.ent_a1.pk]
        response = api.get(detail_url("enterprise", world.ent_a2))
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "detail": response.json()["detail"]}
        assert api.get(detail_url("enterprise", world.ent_b1)).status_code == 404

    def test_enterprise_contact_sees_only_the_chain_master_of_their_chain(self, world, api):
        as_user(api, world.contact_b)
        assert ids(api.get(list_url("chain-master"))) == [world.master_b.pk]
        assert api.get(detail_url("chain-master", world.master_a)).status_code == 404

    def test_park_chief_sees_their_park_and_its_enterprises_only(self, world, api):
        as_user(api, world.chief_a)
        assert ids(api.get(list_url("park"))) == [world.park_a.pk]
        assert api.get(detail_url("park", world.park_b)).status_code == 404
        assert ids(api.get(list_url("enterprise"))) == [world.ent_a1.pk]
        assert api.get(detail_url("enterprise", world.ent_a2)).status_code == 404

    def test_unit_handler_sees_the_chains_of_their_unit_only(self, world, api):
        as_user(api, world.handler_a)
        assert ids(api.get(list_url("chain"))) == [world.chain_a.pk]
        assert api.get(detail_url("enterprise", world.ent_b1)).status_code == 404
        as_user(api, world.handler_town)
        assert ids(api.get(list_url("chain"))) == []
        assert api.get(detail_url("chain", world.chain_a)).status_code == 404

    def test_first_secretary_sees_the_enterprise_they_are_posted_to(self, world, api):
        as_user(api, world.secretary_a)
        assert ids(api.get(list_url("enterprise"))) == [world.ent_a1.pk]
        assert api.get(detail_url("enterprise", world.ent_a2)).status_code == 404
        assert ids(api.get(list_url("chain-master"))) == [world.master_a.pk]

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    @pytest.mark.parametrize("basename", ["chain", "enterprise", "park", "chain-master"])
    def test_administrators_and_outsiders_get_empty_business_lists(self, world, api, who, basename):
        as_user(api, getattr(world, who))
        response = api.get(list_url(basename))
        assert response.json()["count"] == 0
        assert ids(response) == []

    @pytest.mark.parametrize("basename", ["chain", "enterprise", "park", "chain-master", "unit"])
    def test_anonymous_callers_get_a_json_refusal(self, world, api, basename):
        response = api.get(list_url(basename))
        # Token authentication comes first in settings: 401 with the scheme to use.
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] == "not_authenticated"
        assert body["detail"]

    def test_a_chain_outside_scope_is_not_a_valid_enterprise_filter(self, world, api):
        as_user(api, world.leader_a)
        outside = api.get(list_url("enterprise"), {"chain": world.chain_b.pk})
        missing = api.get(list_url("enterprise"), {"chain": 987654})
        assert outside.status_code == missing.status_code == 400
        assert outside.json()["errors"].keys() == {"chain"}
        assert ids(api.get(list_url("enterprise"), {"chain": world.chain_a.pk})) == [world.ent_a1.pk, world.ent_a2.pk]

    def test_visible_counts_leave_out_enterprises_outside_scope(self, world, api):
        as_user(api, world.contact_a)
        chain = api.get(detail_url("chain", world.chain_a)).json()
        assert chain["enterprise_count"] == 1
        as_user(api, world.staff)
        assert api.get(detail_url("chain", world.chain_a)).json()["enterprise_count"] == 2

    def test_park_count_is_not_multiplied_by_its_chiefs(self, world, api):
        f.EnterpriseFactory(park=world.park_a)
        world.park_a.chiefs.add(f.UserFactory(roles=[Role.PARK_CHIEF]), f.UserFactory(roles=[Role.PARK_CHIEF]))
        as_user(api, world.chief_a)
        assert api.get(detail_url("park", world.park_a)).json()["enterprise_count"] == 2


class TestAuthentication:
    def test_token_authentication_works(self, world, api):
        token = Token.objects.create(user=world.leader_a)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert ids(api.get(list_url("chain"))) == [world.chain_a.pk]

    def test_session_authentication_works(self, world, api):
        api.force_login(world.leader_a)  # a real session cookie, read by SessionAuthentication
        assert ids(api.get(list_url("chain"))) == [world.chain_a.pk]


# --- what the resources say ----------------------------------------------------------------------
class TestShapes:
    def test_chain_detail(self, world, api):
        world.chain_a.cooperating_units.add(world.dept_b)
        world.chain_a.path_park = True
        world.chain_a.save()
        f.SegmentFactory(chain=world.chain_a, name="上游A", position=SegmentPosition.UPSTREAM)
        as_user(api, world.contact_a)
        body = api.get(detail_url("chain", world.chain_a)).json()
        assert body["code"] == "chain-a"
        assert body["lead_unit"] == {"id": world.dept_a.pk, "name": "经济部门A"}
        assert body["industry_committee"] == {"id": world.ic_a.pk, "name": "行业党委A"}
        assert body["cooperating_units"] == [{"id": world.dept_b.pk, "name": "经济部门B"}]
        assert (body["path_industry_committee"], body["path_department"], body["path_park"]) == (False, True, True)
        assert len(body["coverage_paths"]) == 2
        assert body["leaders"] == [{"id": world.leader_a.pk, "full_name": world.leader_a.full_name, "role": "leader"}]
        # The chain map reads upstream first.
        assert [segment["name"] for segment in body["segments"]] == ["上游A", "研发A"]
        assert body["chain_master"] == {
            "id": world.master_a.pk,
            "enterprise": {"id": world.ent_a1.pk, "name": "甲一企业"},
        }

    def test_chain_master_of_an_enterprise_outside_scope_is_not_shown(self, world, api):
        # contact_a sees chain_a but not ent_a2; make ent_a2 the designated master.
        world.master_a.status = ChainMasterStatus.REVOKED
        world.master_a.save()
        f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2, status=ChainMasterStatus.DESIGNATED)
        as_user(api, world.contact_a)
        assert api.get(detail_url("chain", world.chain_a)).json()["chain_master"] is None

    def test_chain_filters(self, world, api):
        world.chain_b.path_park = True
        world.chain_b.save()
        as_user(api, world.staff)
        assert ids(api.get(list_url("chain"), {"q": "新能源"})) == [world.chain_b.pk]
        assert ids(api.get(list_url("chain"), {"path": "park"})) == [world.chain_b.pk]
        assert ids(api.get(list_url("chain"), {"path": "department"})) == [world.chain_a.pk, world.chain_b.pk]
        assert api.get(list_url("chain"), {"path": "nowhere"}).json()["errors"].keys() == {"path"}

    def test_enterprise_detail(self, world, api):
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.LITTLE_GIANT, year=2022)
        as_user(api, world.leader_a)
        body = api.get(detail_url("enterprise", world.ent_a1)).json()
        assert body["credit_code"] == world.ent_a1.credit_code
        assert body["park"] == {"id": world.park_a.pk, "name": "科学城A"}
        assert body["is_sme"] is True
        assert body["annual_output"] == "0.00"
        assert body["honours"] == [{"honour": "little_giant", "year": 2022}]
        assert body["memberships"] == [
            {
                "chain": {"id": world.chain_a.pk, "name": "生物医药链A"},
                "segment": {"id": world.seg_a.pk, "name": "研发A", "position": "midstream"},
            }
        ]

    def test_enterprise_filters_are_the_pages_filters(self, world, api):
        f.HonourFactory(enterprise=world.ent_a2, honour=Honour.SINGLE_CHAMPION)
        as_user(api, world.staff)
        assert ids(api.get(list_url("enterprise"), {"q": "甲二"})) == [world.ent_a2.pk]
        assert ids(api.get(list_url("enterprise"), {"q": world.ent_b1.credit_code.lower()})) == [world.ent_b1.pk]
        assert ids(api.get(list_url("enterprise"), {"park": world.park_b.pk})) == [world.ent_b1.pk]
        assert ids(api.get(list_url("enterprise"), {"honour": "single_champion"})) == [world.ent_a2.pk]
        assert ids(api.get(list_url("enterprise"), {"size_class": "large"})) == []

    @pytest.mark.parametrize("who", ["staff", "leader_a", "contact_b", "handler_b", "chief_a", "secretary_a"])
    def test_the_list_rows_are_what_the_enterprise_serializer_gives(self, world, api, who):
        # The list builds its rows from values (chains.serializers.enterprise_list_rows); the documented
        # shape is EnterpriseSerializer's over the selector's instances, which the rows must equal:
        # honours in order, memberships only on chains the user sees, a park and none, money.
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.LITTLE_GIANT, year=2022)
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.HIGH_TECH, year=2019)
        f.MembershipFactory(enterprise=world.ent_a1, segment=world.seg_b)
        f.MembershipFactory(enterprise=world.ent_b1, segment=world.seg_a)
        Enterprise.objects.filter(pk=world.ent_b1.pk).update(annual_output="12345.6", employees=7, address="一路1号")
        user = User.objects.get(pk=getattr(world, who).pk)
        body = as_user(api, user).get(list_url("enterprise"), {"page_size": 200}).json()
        expected = EnterpriseSerializer(list_enterprises_for_user(user), many=True).data
        assert body["results"] == json.loads(JSONRenderer().render(expected))
        assert body["results"]

    def test_page_parts_name_no_chain_to_a_user_who_sees_none(self, world):
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.LITTLE_GIANT, year=2022)
        honours, memberships = enterprise_page_parts(world.security, [world.ent_a1.pk])
        assert (honours, memberships) == ({world.ent_a1.pk: [("little_giant", 2022)]}, {})
        _, memberships = enterprise_page_parts(world.leader_a, [world.ent_a1.pk, world.ent_b1.pk])
        assert memberships == {
            world.ent_a1.pk: [(world.chain_a.pk, "生物医药链A", world.seg_a.pk, "研发A", "midstream")]
        }

    def test_the_list_counts_without_the_pages_joins(self, world, api):
        # The page reads its park's name as a value across the relation (a join); the count, in the
        # page's statement, is the queryset's own, which needs none (chainparty.api.ValuesPaginator).
        with CaptureQueriesContext(connection) as captured:
            assert as_user(api, world.staff).get(list_url("enterprise")).status_code == 200
        assert "JOIN" not in counted_part(captured), captured.captured_queries

    def test_park_detail(self, world, api):
        world.park_a.management_unit = world.town
        world.park_a.save()
        world.park_a.facilities.create(kind="venue", name="党群服务中心", description="共享阵地")
        as_user(api, world.chief_a)
        body = api.get(detail_url("park", world.park_a)).json()
        assert body["management_unit"] == {"id": world.town.pk, "name": "镇街C"}
        assert body["chiefs"] == [{"id": world.chief_a.pk, "full_name": world.chief_a.full_name}]
        assert body["facilities"] == [{"kind": "venue", "name": "党群服务中心", "description": "共享阵地"}]
        assert body["enterprise_count"] == 1

    def test_chain_master_detail(self, world, api):
        master = world.master_a
        master.score_social_responsibility = 80
        master.score_output_rank = "12.5"
        master.save()
        f.TaskForceMemberFactory(chain_master=master, name="王专班", title="组长", phone="13800000001")
        f.MeasureFactory(chain_master=master, title="用地保障", kind="land", due_date=date(2026, 6, 30))
        as_user(api, world.leader_a)
        body = api.get(detail_url("chain-master", master)).json()
        assert body["chain"] == {"id": world.chain_a.pk, "name": "生物医药链A"}
        assert body["enterprise"] == {"id": world.ent_a1.pk, "name": "甲一企业"}
        assert body["status"] == "designated"
        assert body["score_social_responsibility"] == "80.00"
        assert body["total_score"] == "92.50"
        assert body["task_force"] == [{"name": "王专班", "title": "组长", "source": "internal", "seconded_from": None}]
        assert body["measures"] == [
            {"kind": "land", "title": "用地保障", "status": "planned", "due_date": "2026-06-30"}
        ]

    def test_a_seconded_members_home_enterprise_is_named_only_to_who_may_see_it(self, world, api):
        """leader_a sees chain_a's master, not ent_b1 on chain_b: the member is listed, ent_b1 is not."""
        f.TaskForceMemberFactory(
            chain_master=world.master_a, name="借调李工", source="seconded", from_enterprise=world.ent_b1
        )
        f.TaskForceMemberFactory(
            chain_master=world.master_a, name="借调王工", source="seconded", from_enterprise=world.ent_a2
        )
        as_user(api, world.leader_a)
        for response in (api.get(detail_url("chain-master", world.master_a)), api.get(list_url("chain-master"))):
            assert response.status_code == 200
            assert world.ent_b1.name not in response.content.decode()
            body = response.json()
            master = body if "task_force" in body else body["results"][0]
            assert {member["name"]: member["seconded_from"] for member in master["task_force"]} == {
                "借调李工": None,
                "借调王工": {"id": world.ent_a2.pk, "name": world.ent_a2.name},
            }
            assert all("from_enterprise" not in member for member in master["task_force"])
        as_user(api, world.staff)
        members = api.get(detail_url("chain-master", world.master_a)).json()["task_force"]
        assert {"id": world.ent_b1.pk, "name": world.ent_b1.name} in [m["seconded_from"] for m in members]

    def test_chain_masters_filter_by_chain_and_status(self, world, api):
        candidate = f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2)
        as_user(api, world.staff)
        assert ids(api.get(list_url("chain-master"), {"chain": world.chain_a.pk})) == sorted(
            [world.master_a.pk, candidate.pk]
        )
        assert ids(api.get(list_url("chain-master"), {"status": "candidate"})) == [candidate.pk]
        as_user(api, world.leader_a)
        assert api.get(list_url("chain-master"), {"chain": world.chain_b.pk}).status_code == 400

    def test_phone_numbers_are_never_exposed(self, world, api):
        phone = "13912345678"
        User.objects.filter(pk__in=[world.leader_a.pk, world.chief_a.pk]).update(phone=phone)
        f.TaskForceMemberFactory(chain_master=world.master_a, phone=phone)
        as_user(api, world.staff)
        for url in [
            list_url("chain"),
            list_url("park"),
            list_url("chain-master"),
            list_url("enterprise"),
            list_url("unit"),
        ]:
            response = api.get(url)
            assert response.status_code == 200
            assert phone not in response.content.decode()
            assert '"phone"' not in response.content.decode()


# --- writes: staff only, and bad input is named and leaves nothing behind ------------------------
class TestEnterpriseWrites:
    def test_staff_create_an_enterprise_with_honours_and_memberships(self, world, api):
        code = f.next_credit_code()
        as_user(api, world.staff)
        response = api.post(
            list_url("enterprise"), enterprise_payload(world, credit_code=f"  {code.lower()} "), format="json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["credit_code"] == code
        assert body["annual_output"] == "3500.50"
        assert body["honours"] == [{"honour": "high_tech", "year": 2023}]
        assert body["memberships"][0]["segment"]["id"] == world.seg_a.pk
        enterprise = Enterprise.objects.get(pk=body["id"])
        assert enterprise.credit_code == code
        assert list(enterprise.chains.all()) == [world.chain_a]

    def test_staff_patch_changes_only_what_is_given(self, world, api):
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.LITTLE_GIANT, year=2021)
        as_user(api, world.staff)
        response = api.patch(detail_url("enterprise", world.ent_a1), {"employees": 321}, format="json")
        assert response.status_code == 200, response.content
        world.ent_a1.refresh_from_db()
        assert world.ent_a1.employees == 321
        assert world.ent_a1.honours.get().honour == Honour.LITTLE_GIANT
        assert world.ent_a1.memberships.get().segment == world.seg_a

    def test_staff_put_replaces_the_lists(self, world, api):
        as_user(api, world.staff)
        data = enterprise_payload(
            world,
            credit_code=world.ent_a2.credit_code,
            honours=[],
            memberships=[{"segment": world.seg_b.pk}],
        )
        response = api.put(detail_url("enterprise", world.ent_a2), data, format="json")
        assert response.status_code == 200, response.content
        assert [m["chain"]["id"] for m in response.json()["memberships"]] == [world.chain_b.pk]
        assert not world.ent_a2.honours.exists()

    def test_chain_leader_cannot_edit_an_enterprise_in_scope(self, world, api):
        as_user(api, world.leader_a)
        response = api.patch(detail_url("enterprise", world.ent_a1), {"employees": 1}, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        world.ent_a1.refresh_from_db()
        assert world.ent_a1.employees == 50

    def test_chain_leader_editing_an_enterprise_outside_scope_gets_404(self, world, api):
        as_user(api, world.leader_a)
        response = api.patch(detail_url("enterprise", world.ent_b1), {"employees": 1}, format="json")
        assert response.status_code == 404

    @pytest.mark.parametrize("who", ["contact_a", "leader_a", "security"])
    def test_only_staff_create_enterprises(self, world, api, who):
        before = counts()
        as_user(api, getattr(world, who))
        response = api.post(list_url("enterprise"), enterprise_payload(world), format="json")
        assert response.status_code == 403
        assert counts() == before

    @pytest.mark.parametrize(
        ("code", "fragment"),
        [
            ("9144011", "18"),  # length
            ("91440110000000001I", "I"),  # characters
            ("914401100000000019", "check digit"),  # wrong check digit (the right one is not 9)
        ],
    )
    def test_an_invalid_credit_code_says_why(self, world, api, code, fragment):
        with translation.override("en"), pytest.raises(ValidationError) as expected:
            validate_credit_code(code)
        before = counts()
        as_user(api, world.staff)
        response = api.post(list_url("enterprise"), enterprise_payload(world, credit_code=code), format="json", **EN)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert body["errors"]["credit_code"] == expected.value.messages
        assert fragment in body["errors"]["credit_code"][0]
        assert body["detail"].startswith("credit_code: ")
        assert counts() == before

    def test_a_duplicate_credit_code_is_refused(self, world, api):
        before = counts()
        as_user(api, world.staff)
        data = enterprise_payload(world, credit_code=f" {world.ent_b1.credit_code.lower()}")
        response = api.post(list_url("enterprise"), data, format="json", **EN)
        assert response.status_code == 400
        assert response.json()["errors"]["credit_code"] == [
            "An enterprise with this unified social credit code already exists."
        ]
        assert counts() == before

    def test_negative_output_and_employees_are_refused(self, world, api):
        before = counts()
        as_user(api, world.staff)
        data = enterprise_payload(world, annual_output="-0.01", employees=-3)
        response = api.post(list_url("enterprise"), data, format="json", **EN)
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert errors["annual_output"] == ["Annual output cannot be negative."]
        assert errors["employees"] == ["The number of employees cannot be negative."]
        assert counts() == before

    def test_an_unknown_segment_leaves_nothing_written(self, world, api):
        before = counts()
        as_user(api, world.staff)
        data = enterprise_payload(world, memberships=[{"segment": world.seg_a.pk}, {"segment": 987654}])
        response = api.post(list_url("enterprise"), data, format="json", **EN)
        assert response.status_code == 400
        assert response.json()["errors"]["memberships"] == ["There is no chain segment with id 987654."]
        assert counts() == before  # neither the enterprise nor its honour nor the good membership

    def test_a_failed_update_leaves_the_enterprise_as_it_was(self, world, api):
        f.HonourFactory(enterprise=world.ent_a1, honour=Honour.HIGH_TECH, year=2020)
        as_user(api, world.staff)
        data = {
            "employees": 999,
            "honours": [{"honour": "little_giant", "year": 2022}, {"honour": "little_giant", "year": 2023}],
            "memberships": [{"segment": world.seg_b.pk}],
        }
        response = api.patch(detail_url("enterprise", world.ent_a1), data, format="json", **EN)
        assert response.status_code == 400
        assert "listed more than once" in response.json()["errors"]["honours"][0]
        world.ent_a1.refresh_from_db()
        assert world.ent_a1.employees == 50
        assert [(h.honour, h.year) for h in world.ent_a1.honours.all()] == [("high_tech", 2020)]
        assert [m.chain_id for m in world.ent_a1.memberships.all()] == [world.chain_a.pk]

    def test_nested_type_errors_name_the_item_and_field(self, world, api):
        before = counts()
        as_user(api, world.staff)
        data = enterprise_payload(world, honours=[{"honour": "high_tech", "year": 2020}, {"honour": "nobel"}])
        response = api.post(list_url("enterprise"), data, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert set(errors) == {"honours.1.honour", "honours.1.year"}
        assert all(messages and all(isinstance(m, str) and m for m in messages) for messages in errors.values())
        assert counts() == before

    def test_malformed_json_is_a_clear_400(self, world, api):
        before = counts()
        as_user(api, world.staff)
        response = api.post(list_url("enterprise"), data='{"name": "甲", ', content_type="application/json")
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "malformed_request"
        assert "JSON" in body["detail"]
        assert counts() == before


class TestChainMasterWrites:
    def propose(self, api, world, enterprise, **scores):
        return api.post(
            list_url("chain-master"),
            {"chain": world.chain_a.pk, "enterprise": enterprise.pk, **scores},
            format="json",
            **EN,
        )

    def test_staff_propose_a_candidate(self, world, api):
        as_user(api, world.staff)
        response = self.propose(api, world, world.ent_a2, score_chain_driving="88.5")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "candidate"
        assert body["score_chain_driving"] == "88.50"
        assert body["total_score"] == "88.50"

    def test_a_candidate_must_be_on_the_chain(self, world, api):
        as_user(api, world.staff)
        response = self.propose(api, world, world.ent_b1)
        assert response.status_code == 400
        assert "is not on the chain" in response.json()["errors"]["enterprise"][0]
        assert ChainMaster.objects.count() == 2

    def test_a_score_above_100_is_refused(self, world, api):
        as_user(api, world.staff)
        response = self.propose(api, world, world.ent_a2, score_local_rootedness="100.01")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"score_local_rootedness"}
        assert ChainMaster.objects.count() == 2

    def test_a_chain_leader_cannot_propose(self, world, api):
        as_user(api, world.leader_a)
        assert self.propose(api, world, world.ent_a2).status_code == 403
        assert ChainMaster.objects.count() == 2

    @time_machine.travel(date(2026, 3, 2))
    def test_designating_b_revokes_the_designated_a(self, world, api):
        candidate = f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2)
        as_user(api, world.staff)
        response = api.post(reverse("chain-master-designate", args=[candidate.pk]))
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "designated"
        assert response.json()["designated_on"] == "2026-03-02"
        world.master_a.refresh_from_db()
        assert world.master_a.status == ChainMasterStatus.REVOKED
        assert world.master_a.revoked_on == date(2026, 3, 2)
        # The other chain's master is untouched.
        world.master_b.refresh_from_db()
        assert world.master_b.status == ChainMasterStatus.DESIGNATED

    @pytest.mark.parametrize("status", [ChainMasterStatus.DESIGNATED, ChainMasterStatus.REVOKED])
    def test_designating_a_designated_or_revoked_master_is_a_conflict(self, world, api, status):
        master = world.master_a
        master.status = status
        master.save()
        as_user(api, world.staff)
        response = api.post(reverse("chain-master-designate", args=[master.pk]))
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "invalid_transition"
        assert body["detail"]
        master.refresh_from_db()
        assert master.status == status

    def test_revoke_then_revoke_again_is_a_conflict(self, world, api):
        as_user(api, world.staff)
        response = api.post(reverse("chain-master-revoke", args=[world.master_a.pk]))
        assert response.status_code == 200
        assert response.json()["status"] == "revoked"
        again = api.post(reverse("chain-master-revoke", args=[world.master_a.pk]))
        assert again.status_code == 409
        assert again.json()["code"] == "invalid_transition"

    def test_chain_leader_cannot_designate_in_scope_and_gets_404_outside(self, world, api):
        candidate = f.ChainMasterFactory(chain=world.chain_a, enterprise=world.ent_a2)
        as_user(api, world.leader_a)
        assert api.post(reverse("chain-master-designate", args=[candidate.pk])).status_code == 403
        assert api.post(reverse("chain-master-revoke", args=[world.master_b.pk])).status_code == 404
        candidate.refresh_from_db()
        assert candidate.status == ChainMasterStatus.CANDIDATE


# --- query counts: flat as rows grow -------------------------------------------------------------
def add_enterprises(world, n):
    for _ in range(n):
        enterprise = f.EnterpriseFactory(park=world.park_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_a, chain=world.chain_a)
        f.MembershipFactory(enterprise=enterprise, segment=world.seg_b, chain=world.chain_b)
        f.HonourFactory(enterprise=enterprise, honour=Honour.HIGH_TECH)
        f.HonourFactory(enterprise=enterprise, honour=Honour.LITTLE_GIANT)


def add_chains(world, n):
    for _ in range(n):
        chain = f.ChainFactory(industry_committee=world.ic_a)
        chain.cooperating_units.add(world.dept_a, world.dept_b)
        f.LeadershipFactory(chain=chain, user=world.leader_a)
        f.LeadershipFactory(chain=chain)
        segment = f.SegmentFactory(chain=chain)
        f.SegmentFactory(chain=chain)
        enterprise = f.EnterpriseFactory()
        f.MembershipFactory(enterprise=enterprise, segment=segment, chain=chain)
        f.ChainMasterFactory(chain=chain, enterprise=enterprise, status=ChainMasterStatus.DESIGNATED)


def add_chain_masters(world, n):
    for _ in range(n):
        chain = f.ChainFactory()
        f.LeadershipFactory(chain=chain, user=world.leader_a)
        enterprise = f.EnterpriseFactory()
        f.MembershipFactory(enterprise=enterprise, segment=f.SegmentFactory(chain=chain), chain=chain)
        master = f.ChainMasterFactory(chain=chain, enterprise=enterprise)
        f.TaskForceMemberFactory(chain_master=master)
        f.TaskForceMemberFactory(chain_master=master, source="seconded", from_enterprise=world.ent_b1)
        f.MeasureFactory(chain_master=master)


@pytest.mark.parametrize(
    ("basename", "grow", "who", "queries"),
    [
        # roles, the page with its count, honours, memberships
        ("enterprise", add_enterprises, "staff", 4),
        ("enterprise", add_enterprises, "leader_a", 4),
        # roles, count, page, leaderships, designated masters, cooperating units, segments
        ("chain", add_chains, "staff", 7),
        ("chain", add_chains, "leader_a", 7),
        # roles, count, page, task force, measures
        ("chain-master", add_chain_masters, "staff", 5),
        ("chain-master", add_chain_masters, "leader_a", 5),
        # roles, count, page, chiefs, facilities
        ("park", lambda world, n: [f.ParkFactory() for _ in range(n)], "staff", 5),
    ],
)
def test_list_queries_do_not_grow_with_the_rows(world, api, django_assert_num_queries, basename, grow, who, queries):
    user = getattr(world, who)
    grow(world, 4)
    as_user(api, user)
    with django_assert_num_queries(queries):
        first = api.get(list_url(basename))
    grow(world, 8)
    as_user(api, user)
    with django_assert_num_queries(queries):
        second = api.get(list_url(basename))
    assert second.json()["count"] > first.json()["count"] >= 1


# --- OpenAPI -------------------------------------------------------------------------------------
def test_schema_is_openapi_3_and_lists_the_resources(world, api):
    api.force_authenticate(world.staff)  # signed-in users only (anonymous: tests/accounts/test_headers.py)
    response = api.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/enterprises/",
        "/api/v1/enterprises/{id}/",
        "/api/v1/chains/",
        "/api/v1/parks/",
        "/api/v1/units/",
        "/api/v1/chain-masters/{id}/designate/",
    ]:
        assert path in schema["paths"]


def test_docs_page_loads_its_assets_from_this_server_only(world, api):
    api.force_authenticate(world.staff)
    response = api.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    static = [source for source in sources if source.startswith("/static/")]
    # The start-up script comes from the docs URL itself (no inline script under the CSP).
    assert sorted(set(sources) - set(static)) == ["/api/docs/?script="], sources
    # …and the app really has each of them (drf-spectacular-sidecar ships them).
    assert static
    assert all(finders.find(source.removeprefix("/static/")) for source in static), sources
    assert not re.search(r"https?://", html)
    assert "<style" not in html
    assert not re.search(r"<script>", html)
    script = api.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_schema_generation_has_no_warnings(db):
    # The same check as `manage.py spectacular --validate --fail-on-warn`: an untyped field or an
    # ambiguous enum makes the document vaguer for every client generated from it.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO(), stderr=io.StringIO())
