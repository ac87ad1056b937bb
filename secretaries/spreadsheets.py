"""Excel for the secretaries (chainparty.spreadsheets and chainparty.jobs): the cadre pool imported
from .xlsx — every row's errors shown before anything is written — and postings and work logs
exported with the posting list's filters. Registered from SecretariesConfig.ready()."""

from collections import Counter

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from chainparty import jobs
from chainparty.spreadsheets import Column, Sheet, boolean, choice, date_value, text
from secretaries import selectors, services
from secretaries.filters import PostingFilter
from secretaries.models import Cadre, PostingKind, PostingStatus, SourceKind, WorkLogKind

CADRE_COLUMNS = [
    Column("name", _("Cadre's name"), text(max_length=50), required=True),
    Column("source_kind", _("Source"), choice(SourceKind.choices), required=True),
    Column("source_unit", _("Source unit"), text(max_length=100), required=True, help=_("The unit's full name.")),
    Column("position", _("Position"), text(max_length=100)),
    Column("party_member", _("Party member"), boolean()),
    Column("birth_date", _("Date of birth"), date_value()),
    Column("expertise", _("Expertise"), text(max_length=600), help=_("Words separated by commas.")),
    Column("phone", _("Phone"), text(max_length=20)),
]
CADRE_COLUMN = {column.key: column for column in CADRE_COLUMNS}
FIELD_COLUMN = {"source_unit_id": "source_unit"}


def _cleaned(sheet: Sheet) -> list[tuple[dict, dict]]:
    """Each row with its cleaned fields, every error of every row put on the sheet. Queries: the
    units named and the pool's (name, unit) pairs among them, once for the whole sheet."""
    units = dict(
        Unit.objects.filter(name__in={r["source_unit"] for r in sheet.rows if r["source_unit"]}).values_list(
            "name", "pk"
        )
    )
    names = {r["name"] for r in sheet.rows if r["name"]}
    taken = set(
        Cadre.objects.filter(name__in=names, source_unit_id__in=units.values()).values_list("name", "source_unit_id")
    )
    seen = Counter((r["name"], r["source_unit"]) for r in sheet.rows if r["name"] and r["source_unit"])
    out = []
    for row in sheet.rows:
        party_member = True if row["party_member"] is None else row["party_member"]
        clean, errors = services.cadre_field_errors(
            name=row["name"] or "",
            source_kind=row["source_kind"] or "",
            position=row["position"] or "",
            party_member=party_member,
            birth_date=row["birth_date"],
            expertise=row["expertise"] or "",
            phone=row["phone"] or "",
        )
        unit_id = units.get(row["source_unit"]) if row["source_unit"] else None
        if row["source_unit"] and unit_id is None:
            errors["source_unit"] = str(_("No unit of this name."))
        if unit_id is not None and (clean["name"], unit_id) in taken:
            errors["name"] = str(services.DUPLICATE_CADRE)
        elif row["name"] and seen[(row["name"], row["source_unit"])] > 1:
            errors["name"] = str(_("The same cadre appears twice in the file."))
        for field, message in errors.items():
            key = FIELD_COLUMN.get(field, field)
            # A cell the reader refused or found blank (None) has its message already.
            if row.get(key) is not None:
                sheet.error(row, CADRE_COLUMN[key], message)
        out.append((row, {**clean, "source_unit_id": unit_id}))
    return out


def check_cadres(sheet: Sheet, actor: User) -> None:
    _cleaned(sheet)


def write_cadres(rows: list[dict], actor: User) -> dict[str, int]:
    sheet = Sheet(rows=rows)
    cleaned = [clean for _, clean in _cleaned(sheet)]
    if sheet.errors:  # the pool moved between the check and the import
        from django.core.exceptions import ValidationError

        raise ValidationError([str(error) for error in sheet.errors])
    return {"created": len(services.import_cadres(actor=actor, rows=cleaned))}


# --- exports -----------------------------------------------------------------------------------
POSTING_COLUMNS = [
    Column("cadre", _("Cadre")),
    Column("source_unit", _("Source unit"), width=24),
    Column("kind", _("Kind"), choice(PostingKind.choices)),
    Column("target", _("Posted to"), width=30),
    Column("start_date", _("Start date"), date_value()),
    Column("end_date", _("End date"), date_value()),
    Column("status", _("Status"), choice(PostingStatus.choices)),
    Column("goals", _("Goals"), width=40),
    Column("work_logs", _("Work logs")),
    Column("problems_solved", _("Problems solved")),
]

WORK_LOG_COLUMNS = [
    Column("date", _("Date"), date_value()),
    Column("cadre", _("Cadre")),
    Column("target", _("Posted to"), width=30),
    Column("kind", _("Kind"), choice(WorkLogKind.choices)),
    Column("summary", _("Summary"), width=50),
    Column("members_developed", _("New party members developed")),
    Column("activists_found", _("Activists found")),
]


def _postings(actor: User, params: QueryDict):
    filterset = PostingFilter(params or None, queryset=selectors.list_postings_for_user(actor), user=actor)
    return filterset.page_rows()


def posting_rows(actor: User, params: QueryDict):
    postings = _postings(actor, params)

    def rows():
        for p in postings.iterator(chunk_size=2000):
            yield (
                p.cadre.name,
                p.cadre.source_unit.name,
                p.get_kind_display(),
                str(p.target),
                p.start_date,
                p.end_date,
                p.get_status_display(),
                p.goals,
                p.log_count,
                p.problems_solved,
            )

    return postings.count(), rows()


def work_log_rows(actor: User, params: QueryDict):
    postings = _postings(actor, params).values("pk")
    logs = selectors.list_work_logs_for_user(actor).filter(posting__in=postings)

    def rows():
        for log in logs.iterator(chunk_size=2000):
            yield (
                log.date,
                log.posting.cadre.name,
                str(log.posting.target),
                log.get_kind_display(),
                log.summary,
                log.members_developed,
                log.activists_found,
            )

    return logs.count(), rows()


def _business(user: User) -> bool:
    return user.has_business_role


def register() -> None:
    jobs.register_importer(
        jobs.Importer(
            name="secretaries.cadres",
            title=_("Cadre pool"),
            columns=CADRE_COLUMNS,
            check=check_cadres,
            write=write_cadres,
            examples=[("李明", "镇街", "萝岗街道", "党建办主任", "是", "1990-05-01", "基层党建，软件", "13912345678")],
            help=_("One row per cadre; the source unit by its full name. Nothing is written until every row is right."),
        )
    )
    jobs.register_exporter(
        jobs.Exporter(
            name="secretaries.postings",
            title=_("Postings"),
            columns=POSTING_COLUMNS,
            source=posting_rows,
            allowed=_business,
        )
    )
    jobs.register_exporter(
        jobs.Exporter(
            name="secretaries.work-logs",
            title=_("Work logs"),
            columns=WORK_LOG_COLUMNS,
            source=work_log_rows,
            allowed=_business,
        )
    )
