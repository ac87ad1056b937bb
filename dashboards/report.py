"""A chain's printable quarterly report: the chain dashboard's figures for one quarter (figures.build
over the quarter's days), its chain leaders and chain master, its segments' coverage and units, the
quarter's chain meeting with its decisions, and its open escalated issues.

The quarter is ``?quarter=2026Q4`` (meetings.quarters), the current one by default. A quarter after
the current one is refused: its figures do not exist yet, and the meeting shown would be this
quarter's (figures.build takes the quarter of the period's end or of today, whichever is earlier)."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chainparty.dates import FIRST_DAY
from dashboards import figures
from dashboards.periods import Period, PeriodKind
from dashboards.subjects import Subject
from issues.figures import list_attention_issues
from meetings.quarters import Quarter, parse_quarter, quarter_of
from meetings.selectors import chain_meeting_of, list_decisions

# A printed report lists this many open escalated issues, the highest rung first, and says how many more.
REPORT_ISSUES = 50


class QuarterForm(forms.Form):
    quarter = forms.CharField(
        label=gettext_lazy("Quarter"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("As 2026Q4; the current quarter when empty."),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = quarter_of(today)

    def clean_quarter(self) -> Quarter:
        raw = self.cleaned_data["quarter"]
        if not raw.strip():
            return self.current
        try:
            quarter = parse_quarter(raw)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["quarter"]) from None
        if quarter.year < FIRST_DAY.year:
            raise ValidationError(_("Give a quarter from %(year)s on.") % {"year": FIRST_DAY.year})
        if quarter > self.current:
            raise ValidationError(
                _("Give the current quarter (%(quarter)s) or an earlier one: a later one has no figures yet.")
                % {"quarter": self.current}
            )
        return quarter

    @property
    def value(self) -> Quarter:
        return self.cleaned_data["quarter"]


def chain_report(subject: Subject, quarter: Quarter, *, at: datetime | None = None) -> dict[str, Any]:
    """What the report shows (subject: a chain whose access subjects.chain_for checked)."""
    chain = subject.chain
    assert chain is not None
    now = at or timezone.now()
    period = Period.holding(PeriodKind.QUARTER, quarter.first_day)
    data = figures.build(subject, period, at=now)
    meeting = chain_meeting_of(chain_id=chain.pk, quarter=quarter) if data["meeting"] else None
    escalated = list_attention_issues(subject.issues().filter(escalation_level__gte=1), at=now, limit=REPORT_ISSUES)
    row = next((row for row in data["chains"] if row["id"] == chain.pk), None)
    return {
        "figures": data,
        "quarter": quarter,
        "period": period,
        "leaders": list(chain.leaderships.select_related("user").order_by("role", "user__full_name")),
        "masters": row["masters"] if row else [],
        "months": [point for point in data["trend"] if quarter.contains(point["month"])],
        "meeting": meeting,
        "decisions": list(list_decisions(meeting)) if meeting else [],
        "escalated": escalated,
        "more_escalated": max(data["issues"]["escalated"] - len(escalated), 0),
    }
