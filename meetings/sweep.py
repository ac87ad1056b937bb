"""The meetings' scheduled work, exactly once, in the pattern of issues/sweep.py.

- **The quarterly scheduler** (§4.7): for every chain on the industry-committee path, the quarter's
  meeting, inserted with ``ON CONFLICT (chain, quarter) DO NOTHING`` against the unique constraint,
  each new row marked with this run's id. Only the rows this run inserted get their invitees, their
  agenda and their invitations, so a second run, or two at once, add nothing. Beat runs it every
  day: a run after a missed quarter start (a worker or Redis down on the 1st) still creates what is
  missing, and one that finds everything in place does nothing.
- **Reminders**: a MeetingReminder row per (meeting, kind, schedule version), inserted with ``ON
  CONFLICT DO NOTHING``; only the rows this run inserted are told. The statements re-check the
  meeting's state (status and version), so a meeting held, cancelled or moved in between is not
  reminded on its old date.
- Until a meeting of this quarter (or a later one) is held, its agenda is refreshed from the chain's
  issues on every reminder run.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from chainparty.dates import SHANGHAI
from chains.models import Chain
from inbox.services import request_email_delivery
from meetings import services
from meetings.models import UPCOMING, Meeting, MeetingInvitee, MeetingReminder, ReminderKind, Status
from meetings.quarters import Quarter, quarter_of
from workdays.calendar import add_working_days, is_working_day, previous_working_day

PROPOSED_WORKING_DAY = 10  # the proposed date: the 10th working day of the quarter,
PROPOSED_TIME = time(14, 30)  # at 14:30; the district moves it (reschedule)


def proposed_start(quarter: Quarter, at: datetime) -> datetime:
    """The date the scheduler proposes. A run late in the quarter (catch-up) proposes a date far
    enough ahead for the invitees to be reminded, and never one outside the quarter."""
    before_first = datetime.combine(quarter.first_day, time(12), tzinfo=SHANGHAI)
    # add_working_days does not count its start's own day: start from the day before the quarter.
    day = add_working_days(before_first - timedelta(days=1), PROPOSED_WORKING_DAY).date()
    if quarter == quarter_of(at):
        earliest = add_working_days(at, settings.MEETING_REMINDER_WORKING_DAYS + 1).date()
        day = max(day, earliest)
        if day > quarter.last_day:
            last = quarter.last_day
            day = last if is_working_day(last) else previous_working_day(last)
    return datetime.combine(day, PROPOSED_TIME, tzinfo=SHANGHAI)


def meeting_title(chain_name: str, quarter: Quarter) -> str:
    # Data, in the district's language, like the chains' names.
    return f"{chain_name} {quarter.year}年第{quarter.number}季度专题会议"


@transaction.atomic
def schedule_quarterly_meetings(*, quarter: Quarter | None = None, at: datetime | None = None) -> list[Meeting]:
    """Create the quarter's meeting (now's quarter by default) for every chain on the industry
    committee path that has none; invite and tell each new meeting's people. Returns the meetings
    this run created (none when everything is in place)."""
    at = at or timezone.now()
    quarter = quarter or quarter_of(at)
    run = uuid.uuid4()
    starts_at = proposed_start(quarter, at)
    remind_at, minutes_due_at = services.reminder_instants(starts_at)
    have = Meeting.objects.filter(chain=OuterRef("pk"), quarter=str(quarter))
    chains = list(Chain.objects.filter(path_industry_committee=True).exclude(Exists(have)).order_by("pk"))
    if not chains:
        return []
    # INSERT … ON CONFLICT DO NOTHING: a concurrent run inserting the same (chain, quarter) waits on the
    # unique index and then skips the row; only the rows marked with this run's id are ours.
    Meeting.objects.bulk_create(
        [
            Meeting(
                chain=chain,
                quarter=str(quarter),
                title=meeting_title(chain.name, quarter),
                starts_at=starts_at,
                remind_at=remind_at,
                minutes_due_at=minutes_due_at,
                run=run,
                created_at=at,
                updated_at=at,
            )
            for chain in chains
        ],
        ignore_conflicts=True,
    )
    created = list(Meeting.objects.filter(run=run).select_related("chain").order_by("chain_id"))
    invitees = []
    for meeting in created:
        invitees += services.invitee_rows(meeting, meeting.chain)
    MeetingInvitee.objects.bulk_create(invitees, ignore_conflicts=True)
    local = timezone.localtime(starts_at, SHANGHAI).strftime("%Y-%m-%d %H:%M")
    for meeting in created:
        services.refresh_agenda(meeting, at=at)
        services.notify_about_meeting(
            meeting=meeting,
            recipients=services.invitees_of(meeting),
            subject=_("Invitation: proposed for %(at)s") % {"at": local},
            body=_("Held together: %(kinds)s.") % {"kinds": "、".join(meeting.kind_labels)},
        )
    return created


@dataclass(frozen=True)
class Step:
    kind: str
    statuses: tuple[str, ...]
    due_column: str
    # Only before the meeting starts (a reminder after it has begun is no reminder).
    before_start: bool = False


STEPS = [
    Step(ReminderKind.BEFORE, UPCOMING, "remind_at", before_start=True),
    # Minutes missing: held without them, or never even recorded as held.
    Step(ReminderKind.MINUTES_MISSING, (*UPCOMING, Status.HELD), "minutes_due_at"),
]


@transaction.atomic
def send_meeting_reminders(*, at: datetime | None = None) -> dict[str, int]:
    """Remind each meeting's invitees before it and its organiser when its minutes are missing,
    each once per schedule version; refresh the agendas of the meetings not yet held."""
    at = at or timezone.now()
    run = uuid.uuid4()
    counts: dict[str, int] = {}
    for step in STEPS:
        done = MeetingReminder.objects.filter(
            meeting=OuterRef("pk"), kind=step.kind, version=OuterRef("schedule_version")
        )
        due = Meeting.objects.filter(status__in=step.statuses, **{f"{step.due_column}__lte": at}).exclude(Exists(done))
        if step.before_start:
            due = due.filter(starts_at__gt=at)
        rows = [
            MeetingReminder(meeting_id=pk, kind=step.kind, version=version, due_at=due_at, run=run, created_at=at)
            for pk, version, due_at in due.values_list("pk", "schedule_version", step.due_column)
        ]
        MeetingReminder.objects.bulk_create(rows, ignore_conflicts=True)
        # Ours, and still where the step found them (a meeting held or moved meanwhile is not told).
        mine = Exists(
            MeetingReminder.objects.filter(
                meeting=OuterRef("pk"), run=run, kind=step.kind, version=OuterRef("schedule_version")
            )
        )
        meetings = list(Meeting.objects.filter(mine, status__in=step.statuses))
        counts[step.kind] = len(meetings)
        for meeting in meetings:
            local = timezone.localtime(meeting.starts_at, SHANGHAI).strftime("%Y-%m-%d %H:%M")
            if step.kind == ReminderKind.BEFORE:
                services.notify_about_meeting(
                    meeting=meeting,
                    recipients=services.invitees_of(meeting),
                    subject=_("Reminder: the meeting is on %(at)s") % {"at": local},
                    body=meeting.place,
                )
            else:
                services.notify_about_meeting(
                    meeting=meeting,
                    recipients=services.organisers_of(meeting),
                    subject=_("The minutes of the meeting of %(at)s are missing") % {"at": local},
                )
    # The agendas of this quarter's and later meetings; one of a past quarter never recorded as held
    # is refreshed once more when it is (hold_meeting), not every quarter of an hour for ever.
    for meeting in Meeting.objects.filter(status__in=UPCOMING, quarter__gte=str(quarter_of(at))):
        services.refresh_agenda(meeting, at=at)
    if any(counts.values()):
        request_email_delivery()
    return counts
