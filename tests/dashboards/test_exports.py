"""The dashboard's Excel workbook, opened with openpyxl and read against the hand-counted ledger
(tests/dashboards/conftest.py), in the fourth quarter of 2026 as of Friday 20 November, noon: a sheet
per section, headers and labels in Chinese, every text cell neutralised, the dashboard's access, the
audit trail, and a query count that does not grow with the data."""

import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent, AuditKind
from chains.models import Chain, ChainSegment, Enterprise
from issues.models import Issue, IssueShare, ShareRole, ShareStatus
from tests.clock import at, end_of
from tests.dashboards.conftest import NOW
from tests.dashboards.test_pages import grow

pytestmark = pytest.mark.django_db

Q4 = {"period": "quarter", "on": "2026-11-20"}


@pytest.fixture(autouse=True)
def _at_the_ledgers_moment():
    with time_machine.travel(NOW, tick=False):
        yield


def export_urls(world):
    return {
        "district": reverse("dashboards:district-export"),
        "chain_a": reverse("dashboards:chain-export", args=[world.chain_a.pk]),
        "chain_b": reverse("dashboards:chain-export", args=[world.chain_b.pk]),
        "park_a": reverse("dashboards:park-export", args=[world.park_a.pk]),
        "park_b": reverse("dashboards:park-export", args=[world.park_b.pk]),
    }


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content))


def rows(worksheet):
    return [[cell.value for cell in row] for row in worksheet.iter_rows()]


def summary(book):
    """The summary sheet as {label: value}, its header row apart."""
    header, *lines = rows(book["概况"])
    assert header == ["指标", "数值"]
    return dict(lines)


def download(client, user, url, params=Q4):
    client.force_login(user)
    return workbook(client.get(url, params))


def test_the_district_workbook_has_a_sheet_per_section_and_the_ledgers_figures(ledger, client):
    """The figures of test_figures, as the workbook writes them: rates as percentages to one decimal."""
    world = ledger.world
    book = download(client, world.staff, export_urls(world)["district"])
    assert book.sheetnames == ["概况", "荣誉", "各产业链覆盖率", "按月趋势", "单位排名", "产业链及链主企业"]
    figures = summary(book)
    assert figures["看板对象"] == "全区"
    assert figures["期间"] == "2026-10-01 – 2026-12-31"
    assert figures["数据截至"] == "2026-11-20 12:00"
    expected = {
        "本期收到": 7,
        "当前未关闭": 5,
        "当前超期": 1,
        "已升级（未关闭）": 3,
        "升级至第 1 级的未关闭问题": 1,
        "升级至第 2 级的未关闭问题": 1,
        "升级至第 3 级的未关闭问题": 1,
        "本期办结": 3,
        "本期按期办结": 2,
        "按时办结率（%）": 66.7,
        "本期评价": 3,
        "满意及基本满意": 2,
        "满意率（%）": 66.7,
        "办结用时中位数（天）": 13,
        "在库企业": 3,
        "中小企业": 2,
        "组织覆盖企业": 1,
        "工作覆盖企业": 1,
        "未覆盖企业": 1,
        "组织覆盖率（%）": 33.3,
        "工作覆盖率（%）": 33.3,
        "两个覆盖率合计（%）": 66.7,
        "应建未建": 1,
        "在岗党建第一书记": 1,
        "在岗党建指导员": 1,
        "在岗园长": 1,
        "2026Q4 专题会议计划数": 2,
        "2026Q4 专题会议已召开数": 1,
        "已召开，纪要待录": 0,
        "链主培育措施": 2,
        "其中推进中": 1,
        "其中已完成": 1,
        "培育措施完成率（%）": 50,
        "2026 年度党建计划已报送": 2,
        "2026 年度党建计划已评分": 1,
        "党建计划平均得分（%）": 80,
    }
    assert {label: figures.get(label) for label in expected} == expected
    assert "2026Q4 本链专题会议" not in figures  # the district has no meeting of its own

    honours = dict(rows(book["荣誉"])[1:])
    assert honours["国家级专精特新“小巨人”企业"] == 1
    assert honours["高新技术企业"] == 2
    assert sum(honours.values()) == 3

    header, *by_chain = rows(book["各产业链覆盖率"])
    assert header == ["产业链", "企业", "组织覆盖率（%）", "工作覆盖率（%）"]
    assert {line[0]: line[1:] for line in by_chain} == {
        "生物医药链A": [2, 50, 0],
        "新能源链B": [1, 0, 100],
        "空链C": [0, None, None],  # nothing to divide: an empty cell, not 0
    }

    header, *months = rows(book["按月趋势"])
    assert header == ["月份", "受理", "已办结", "组织覆盖率（%）", "工作覆盖率（%）"]
    by_month = {line[0]: line[1:] for line in months}
    assert (list(by_month)[0], list(by_month)[-1], len(by_month)) == ("2026-01", "2026-12", 12)
    assert by_month["2026-09"][:2] == [1, 0]
    assert by_month["2026-10"][:2] == [4, 2]
    assert by_month["2026-11"][:2] == [3, 1]
    assert by_month["2026-01"][2:] == [33.3, 33.3]

    header, *chains = rows(book["产业链及链主企业"])
    assert header == ["产业链", "产业链代码", "企业", "链主"]
    assert {line[0]: line[1:] for line in chains} == {
        "生物医药链A": ["chain-a", 2, "甲一企业"],
        "新能源链B": ["chain-b", 1, "乙一企业"],
        "空链C": ["chain-c", 0, None],
    }

    header, *units = rows(book["单位排名"])
    assert header == ["排名", "单位", "已派单", "响应率（%）", "按时办结率（%）", "满意率（%）", "已超期", "催办"]


