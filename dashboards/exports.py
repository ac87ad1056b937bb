"""A dashboard as one Excel workbook: the figures figures.build gives the page and the API, a sheet per
section (the summary with its labels, honours, coverage by segment or chain, the trend by month, the
units, the chains with their masters, the issues that need attention), written by
chainparty.spreadsheets.write_sheets, which neutralises every text cell (a chain named "=…" stays
text). Rates are written as percentages with one decimal, as the page shows them; a rate with nothing
to divide is an empty cell. A section the subject has no such thing for (the district's attention
list, a park's units) has no sheet.

The figures are bounded whatever the data's size (a handful of chains, at most 24 months, the units,
ten issues), so the workbook is written during the request, never as a job. Every export is in the
audit trail, as the list exports are (chainparty.jobs.export_list)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.models import AuditKind, User
from chainparty.spreadsheets import Column, SheetOut, write_sheets
from dashboards import figures
from dashboards.periods import Period
from dashboards.subjects import Kind, Subject

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str


def export_dashboard(*, actor: User, subject: Subject, period: Period, at: datetime | None = None) -> Download:
    """The workbook of `subject`'s dashboard for `period` (access already checked: subjects.*_for),
    recorded in the audit trail."""
    data = figures.build(subject, period, at=at)
    title = dashboard_title(subject)
    content = write_sheets(sheets(data))
    audit.record(
        AuditKind.EXPORT,
        actor=actor,
        target=subject.chain or subject.park,
        target_repr=title,
        detail=urlencode(period.as_query()),
    )
    return Download(content, f"{title}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx")


def dashboard_title(subject: Subject) -> str:
    if subject.kind == Kind.DISTRICT:
        return _("District dashboard")
    return _("%(name)s dashboard") % {"name": subject.name}


def percent(fraction: Decimal | None) -> Decimal | None:
    """A rate of issues.kpis (a fraction) as the percentage the coverage rates already are."""
    return None if fraction is None else (fraction * 100).quantize(ONE_DECIMAL)


def sheets(data: dict[str, Any]) -> list[SheetOut]:
    kind = data["kind"]
    result = [summary(data), honours(data), coverage(data), trend(data)]
    if kind != Kind.PARK:  # a park has no units of its own (figures._units)
        result.append(units(data))
    result.append(chains(data))
    if kind != Kind.DISTRICT:  # the district's page lists no issues either
        result.append(attention(data))
    return result


# --- the summary: one figure a row, its label in the reader's language ----------------------------
SUMMARY_COLUMNS = [Column("figure", gettext_lazy("Figure"), width=44), Column("value", gettext_lazy("Value"), width=24)]


def summary(data: dict[str, Any]) -> SheetOut:
    issues, registry, cover = data["issues"], data["registry"], data["coverage"]
    cadres, meetings, cultivation, plans = data["cadres"], data["meetings"], data["cultivation"], data["party_plans"]
    period = data["period"]
    quarter, year = meetings["quarter"], period["end"].year
    rows: list[tuple[str, Any]] = [
        (_("Dashboard of"), data["subject"]["name"] if data["subject"] else _("The district")),
        (_("Period"), f"{period['start']:%Y-%m-%d} – {period['end']:%Y-%m-%d}"),
        (_("Figures as of"), timezone.localtime(data["computed_at"]).strftime("%Y-%m-%d %H:%M")),
        (_("Received in the period"), issues["received"]),
        (_("Open now"), issues["open"]),
        (_("Overdue now"), issues["overdue"]),
        (_("Escalated (open)"), issues["escalated"]),
        *(
            (_("Open issues at escalation level %(level)s") % {"level": level}, issues[f"escalated_{level}"])
            for level in (1, 2, 3)
        ),
        (_("Resolved in the period"), issues["resolved"]),
        (_("Resolved on time"), issues["resolved_on_time"]),
        (_("On-time resolution rate (%)"), percent(issues["on_time_rate"])),
        (_("Ratings in the period"), issues["rated"]),
        (_("Satisfied or basically satisfied"), issues["satisfied"]),
        (_("Satisfaction rate (%)"), percent(issues["satisfaction_rate"])),
        (_("Median days to resolve"), issues["median_days"]),
        (_("Enterprises in the registry"), registry["enterprises"]),
        (_("Small and medium enterprises"), registry["smes"]),
        (_("Enterprises with organization coverage"), cover["organization"]),
        (_("Enterprises with work coverage"), cover["work"]),
        (_("Enterprises without coverage"), cover["none"]),
        (_("Organization coverage rate (%)"), cover["organization_rate"]),
        (_("Work coverage rate (%)"), cover["work_rate"]),
        (_("Coverage rate, both kinds (%)"), cover["combined_rate"]),
        (_("Should have an organization, have none (应建未建)"), cover["should_establish"]),
        (_("Active first secretaries"), cadres["first_secretary"]),
        (_("Active party-building instructors"), cadres["instructor"]),
        (_("Active park chiefs"), cadres["park_chief"]),
        (_("Chain meetings planned, %(quarter)s") % {"quarter": quarter}, meetings["planned"]),
        (_("Chain meetings held, %(quarter)s") % {"quarter": quarter}, meetings["held"]),
        (_("Held, minutes pending"), meetings["minutes_pending"]),
    ]
    if data["meeting"]:
        meeting = data["meeting"]
        when = timezone.localtime(meeting["starts_at"]).strftime("%Y-%m-%d %H:%M")
        rows.append((_("The chain's meeting, %(quarter)s") % {"quarter": quarter}, meeting["title"]))
        rows.append((_("Its date and status"), f"{when} · {meeting['status_label']}"))
    rows += [
        (_("Chain-master cultivation measures"), cultivation["measures"]),
        (_("Of them in progress"), cultivation["in_progress"]),
        (_("Of them done"), cultivation["done"]),
        (_("Cultivation measures done (%)"), percent(cultivation["done_rate"])),
        (_("Annual party plans filed, %(year)s") % {"year": year}, plans["filed"]),
        (_("Annual party plans scored, %(year)s") % {"year": year}, plans["scored"]),
        (_("Average party-plan score (%)"), plans["average_score"]),
    ]
    return SheetOut(_("Overview"), SUMMARY_COLUMNS, rows)


# --- the tables ---------------------------------------------------------------------------------
HONOUR_COLUMNS = [Column("honour", gettext_lazy("Honour"), width=30), Column("n", gettext_lazy("Enterprises"))]


def honours(data: dict[str, Any]) -> SheetOut:
    rows = [(row["label"], row["enterprises"]) for row in data["registry"]["honours"]]
    return SheetOut(_("Honours"), HONOUR_COLUMNS, rows)


RATE_COLUMNS = [
    Column("organization_rate", gettext_lazy("Organization coverage rate (%)")),
    Column("work_rate", gettext_lazy("Work coverage rate (%)")),
]
SEGMENT_COLUMNS = [
    Column("segment", gettext_lazy("Segment"), width=30),
    Column("enterprises", gettext_lazy("Enterprises")),
    Column("organization", gettext_lazy("With organization coverage")),
    Column("work", gettext_lazy("With work coverage")),
    Column("none", gettext_lazy("Without coverage")),
    *RATE_COLUMNS,
    Column("combined_rate", gettext_lazy("Coverage rate, both kinds (%)")),
]
CHAIN_COVERAGE_COLUMNS = [
    Column("chain", gettext_lazy("Chain"), width=30),
    Column("enterprises", gettext_lazy("Enterprises")),
    *RATE_COLUMNS,
]


def coverage(data: dict[str, Any]) -> SheetOut:
    """A chain's coverage by segment (its map); the district's and a park's by chain."""
    rows: list[tuple[Any, ...]]
    if data["kind"] == Kind.CHAIN:
        rows = [
            (
                row["name"],
                row["enterprises"],
                row["organization"],
                row["work"],
                row["none"],
                row["organization_rate"],
                row["work_rate"],
                row["combined_rate"],
            )
            for row in data["segments"]
        ]
        return SheetOut(_("Coverage by segment"), SEGMENT_COLUMNS, rows)
    rows = [(row["name"], row["enterprises"], row["organization_rate"], row["work_rate"]) for row in data["chains"]]
    return SheetOut(_("Coverage by chain"), CHAIN_COVERAGE_COLUMNS, rows)


