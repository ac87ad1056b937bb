"""The list behind each number of a dashboard: the same filters as the figure, on the list pages
(which apply the user's scope on top; a figure never links to more than its subject)."""

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from chainparty.dates import last_of_month
from dashboards.periods import Period
from dashboards.subjects import Subject
from issues.figures import LEVELS
from secretaries.models import PostingKind, PostingStatus


def _url(name: str, params: dict[str, Any], args: tuple = ()) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name, args=args) + (f"?{query}" if query else "")


def for_figures(subject: Subject, period: Period, figures: dict[str, Any]) -> dict[str, Any]:
    chain = subject.chain.pk if subject.chain else None
    where = {"chain": chain, "park": subject.park.pk if subject.park else None}
    received = {**where, "created_after": period.start.isoformat(), "created_before": period.end.isoformat()}
    resolved = {**where, "resolved_after": period.start.isoformat(), "resolved_before": period.end.isoformat()}
    issues = {
        "received": _url("issues:issue-list", received),
        "open": _url("issues:issue-list", {**where, "open": "true"}),
        "overdue": _url("issues:issue-list", {**where, "overdue": "true"}),
        "escalated": _url("issues:issue-list", {**where, "open": "true", "min_escalation_level": 1}),
        "resolved": _url("issues:issue-list", resolved),
        **{
            f"escalated_{level}": _url("issues:issue-list", {**where, "open": "true", "escalation_level": level})
            for level in LEVELS
        },
    }
    return {
        "enterprises": _url("chains:enterprise-list", where),
        "honours": {
            row["code"]: _url("chains:enterprise-list", {**where, "honour": row["code"]})
            for row in figures["registry"]["honours"]
        },
        "coverage": reverse("partyorgs:coverage"),
        "should_establish": reverse("partyorgs:should-establish"),
        "cadres": {
            kind: _url("secretaries:posting-list", {"kind": kind, "status": PostingStatus.ACTIVE, **where})
            for kind in PostingKind.values
        },
        "issues": issues,
        "months": [
            _url(
                "issues:issue-list",
                {
                    **where,
                    "created_after": point["month"].isoformat(),
                    "created_before": last_of_month(point["month"]).isoformat(),
                },
            )
            for point in figures["trend"]
        ],
        "meetings": _url("meetings:meeting-list", {"quarter": figures["meetings"]["quarter"], "chain": chain}),
        "party_plans": _url("partyorgs:plans", {"year": period.end.year, "chain": chain}),
        "chain_masters": reverse("chains:chain-list"),
        "chains": {row["id"]: _url("dashboards:chain", period.as_query(), (row["id"],)) for row in figures["chains"]},
        "units": {row["id"]: _url("issues:issue-list", {"unit": row["id"], **where}) for row in figures["units"]},
        "attention": {row["id"]: reverse("issues:issue-detail", args=(row["id"],)) for row in figures["attention"]},
        "segments": reverse("chains:chain-detail", args=(subject.chain.code,)) if subject.chain else "",
        "meeting": reverse("meetings:meeting-detail", args=(figures["meeting"]["id"],)) if figures["meeting"] else "",
    }