def share(number, unit, *, created, signed):
    share = IssueShare.objects.create(
        issue=Issue.objects.get(number=number),
        unit=unit,
        role=ShareRole.LEAD,
        status=ShareStatus.SIGNED,
        sign_due_at=end_of(created.month, created.day + 1),
        signed_at=signed,
    )
    IssueShare.objects.filter(pk=share.pk).update(created_at=created)


def test_the_district_workbook_ranks_the_units(ledger, client):
    """A1 and A2 led by 经济部门A: A1 signed for on time and resolved on time, A2 signed for late and
    resolved late; their three ratings, two satisfied. B1 led by 经济部门B, signed for and resolved on
    time, not rated. On-time rate first: B (100 %) ranks 1, A (50 %) 2."""
    world = ledger.world
    share("A1", world.dept_a, created=at(10, 10), signed=at(10, 10, 15))
    share("A2", world.dept_a, created=at(10, 12), signed=at(10, 14))
    share("B1", world.dept_b, created=at(11, 3), signed=at(11, 4))
    book = download(client, world.staff, export_urls(world)["district"])
    assert rows(book["单位排名"])[1:] == [
        [1, "经济部门B", 1, 100, 100, None, 0, 0],
        [2, "经济部门A", 2, 50, 50, 66.7, 0, 0],
    ]


def test_a_chains_workbook_has_its_segments_units_and_issues_that_need_attention(ledger, client):
    world = ledger.world
    book = download(client, world.leader_a, export_urls(world)["chain_a"])
    assert book.sheetnames == [
        "概况",
        "荣誉",
        "各环节覆盖率",
        "按月趋势",
        "本链单位",
        "产业链及链主企业",
        "需关注的未办结问题",
    ]
    figures = summary(book)
    assert figures["看板对象"] == "生物医药链A"
    assert (figures["本期收到"], figures["当前未关闭"], figures["按时办结率（%）"]) == (5, 3, 50)
    assert (figures["办结用时中位数（天）"], figures["满意率（%）"]) == (11.5, 66.7)
    assert figures["2026Q4 本链专题会议"] == "A链四季度会议"
    assert figures["会议时间及状态"] == "2026-10-20 14:00 · 已形成纪要"

    header, *segments = rows(book["各环节覆盖率"])
    assert header == [
        "环节",
        "企业",
        "组织覆盖",
        "工作覆盖",
        "未覆盖",
        "组织覆盖率（%）",
        "工作覆盖率（%）",
        "两个覆盖率合计（%）",
    ]
    assert segments == [["研发A", 2, 1, 0, 1, 50, 0, 50]]

    header, *units = rows(book["本链单位"])
    assert header[0] == "单位"  # no rank: a chain's units are listed, not ranked
    assert [line[0] for line in units] == ["经济部门A"]

    header, *issues = rows(book["需关注的未办结问题"])
    assert header == ["编号", "标题", "企业", "牵头部门", "状态", "升级级别", "办结期限", "已超期"]
    assert [(line[0], line[2], line[5], line[6], line[7]) for line in issues] == [
        ("A3", "甲一企业", 2, "2026-11-10", "是"),
        ("A4", "甲一企业", 1, "2026-11-30", "否"),
    ]


