"""The printable minutes in a real Chromium (design §4.7): in print the minutes of one meeting are one
A4 page, the sheet is A4 wide on screen, and the Chinese text is set in a Chinese font (the PDF embeds
one) rather than drawn as missing-glyph boxes."""

import re

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from meetings.sweep import schedule_quarterly_meetings
from tests.clock import at
from tests.meetings.conftest import calendar_2026, categories, chains, meetings_world  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e

CJK_FONT = re.compile(rb"/BaseFont\s*/[A-Z]{6}\+(WenQuanYi|Noto\w*CJK|SourceHan)")


@pytest.fixture
def minuted(meetings_world):  # noqa: F811 - the imported fixture, by name
    schedule_quarterly_meetings(at=at(10, 1, 6))
    meeting = Meeting.objects.get(chain=meetings_world.chain_a)
    services.add_agenda_item(meeting_id=meeting.pk, actor=meetings_world.staff, title="第三季度企业诉求办理情况")
    meeting.refresh_from_db()
    services.hold_meeting(
        meeting_id=meeting.pk,
        actor=meetings_world.staff,
        summary="会议听取了牵头部门关于产业链党建工作和企业诉求办理情况的汇报。\n会议要求各单位压实责任，限期办结。",
        attendance=[
            {"name": "陈立衡", "unit_name": "区委"},
            {"name": "黄嘉明", "unit_name": "经济部门A"},
            {"name": "梁志远", "unit_name": "行业党委A"},
        ],
    )
    item = meeting.agenda_items.get()
    services.discuss_item(
        meeting_id=meeting.pk, actor=meetings_world.staff, agenda_item_id=item.pk, discussion="各单位逐一表态。"
    )
    services.record_decision(meeting_id=meeting.pk, actor=meetings_world.staff, text="同意下季度工作安排。")
    return meeting


def test_the_minutes_print_on_one_a4_page_in_a_chinese_font(page, live_server, login, minuted):
    login("staff")
    page.goto(f"{live_server.url}{reverse('meetings:minutes', args=[minuted.pk])}")
    assert page.locator("h1").inner_text() == minuted.title
    # On screen: the sheet as it prints, 210 mm wide (96 px per inch).
    width = page.eval_on_selector(".sheet", "e => e.getBoundingClientRect().width")
    assert abs(width - 210 / 25.4 * 96) < 1
    page.emulate_media(media="print")
    assert page.locator(".no-print").is_hidden()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, pages
    assert CJK_FONT.search(pdf), re.findall(rb"/BaseFont\s*/[^\s/]+", pdf)
