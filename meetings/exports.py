"""The meetings' Excel export (chainparty.jobs): the decisions of the meetings a list shows, each
with its follow-up's unit, deadline and the state of the issue it opened — the district's ledger of
what the quarterly meetings decided (会议决定落实台账). Registered from MeetingsConfig.ready()."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from chainparty import jobs
from chainparty.spreadsheets import Column
from issues.models import Status as IssueStatus
from meetings.filters import MeetingFilter
from meetings.models import Decision
from meetings.models import Status as MeetingStatus
from meetings.selectors import list_meetings_for_user

COLUMNS = [
    Column("quarter", _("Quarter"), width=10),
    Column("chain", _("Chain"), width=24),
    Column("meeting", _("Meeting"), width=36),
    Column("date", _("Date"), width=18),
    Column("item", _("Agenda item"), width=36),
    Column("decision", _("Decision"), width=48),
    Column("unit", _("Follow-up by unit"), width=24),
    Column("due", _("Follow-up due"), width=12),
    Column("issue", _("Follow-up issue"), width=18),
    Column("issue_status", _("Follow-up status"), width=12),
]


def decisions_source(actor: User, params: QueryDict):
    """The decisions of the meetings the actor may see, filtered as the meeting list is (a bad filter
    exports nothing, as the list then shows nothing)."""
    meetings = MeetingFilter(params or None, queryset=list_meetings_for_user(actor), user=actor).page_rows()
    decisions = (
        Decision.objects.filter(meeting__in=meetings.values("pk"))
        .select_related("meeting__chain", "agenda_item", "follow_up_unit", "follow_up_issue")
        .order_by("meeting__quarter", "meeting__chain__name", "meeting_id", "pk")
    )

    def rows():
        for decision in decisions.iterator(chunk_size=500):
            meeting, issue = decision.meeting, decision.follow_up_issue
            yield (
                meeting.quarter,
                meeting.chain.name,
                meeting.title,
                timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
                decision.agenda_item.title if decision.agenda_item else "",
                decision.text,
                decision.follow_up_unit.name if decision.follow_up_unit else "",
                decision.follow_up_due.isoformat() if decision.follow_up_due else "",
                issue.number if issue else "",
                str(IssueStatus(issue.status).label) if issue else "",
            )

    return decisions.count(), rows()


MEETING_COLUMNS = [
    Column("quarter", _("Quarter"), width=10),
    Column("date", _("Date"), width=18),
    Column("chain", _("Chain"), width=24),
    Column("meeting", _("Meeting"), width=36),
    Column("place", _("Place"), width=24),
    Column("status", _("Status"), width=10),
]


def meetings_source(actor: User, params: QueryDict):
    """The meetings the list shows for these parameters, in its order."""
    meetings = MeetingFilter(params or None, queryset=list_meetings_for_user(actor), user=actor).page_rows()
    labels = dict(MeetingStatus.choices)

    def rows():
        for meeting in meetings.iterator(chunk_size=500):
            yield (
                meeting.quarter,
                timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
                meeting.chain.name,
                meeting.title,
                meeting.place,
                str(labels.get(meeting.status, meeting.status)),
            )

    return meetings.count(), rows()


MEETINGS = jobs.Exporter(
    name="meetings.list",
    title=_("Chain meetings"),
    columns=MEETING_COLUMNS,
    source=meetings_source,
    allowed=jobs.business_roles,
)
DECISIONS = jobs.Exporter(
    name="meetings.decisions", title=_("Meeting decisions"), columns=COLUMNS, source=decisions_source
)


def register() -> None:
    jobs.register_exporter(MEETINGS)
    jobs.register_exporter(DECISIONS)