def test_a_parks_workbook_has_no_units_sheet(ledger, client):
    world = ledger.world
    book = download(client, world.chief_a, export_urls(world)["park_a"])
    assert book.sheetnames == ["概况", "荣誉", "各产业链覆盖率", "按月趋势", "产业链及链主企业", "需关注的未办结问题"]
    figures = summary(book)
    assert (figures["看板对象"], figures["本期收到"], figures["当前未关闭"]) == ("科学城A", 4, 2)
    assert [line[0] for line in rows(book["需关注的未办结问题"])[1:]] == ["A3", "A4"]


def test_names_that_look_like_formulas_come_out_as_text(ledger, client):
    world = ledger.world
    Chain.objects.filter(pk=world.chain_a.pk).update(name='=HYPERLINK("http://evil.example","x")')
    Enterprise.objects.filter(pk=world.ent_a1.pk).update(name="+cmd|' /C calc'!A0")
    ChainSegment.objects.filter(pk=world.seg_a.pk).update(name="-1+2")
    book = download(client, world.staff, export_urls(world)["chain_a"])
    assert summary(book)["看板对象"] == '\'=HYPERLINK("http://evil.example","x")'
    chain_row = rows(book["产业链及链主企业"])[1]
    assert chain_row[0] == '\'=HYPERLINK("http://evil.example","x")'
    assert chain_row[3] == "'+cmd|' /C calc'!A0"
    assert rows(book["各环节覆盖率"])[1][0] == "'-1+2"
    assert {line[2] for line in rows(book["需关注的未办结问题"])[1:]} == {"'+cmd|' /C calc'!A0"}
    for worksheet in book.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate, cell.value)


def test_each_export_is_in_the_audit_trail(ledger, client):
    world = ledger.world
    download(client, world.leader_a, export_urls(world)["chain_a"])
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert (event.actor, event.target, event.target_type) == (world.leader_a, "生物医药链A看板", "chains.chain")
    assert event.detail == "period=quarter&on=2026-10-01"


# Who downloads which workbook: those who open the dashboard; for everyone else it does not exist.
OPENS = {
    "staff": {"district", "chain_a", "chain_b", "park_a", "park_b"},
    "leader_a": {"chain_a"},
    "chief_a": {"park_a"},
    "handler_a": set(),
    "contact_a": set(),
    "auditor": set(),
}


@pytest.mark.parametrize("who", list(OPENS))
def test_each_role_exports_the_dashboards_it_opens_and_no_other(world, client, who):
    client.force_login(getattr(world, who))
    for name, url in export_urls(world).items():
        response = client.get(url)
        assert response.status_code == (200 if name in OPENS[who] else 404), (who, name)
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT).count() == len(OPENS[who])


def test_a_leader_gets_a_404_for_another_chains_workbook(world, client):
    client.force_login(world.leader_a)
    assert client.get(export_urls(world)["chain_b"]).status_code == 404
    assert client.get(reverse("dashboards:chain-export", args=[999999])).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()


def test_a_bad_period_is_a_400_naming_each_field_and_exports_nothing(world, client):
    client.force_login(world.staff)
    response = client.get(export_urls(world)["district"], {"period": "custom", "start": "2026-13-01"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"start", "end"}
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()


def test_the_dashboard_page_offers_the_export_for_the_period_shown(ledger, client):
    world = ledger.world
    client.force_login(world.leader_a)
    page = client.get(reverse("dashboards:chain", args=[world.chain_a.pk]), {"period": "month", "on": "2026-11-01"})
    assert f'href="{export_urls(world)["chain_a"]}?period=month&amp;on=2026-11-01"' in page.content.decode()
    client.force_login(world.staff)
    page = client.get(reverse("dashboards:district"))
    assert f'href="{export_urls(world)["district"]}"' in page.content.decode()


# The export's queries: the dashboard's figures with the subject's access (as on the API,
# tests/dashboards/test_pages.py), the session, the user, their roles, and the audit entry.
QUERIES = {"district": 25, "chain_a": 31, "park_a": 17}


@pytest.mark.parametrize("dashboard", list(QUERIES))
def test_the_query_count_does_not_grow_with_the_data(ledger, client, dashboard, django_assert_num_queries):
    world = ledger.world
    world.grown = []
    url = export_urls(world)[dashboard]
    client.force_login(world.staff)
    client.get(url)  # what a process reads once (the calendar) is read here
    for more in (2, 6):
        grow(world, more)
        with django_assert_num_queries(QUERIES[dashboard]):
            assert client.get(url).status_code == 200
