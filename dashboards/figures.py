"""A dashboard's figures, computed from the records each time (never stored or typed in), through
the other apps' selectors, in a fixed number of queries whatever the data's size (a test holds the
count at two sizes). The page, the API and the export all read this one dict.

Each figure that counts records has its link in `links`: the filtered list behind the number.

The pages and the API read `current`: the figures as computed at most FRESH_SECONDS ago (issue 14:
"fresh within a minute of a change"), kept in Django's cache (settings.CACHES); the exports and the
quarterly report compute theirs when asked (`build`)."""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation

from chainparty.dates import last_of_month
from chains.models import Honour
from chains.selectors import cultivation_progress, list_chains_with_masters, registry_figures
from dashboards import links
from dashboards.periods import Period
from dashboards.subjects import Kind, Subject
from issues.figures import issue_figures, list_attention_issues, monthly_trend
from issues.kpis import rate, unit_kpis, unit_ranking
from meetings.quarters import quarter_of
from meetings.selectors import chain_meeting_of, meeting_figures
from partyorgs.selectors import (
    coverage_by_chain,
    coverage_by_segment,
    coverage_counts,
    coverage_trend,
    party_plan_figures,
    should_establish_count,
)
from secretaries.selectors import active_cadre_counts

ATTENTION_ISSUES = 10
# How long computed figures are served again: a change shows within this many seconds.
FRESH_SECONDS = 60

log = logging.getLogger(__name__)


def current(subject: Subject, period: Period) -> dict[str, Any]:
    """The figures of `subject` for `period` as of now, or the same ones computed less than
    FRESH_SECONDS ago (in the same language: the labels are translated). Whoever may open the subject
    reads the same figures (they are the subject's, not the reader's), so a cached copy is shared by
    everyone who opens it; the caller has checked that the user may. A cache that cannot be read or
    written (its server down) costs the computation, never the page."""
    now = timezone.now()
    key = _cache_key(subject, period)
    try:
        cached = cache.get(key)
    except Exception:  # any cache backend's failure (a Redis cache's connection error, say)
        log.warning("dashboard cache unreadable; computing %s", key, exc_info=True)
        cached = None
    if cached is not None and timedelta(0) <= now - cached["computed_at"] < timedelta(seconds=FRESH_SECONDS):
        return cached
    figures = build(subject, period, at=now)
    try:
        cache.set(key, figures, FRESH_SECONDS)
    except Exception:
        log.warning("dashboard cache unwritable; %s not kept", key, exc_info=True)
    return figures


def _cache_key(subject: Subject, period: Period) -> str:
    owner = subject.chain or subject.park
    return ":".join(
        (
            "dashboard",
            str(subject.kind),
            str(owner.pk if owner is not None else ""),
            str(period.kind),
            period.start.isoformat(),
            period.end.isoformat(),
            translation.get_language() or "",
        )
    )


def _coverage(row) -> dict[str, Any]:
    return {
        "enterprises": row.enterprises,
        "organization": row.organization,
        "work": row.work,
        "none": row.none,
        "organization_rate": row.organization_rate,
        "work_rate": row.work_rate,
        "combined_rate": row.combined_rate,
    }