TREND_COLUMNS = [
    Column("month", gettext_lazy("Month"), width=10),
    Column("received", gettext_lazy("Received")),
    Column("resolved", gettext_lazy("Resolved")),
    *RATE_COLUMNS,
]


def trend(data: dict[str, Any]) -> SheetOut:
    rows = [
        (p["month"].strftime("%Y-%m"), p["received"], p["resolved"], p["organization_rate"], p["work_rate"])
        for p in data["trend"]
    ]
    return SheetOut(_("Trend by month"), TREND_COLUMNS, rows)


UNIT_COLUMNS = [
    Column("unit", gettext_lazy("Unit"), width=30),
    Column("dispatched", gettext_lazy("Dispatched")),
    Column("response_rate", gettext_lazy("Response rate (%)")),
    Column("on_time_rate", gettext_lazy("On-time resolution rate (%)")),
    Column("satisfaction_rate", gettext_lazy("Satisfaction rate (%)")),
    Column("overdue", gettext_lazy("Overdue")),
    Column("urged", gettext_lazy("Urged")),
]


def units(data: dict[str, Any]) -> SheetOut:
    """The district ranks its units; a chain lists its lead and cooperating units (district-wide
    figures: a unit's rates are not split by chain)."""
    ranked = data["kind"] == Kind.DISTRICT
    columns = [Column("rank", gettext_lazy("Rank"), width=8), *UNIT_COLUMNS] if ranked else UNIT_COLUMNS
    rows = [
        (
            *((row["rank"],) if ranked else ()),
            row["name"],
            row["dispatched"],
            percent(row["response_rate"]),
            percent(row["on_time_rate"]),
            percent(row["satisfaction_rate"]),
            row["overdue"],
            row["urged"],
        )
        for row in data["units"]
    ]
    return SheetOut(_("Units ranked") if ranked else _("The chain's units"), columns, rows)


