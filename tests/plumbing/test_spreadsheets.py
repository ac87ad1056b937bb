import datetime
import io

from django.utils import translation
from openpyxl import load_workbook

from chainparty.spreadsheets import (
    Column,
    SheetOut,
    boolean,
    choice,
    date_value,
    integer,
    neutralise,
    read_workbook,
    template_workbook,
    text,
    write_sheets,
    write_workbook,
    xlsx_response,
)
from tests.plumbing.conftest import xlsx

COLUMNS = [
    Column("code", "统一社会信用代码", text(max_length=18), required=True),
    Column("members", "正式党员数", integer(min_value=0), required=True),
    Column("since", "成立日期", date_value()),
    Column("kind", "类别", choice([("branch", "支部"), ("committee", "党委")])),
    Column("joint", "联合", boolean()),
]


def test_every_error_of_every_row_is_reported_at_once():
    with translation.override("en"):
        sheet = _mixed_sheet()
    assert [(e.row, e.column) for e in sheet.errors] == [
        (2, "正式党员数"),
        (2, "成立日期"),
        (2, "类别"),
        (2, "联合"),
        (3, "统一社会信用代码"),
        (3, "正式党员数"),
    ]
    assert [e.message for e in sheet.errors][:2] == [
        "must be at least 0",
        "“昨天” is not a date (write it as 2026-07-01)",
    ]
    assert sheet.rows[2] == {
        "row": 4,
        "code": "A3",
        "members": 4,
        "since": datetime.date(2020, 1, 2),
        "kind": "committee",
        "joint": False,
    }
    assert sheet.rows[1]["since"] == datetime.date(2026, 7, 1)


def _mixed_sheet():
    return read_workbook(
        xlsx(
            ["统一社会信用代码", "正式党员数", "成立日期", "类别", "联合"],
            ["A1", -1, "昨天", "小组", "也许"],
            [None, "3.5", "2026-07-01", "支部", "是"],
            ["A3", 4, datetime.datetime(2020, 1, 2), "党委", "否"],  # noqa: DTZ001 - Excel cells are naive
        ),
        COLUMNS,
    )


def test_messages_are_chinese_under_the_chinese_language():
    with translation.override("zh-hans"):
        sheet = read_workbook(xlsx(["统一社会信用代码", "正式党员数"], ["A1", "七"]), COLUMNS)
        assert str(sheet.errors[0]) == "第 2 行，正式党员数：“七”不是整数"


def test_headers_in_any_order_or_in_english_and_blank_rows_skipped():
    with translation.override("zh-hans"):
        members = Column("members", translation.gettext_lazy("members"), integer(), required=True)
    sheet = read_workbook(
        xlsx(["备注", "members", "统一社会信用代码"], ["x", 2, "A1"], [None, None, None], ["", 3, "A2"]),
        [COLUMNS[0], members],
    )
    assert sheet.errors == []
    assert [(row["row"], row["code"], row["members"]) for row in sheet.rows] == [(2, "A1", 2), (4, "A2", 3)]


def test_a_missing_required_header_is_one_error_and_no_rows():
    sheet = read_workbook(xlsx(["统一社会信用代码"], ["A1"]), COLUMNS)
    assert [(e.row, e.column) for e in sheet.errors] == [(1, "正式党员数")]
    assert sheet.rows == []


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message():
    sheet = read_workbook(io.BytesIO(b"name,members\nA,1\n"), COLUMNS)
    assert len(sheet.errors) == 1
    assert sheet.errors[0].row == 1
    assert ".xlsx" in sheet.errors[0].message


def test_more_rows_than_allowed_is_refused():
    rows = [["统一社会信用代码", "正式党员数"]] + [[f"A{n}", n] for n in range(5)]
    sheet = read_workbook(xlsx(*rows), COLUMNS, max_rows=3)
    assert len(sheet.rows) == 3
    assert sheet.errors[-1].row == 5


def test_export_neutralises_formulas_and_keeps_numbers():
    content = write_workbook(
        COLUMNS[:2],
        [['=HYPERLINK("http://x")', 3], ["+1", -2], ["-1", 0], ["@SUM(A1)", 1], ["\tx", 1], ["普通", 5]],
        title="导出",
    )
    worksheet = load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in worksheet.iter_rows()]
    assert values[0] == ["统一社会信用代码", "正式党员数"]
    assert [row[0] for row in values[1:]] == ['\'=HYPERLINK("http://x")', "'+1", "'-1", "'@SUM(A1)", "'\tx", "普通"]
    assert all(row[0].data_type == "s" for row in worksheet.iter_rows(min_row=2))
    assert [row[1] for row in values[1:]] == [3, -2, 0, 1, 1, 5]
    assert neutralise(-2) == -2


def test_export_reports_progress():
    seen = []
    write_workbook(COLUMNS[:1], ([f"A{n}"] for n in range(5)), progress=seen.append, every=2)
    assert seen == [2, 4, 5]


def test_several_sheets_in_one_workbook_each_with_its_headers_and_neutralised():
    seen = []
    content = write_sheets(
        [
            SheetOut("概况", COLUMNS[:2], [["=1+1", 3]]),
            SheetOut("明细", COLUMNS[:1], ([f"A{n}"] for n in range(3))),
            SheetOut("空表", COLUMNS[:2], []),
        ],
        progress=seen.append,
        every=2,
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["概况", "明细", "空表"]
    first, second, empty = workbook.worksheets
    assert [[cell.value for cell in row] for row in first.iter_rows()] == [
        ["统一社会信用代码", "正式党员数"],
        ["'=1+1", 3],
    ]
    assert [row[0].value for row in second.iter_rows()] == ["统一社会信用代码", "A0", "A1", "A2"]
    assert empty.max_row == 1
    assert seen == [2, 4, 4]  # the rows of all sheets together, and the total at the end


def test_the_template_reads_back_clean_and_explains_its_columns():
    content = template_workbook(COLUMNS, title="党组织名册", examples=[["91110000MA00000001", 3]])
    workbook = load_workbook(io.BytesIO(content))
    assert [c.value for c in workbook.worksheets[0][1]] == [str(c.header) for c in COLUMNS]
    assert workbook.worksheets[1].max_row == len(COLUMNS) + 1
    sheet = read_workbook(io.BytesIO(content), COLUMNS)
    assert sheet.errors == []
    assert sheet.rows[0]["members"] == 3


def test_a_chinese_file_name_is_sent_both_ways():
    response = xlsx_response(b"x", "党组织-模板.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E5%85%9A" in response["Content-Disposition"]
