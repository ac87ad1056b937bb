"""A test importer and exporter of government units, registered like an app's (chainparty.jobs):
the jobs' own tests and the worker they start (tests.plumbing.worker_app) use them."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.http import QueryDict

from accounts.models import Unit, UnitKind, User
from chainparty import jobs
from chainparty.spreadsheets import Column, Sheet, choice, text

COLUMNS = [
    Column("name", "名称", text(max_length=100), required=True, help="单位全称"),
    Column("kind", "类别", choice(UnitKind.choices), required=True),
    Column("short_name", "简称", text(max_length=30)),
]
BY_NAME = {column.key: column for column in COLUMNS}


def check(sheet: Sheet, actor: User) -> None:
    names = [row["name"] for row in sheet.rows if row["name"]]
    existing = set(Unit.objects.filter(name__in=names).values_list("name", flat=True))
    seen = Counter(names)
    for row in sheet.rows:
        if row["name"] in existing:
            sheet.error(row, BY_NAME["name"], "已有同名单位")
        elif seen[row["name"]] > 1:
            sheet.error(row, BY_NAME["name"], "文件中重复")


def write(rows: list[dict], actor: User) -> dict[str, int]:
    created = Unit.objects.bulk_create(
        Unit(name=row["name"], kind=row["kind"], short_name=row["short_name"] or "") for row in rows
    )
    if any(row["short_name"] == "写入失败" for row in rows):  # a rule only the write sees: all rolls back
        raise ValidationError({"short_name": "写入时被拒绝"})
    return {"created": len(created)}


def source(actor: User, params: QueryDict):
    units = Unit.objects.order_by("name")
    if params.get("kind"):
        units = units.filter(kind=params["kind"])
    rows = ((unit.name, unit.get_kind_display(), unit.short_name) for unit in units.iterator())
    return units.count(), rows


IMPORTER = jobs.register_importer(
    jobs.Importer(name="tests.units", title="测试单位", columns=COLUMNS, check=check, write=write)
)
EXPORTER = jobs.register_exporter(jobs.Exporter(name="tests.units", title="测试单位", columns=COLUMNS, source=source))