CHAIN_COLUMNS = [
    Column("chain", gettext_lazy("Chain"), width=30),
    Column("code", gettext_lazy("Chain code"), width=16),
    Column("enterprises", gettext_lazy("Enterprises")),
    Column("masters", gettext_lazy("Chain master"), width=36),
]


def chains(data: dict[str, Any]) -> SheetOut:
    rows = [(row["name"], row["code"], row["enterprises"], "、".join(row["masters"])) for row in data["chains"]]
    return SheetOut(_("Chains and their chain masters"), CHAIN_COLUMNS, rows)


ATTENTION_COLUMNS = [
    Column("number", gettext_lazy("Number"), width=16),
    Column("title", gettext_lazy("Title"), width=40),
    Column("enterprise", gettext_lazy("Enterprise"), width=30),
    Column("lead_unit", gettext_lazy("Lead unit"), width=24),
    Column("status", gettext_lazy("Status"), width=12),
    Column("level", gettext_lazy("Escalation level"), width=10),
    Column("due", gettext_lazy("Resolve by"), width=12),
    Column("overdue", gettext_lazy("Overdue"), width=8),
]


def attention(data: dict[str, Any]) -> SheetOut:
    rows = [
        (
            row["number"],
            row["title"],
            row["enterprise"],
            row["lead_unit"],
            row["status_label"],
            row["escalation_level"],
            timezone.localtime(row["resolve_due_at"]).strftime("%Y-%m-%d") if row["resolve_due_at"] else "",
            _("yes") if row["is_overdue"] else _("no"),
        )
        for row in data["attention"]
    ]
    return SheetOut(_("Open issues that need attention"), ATTENTION_COLUMNS, rows)