def build(subject: Subject, period: Period, *, at: datetime | None = None) -> dict[str, Any]:
    now = at or timezone.now()
    today = timezone.localdate(now)
    chain_ids = subject.chain_ids
    enterprises = subject.enterprises()
    issues = subject.issues()

    registry = registry_figures(enterprises)
    coverage = {
        **_coverage(coverage_counts(enterprises, on=today)),
        "should_establish": should_establish_count(enterprises),
    }
    if subject.chain is not None:
        cadres = active_cadre_counts(
            enterprise_ids=enterprises.values("pk"), park_ids=subject.chain.parks.values("pk"), on=today
        )
    elif subject.park is not None:
        cadres = active_cadre_counts(enterprise_ids=enterprises.values("pk"), park_ids=[subject.park.pk], on=today)
    else:
        cadres = active_cadre_counts(on=today)

    chains = list(list_chains_with_masters(chain_ids))
    by_chain = coverage_by_chain(on=today, chain_ids=chain_ids)
    chain_rows = [
        {
            "id": chain.pk,
            "code": chain.code,
            "name": chain.name,
            "enterprises": chain.member_count,  # type: ignore[attr-defined]  # annotated by the selector
            "masters": [master.enterprise.name for master in chain.designated_masters],  # type: ignore[attr-defined]
            "organization_rate": by_chain[chain.pk].organization_rate if chain.pk in by_chain else None,
            "work_rate": by_chain[chain.pk].work_rate if chain.pk in by_chain else None,
        }
        for chain in chains
    ]

    months = period.months
    issue_trend = monthly_trend(issues, months=months)
    coverage_points = coverage_trend(
        enterprises, days=[min(last_of_month(month), today) for month in months], total=coverage["enterprises"]
    )
    trend = [
        {**point, "organization_rate": row.organization_rate, "work_rate": row.work_rate}
        for point, row in zip(issue_trend, coverage_points, strict=True)
    ]

    quarter = quarter_of(min(period.end, today))
    meetings = {"quarter": str(quarter), **meeting_figures(quarter=quarter, chain_ids=chain_ids)}
    measures = cultivation_progress(chain_ids)
    cultivation = {**measures, "done_rate": rate(measures["done"], measures["measures"])}

    figures: dict[str, Any] = {
        "kind": subject.kind,
        "subject": _subject(subject),
        "period": {"kind": period.kind, "start": period.start, "end": period.end},
        "computed_at": now,
        "registry": {
            "enterprises": registry["enterprises"],
            "smes": registry["smes"],
            "honours": [
                {"code": honour.value, "label": str(honour.label), "enterprises": registry[honour.value]}
                for honour in Honour
            ],
        },
        "coverage": coverage,
        "cadres": cadres,
        "issues": issue_figures(issues, start=period.start, end=period.end, at=now),
        "trend": trend,
        "chains": chain_rows,
        "meetings": meetings,
        "cultivation": cultivation,
        "party_plans": party_plan_figures(year=period.end.year, chain_ids=chain_ids),
        "units": _units(subject, period, now),
        "segments": [],
        "attention": [],
        "meeting": None,
    }
    if subject.kind != Kind.DISTRICT:
        figures["attention"] = [
            _issue(issue) for issue in list_attention_issues(issues, at=now, limit=ATTENTION_ISSUES)
        ]
    if subject.chain is not None:
        figures["segments"] = [
            {"id": row.id, "name": row.name, **_coverage(row)}
            for row in coverage_by_segment(chain_id=subject.chain.pk, on=today)
        ]
        meeting = chain_meeting_of(chain_id=subject.chain.pk, quarter=quarter)
        if meeting is not None:
            figures["meeting"] = {
                "id": meeting.pk,
                "title": meeting.title,
                "status": meeting.status,
                "status_label": meeting.get_status_display(),
                "starts_at": meeting.starts_at,
            }
    figures["links"] = links.for_figures(subject, period, figures)
    return figures


def _subject(subject: Subject) -> dict[str, Any] | None:
    if subject.chain is not None:
        return {"id": subject.chain.pk, "code": subject.chain.code, "name": subject.chain.name}
    if subject.park is not None:
        return {"id": subject.park.pk, "code": "", "name": subject.park.name}
    return None


def _units(subject: Subject, period: Period, now: datetime) -> list[dict[str, Any]]:
    """The district ranks every unit that had work in the period; a chain shows its lead and
    cooperating units' figures (district-wide ones: a unit's rates are not split by chain); a park
    has no units of its own."""
    if subject.kind == Kind.DISTRICT:
        rows = unit_ranking(period.start, period.end, at=now)
    elif subject.chain is not None:
        chain = subject.chain
        unit_ids = [chain.lead_unit_id, *chain.cooperating_units.values_list("pk", flat=True)]
        rows = unit_kpis(unit_ids=unit_ids, start=period.start, end=period.end, at=now)
    else:
        return []
    return [
        {
            "id": row["unit"].pk,
            "name": row["unit"].name,
            "rank": row.get("rank"),
            "dispatched": row["dispatched"],
            "overdue": row["overdue"],
            "urged": row["urged"],
            "response_rate": row["response_rate"],
            "on_time_rate": row["on_time_rate"],
            "satisfaction_rate": row["satisfaction_rate"],
        }
        for row in rows
    ]


def _issue(issue) -> dict[str, Any]:
    return {
        "id": issue.pk,
        "number": issue.number or "",
        "title": issue.title,
        "enterprise": issue.enterprise.name,
        "lead_unit": issue.lead_unit.name if issue.lead_unit else "",
        "status": issue.status,
        "status_label": issue.get_status_display(),
        "escalation_level": issue.escalation_level,
        "resolve_due_at": issue.resolve_due_at,
        "is_overdue": issue.is_overdue,
    }
