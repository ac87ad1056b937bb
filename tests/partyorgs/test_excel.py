"""Excel in and out (issue 7): the organization and party-member imports list every row's errors at
once and write nothing until the file is clean, then write in one transaction; exports neutralise
formulas and stay in the user's scope. Driven through the job runner, as the pages do."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from chainparty import jobs
from chainparty.models import JobStatus
from partyorgs.excel import write_organizations
from partyorgs.models import (
    EnterprisePartyProfile,
    MeetingKind,
    OrgCoverage,
    OrgKind,
    OrgMeeting,
    PairingActivity,
    PartyOrganization,
    Programme,
)
from tests import factories as f
from tests.plumbing.conftest import xlsx

pytestmark = pytest.mark.django_db

ORG_HEADER = [
    "名称",
    "类型",
    "上级党组织",
    "覆盖企业（统一社会信用代码）",
    "所在单位",
    "书记",
    "正式党员",
    "预备党员",
    "已选举支部委员会",
    "成立日期",
    "本届起始日期",
    "本届届满日期",
]
MEMBER_HEADER = ["统一社会信用代码", "企业", "正式党员", "预备党员"]


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: True)


def org_row(name, kind="党支部", parent="", codes="", unit="", formal=3, probationary=0, started="", ends=""):
    return [name, kind, parent, codes, unit, "", formal, probationary, "否", "", started, ends]


def check(user, name, header, *rows):
    job = jobs.start_import(actor=user, name=name, file=SimpleUploadedFile("f.xlsx", xlsx(header, *rows).getvalue()))
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    return job


def imported(user, check_job):
    job = jobs.confirm_import(actor=user, job_id=check_job.pk)
    assert jobs.run_job(job.pk)
    job.refresh_from_db()
    return job


def errors(job) -> list[tuple[int, str]]:
    return sorted((e["row"], e["column"]) for e in job.errors)


def snapshot():
    return PartyOrganization.objects.count(), OrgCoverage.objects.count(), EnterprisePartyProfile.objects.count()


class TestOrganizationImport:
    def test_every_error_of_every_row_at_once_and_nothing_written(self, orgs):
        six = ",".join(f.EnterpriseFactory().credit_code for _ in range(6))
        before = snapshot()
        job = check(
            orgs.staff,
            "partyorgs.organizations",
            ORG_HEADER,
            org_row("好支部", parent="行业党委A党委", codes=orgs.ent_c.credit_code),  # row 2: clean
            org_row("未知企业支部", codes="91440112MA5BAD0000"),  # 3: unknown credit code
            org_row("负数支部", formal=-2),  # 4: a bad count
            org_row("无上级支部", parent="不存在的党委"),  # 5: an unknown superior
            org_row("预备支部", formal=0, probationary=2),  # 6: probationary without formal
            org_row("超限联合支部", kind="联合党支部", codes=six),  # 7: more than 5 enterprises
            org_row("倒置支部", started="2026-05-01", ends="2025-05-01"),  # 8: a term ending before it starts
            org_row("甲总支", kind="党总支", parent="乙总支"),  # 9 and 10: a cycle within the file
            org_row("乙总支", kind="党总支", parent="甲总支"),
            org_row("支部下支部", parent="甲一企业党支部"),  # 11: a branch as superior
            org_row("好支部"),  # 12: named twice
            org_row("无类型", kind="什么"),  # 13: an unknown kind
        )
        assert job.status == JobStatus.DONE
        assert errors(job) == [
            (2, "名称"),
            (3, "覆盖企业（统一社会信用代码）"),
            (4, "正式党员"),
            (5, "上级党组织"),
            (6, "预备党员"),
            (7, "覆盖企业（统一社会信用代码）"),
            (8, "本届届满日期"),
            (9, "上级党组织"),
            (10, "上级党组织"),
            (11, "上级党组织"),
            (12, "名称"),
            (13, "类型"),
        ]
        messages = {e["row"]: e["message"] for e in job.errors}
        assert "91440112MA5BAD0000" in messages[3]
        assert "不存在的党委" in messages[5]
        assert "5" in messages[7]
        assert snapshot() == before
        with pytest.raises(ValidationError):
            jobs.confirm_import(actor=orgs.staff, job_id=job.pk)

    def test_a_clean_file_is_written_with_superiors_from_the_tree_and_the_file(self, orgs):
        job = check(
            orgs.staff,
            "partyorgs.organizations",
            ORG_HEADER,
            org_row("新党委", kind="党委", unit="经济部门B", formal=5, started="2025-01-01"),
            org_row("新支部", parent="新党委", codes=orgs.ent_c.credit_code, formal=4, probationary=1),
            org_row(
                "新联合支部",
                kind="联合党支部",
                parent="行业党委A党委",
                codes=f"{orgs.ent_d.credit_code}\n{orgs.ent_b3.credit_code}",
            ),
            org_row("甲一企业党支部", parent="行业党委A党委", codes=orgs.ent_a1.credit_code, formal=12),  # updates
        )
        assert job.errors == []
        done = imported(orgs.staff, job)
        assert done.summary == {"rows": 4, "created": 3, "updated": 1}
        new = PartyOrganization.objects.get(name="新支部")
        assert (new.parent.name, list(new.enterprises.all()), new.probationary_members) == ("新党委", [orgs.ent_c], 1)
        assert PartyOrganization.objects.get(name="新党委").term_ends_on.isoformat() == "2030-01-01"
        assert set(PartyOrganization.objects.get(name="新联合支部").enterprises.all()) == {orgs.ent_d, orgs.ent_b3}
        orgs.branch_a1.refresh_from_db()
        assert orgs.branch_a1.formal_members == 12

    def test_the_write_is_refused_whole_when_a_cycle_appeared_since_the_check(self, orgs):
        middle = f.PartyOrganizationFactory(name="中间党总支", kind=OrgKind.GENERAL_BRANCH, parent=orgs.committee_x)
        rows = [
            {
                "row": 2,
                "name": "行业党委A党委",
                "kind": OrgKind.COMMITTEE,
                "parent": "中间党总支",
                "enterprises": None,
                "unit": None,
                "secretary": None,
                "formal_members": 1,
                "probationary_members": 0,
                "has_branch_committee": None,
                "established_on": None,
                "term_started_on": None,
                "term_ends_on": None,
            },
        ]
        before = snapshot()
        with pytest.raises(ValidationError):
            write_organizations(rows, orgs.staff)
        assert snapshot() == before
        orgs.committee_x.refresh_from_db()
        assert orgs.committee_x.parent is None
        assert middle.parent_id == orgs.committee_x.pk

    def test_the_write_takes_the_same_statements_for_10_or_40_rows(self, orgs):
        def count(n, offset):
            rows = [
                {
                    "row": i + 2,
                    "name": f"批量支部{offset + i}",
                    "kind": OrgKind.BRANCH,
                    "parent": "行业党委A党委",
                    "enterprises": f.EnterpriseFactory().credit_code,
                    "unit": None,
                    "secretary": "",
                    "formal_members": 3,
                    "probationary_members": 0,
                    "has_branch_committee": False,
                    "established_on": None,
                    "term_started_on": None,
                    "term_ends_on": None,
                }
                for i in range(n)
            ]
            with CaptureQueriesContext(connection) as queries:
                write_organizations(rows, orgs.staff)
            return len(queries)

        count(1, 500)  # the actor's roles, loaded once
        assert count(10, 0) == count(40, 100)

    def test_only_district_staff_import(self, client, orgs):
        client.force_login(orgs.leader_a)
        assert client.get(reverse("jobs:import", args=["partyorgs.organizations"])).status_code == 403
        client.force_login(orgs.staff)
        template = client.get(reverse("jobs:import-template", args=["partyorgs.organizations"]))
        header = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows(max_row=1))]
        assert header == ORG_HEADER


class TestPartyMemberImport:
    def test_every_error_at_once_then_the_counts(self, orgs):
        before = snapshot()
        job = check(
            orgs.staff,
            "partyorgs.party_members",
            MEMBER_HEADER,
            [orgs.ent_c.credit_code, "丙企业", 3, 0],
            ["91440112MA5BAD0000", "", 3, 0],  # 3: unknown
            [orgs.ent_d.credit_code, "", "三", 0],  # 4: not a number
            [orgs.ent_b3.credit_code, "", 0, 1],  # 5: probationary without formal
            [orgs.ent_c.credit_code, "", 4, 0],  # 6: named twice (with row 2)
        )
        assert errors(job) == [
            (2, "统一社会信用代码"),
            (3, "统一社会信用代码"),
            (4, "正式党员"),
            (5, "预备党员"),
            (6, "统一社会信用代码"),
        ]
        assert snapshot() == before

        f.PartyProfileFactory(enterprise=orgs.ent_d, formal_members=1)
        job = check(
            orgs.staff,
            "partyorgs.party_members",
            MEMBER_HEADER,
            [orgs.ent_c.credit_code, "丙企业", 3, 1],
            [orgs.ent_d.credit_code.lower(), "", 5, ""],
        )
        assert job.errors == []
        assert imported(orgs.staff, job).summary == {"rows": 2, "enterprises": 2}
        counts = dict(EnterprisePartyProfile.objects.values_list("enterprise__name", "formal_members"))
        assert counts == {"丙企业": 3, "丁企业": 5}


class TestExports:
    def export(self, user, name, params=""):
        job = jobs.start_export(actor=user, name=name, params=params)
        assert jobs.run_job(job.pk)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.message
        return [[c.value for c in row] for row in load_workbook(io.BytesIO(job.result.read())).active.iter_rows()]

    def test_the_tree_round_trips_in_the_import_columns_with_formulas_neutralised(self, orgs):
        orgs.joint_b.secretary = '=HYPERLINK("http://x")'
        orgs.joint_b.save()
        rows = self.export(orgs.staff, "partyorgs.organizations")
        assert rows[0] == ORG_HEADER
        by_name = {row[0]: row for row in rows[1:]}
        assert set(by_name) == {"行业党委A党委", "甲一企业党支部", "乙企业联合党支部"}
        joint = by_name["乙企业联合党支部"]
        assert joint[1] == "联合党支部"
        assert joint[2] == "行业党委A党委"
        assert set(joint[3].split("\n")) == {orgs.ent_b1.credit_code, orgs.ent_b2.credit_code}
        assert joint[5] == '\'=HYPERLINK("http://x")'

    def test_exports_stay_in_scope(self, orgs):
        rows = self.export(orgs.leader_a, "partyorgs.organizations")
        assert [row[0] for row in rows[1:]] == ["甲一企业党支部"]
        assert rows[1][2] is None  # the superior outside their scope is not named
        coverage = self.export(orgs.leader_a, "partyorgs.coverage")
        assert "新能源链B" not in [row[1] for row in coverage]

    def test_filters_of_the_list_go_with_the_export(self, orgs):
        rows = self.export(orgs.staff, "partyorgs.organizations", params=f"kind={OrgKind.JOINT_BRANCH}")
        assert [row[0] for row in rows[1:]] == ["乙企业联合党支部"]

    def test_coverage_and_should_establish(self, orgs):
        f.PartyProfileFactory(enterprise=orgs.ent_c, formal_members=3)
        f.PartyProfileFactory(enterprise=f.EnterpriseFactory(name="=1+1企业"), formal_members=4)
        coverage = self.export(orgs.staff, "partyorgs.coverage")
        assert coverage[0][:4] == ["范围", "名称", "产业链", "企业"]
        assert coverage[1][:5] == ["全区", "全区", None, 8, 3]  # the 7 of the cast and the new one
        should = self.export(orgs.staff, "partyorgs.should_establish")
        assert [row[0] for row in should[1:]] == ["'=1+1企业", "丙企业"]

    def test_branches_due_a_committee_in_the_import_columns(self, orgs):
        f.PartyOrganizationFactory(name="=七人支部", formal_members=7, parent=orgs.committee_x)
        f.PartyOrganizationFactory(name="已选支委", formal_members=9, has_branch_committee=True)
        rows = self.export(orgs.staff, "partyorgs.branches_without_committee")
        assert rows[0] == ORG_HEADER
        assert [(row[0], row[2], row[6]) for row in rows[1:]] == [
            ("甲一企业党支部", "行业党委A党委", 8),
            ("'=七人支部", "行业党委A党委", 7),
        ]
        assert [row[0] for row in self.export(orgs.leader_b, "partyorgs.branches_without_committee")[1:]] == []

    @pytest.mark.parametrize("who", ["security", "auditor"])
    def test_administrators_export_nothing(self, orgs, who):
        with pytest.raises(Exception, match="."):
            jobs.start_export(actor=getattr(orgs, who), name="partyorgs.organizations")


class TestMeetingAndPairingExports:
    export = TestExports.export

    def test_the_quarters_party_meeting_records_in_scope(self, orgs):
        for org, kind, day, topic in (
            (orgs.branch_a1, MeetingKind.COMMITTEE_MEETING, date(2026, 10, 9), "=学习"),
            (orgs.branch_a1, MeetingKind.PARTY_LECTURE, date(2026, 11, 3), "党课"),
            (orgs.branch_a1, MeetingKind.PARTY_LECTURE, date(2026, 9, 30), "上季度"),
            (orgs.joint_b, MeetingKind.MEMBER_MEETING, date(2026, 12, 1), "乙企业大会"),
        ):
            OrgMeeting.objects.create(
                organization=org, kind=kind, held_on=day, topic=topic, attendance=5, recorded_by=orgs.staff
            )
        rows = self.export(orgs.staff, "partyorgs.meetings", params="quarter=2026Q4")
        assert rows[0][:5] == ["季度", "党组织", "类型", "召开日期", "主题"]
        assert [(row[1], row[4]) for row in rows[1:]] == [
            ("乙企业联合党支部", "乙企业大会"),
            ("甲一企业党支部", "'=学习"),
            ("甲一企业党支部", "党课"),
        ]
        mine = self.export(orgs.leader_a, "partyorgs.meetings", params="quarter=2026Q4")
        assert {row[1] for row in mine[1:]} == {"甲一企业党支部"}

    def test_pairings_with_their_activities_and_the_lists_filters(self, paired):
        PairingActivity.objects.create(
            pairing=paired.pairing,
            programme=Programme.TRAINING,
            held_on=date(2026, 3, 5),
            title="联学",
            recorded_by=paired.staff,
        )
        rows = self.export(paired.staff, "partyorgs.pairings", params=f"chain={paired.chain_a.pk}")
        assert rows[1][:3] == ["生物医药链A", "经济部门A机关党支部", "甲一企业党支部"]
        assert rows[1][6] == 1
        assert rows[1][7].date() == date(2026, 3, 5)  # openpyxl reads a date cell as a datetime
        assert self.export(paired.staff, "partyorgs.pairings", params=f"chain={paired.chain_b.pk}")[1:] == []
        assert self.export(paired.contact_b, "partyorgs.pairings")[1:] == []
