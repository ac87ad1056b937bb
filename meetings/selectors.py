"""Reads shared by the meeting pages, the API and the calendar feeds. Every list starts from
Meeting.objects.visible_to (scope in SQL)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from chainparty.scope import get_visible_or_404
from issues.agenda import NextMeeting
from issues.models import ComplaintSession, Issue
from issues.selectors import list_complaint_sessions_for_user
from meetings.models import UPCOMING, AgendaItem, CalendarFeed, Decision, Meeting, MeetingInvitee, Status
from meetings.quarters import Quarter


def list_meetings_for_user(user) -> QuerySet[Meeting]:
    """The meetings a user may see, the latest first."""
    return Meeting.objects.visible_to(user).select_related("chain").order_by("-starts_at", "chain__name", "pk")


def get_meeting_for_user(user, meeting_id) -> Meeting:
    """One meeting with what its page, its allowed actions and its minutes need; 404 outside scope."""
    queryset = list_meetings_for_user(user).prefetch_related(
        Prefetch("invitees", queryset=MeetingInvitee.objects.select_related("user", "unit").order_by("role", "pk")),
        "attendance",
    )
    return get_visible_or_404(queryset, pk=meeting_id)


def list_agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda_items.select_related("issue").order_by("pk")


def list_decisions(meeting: Meeting) -> QuerySet[Decision]:
    """The decisions with their follow-ups' state (the issue each opened or updated)."""
    return meeting.decisions.select_related(
        "follow_up_unit", "follow_up_issue", "updated_issue", "agenda_item"
    ).order_by("pk")


def feed_for_token(token: str) -> CalendarFeed | None:
    """A live feed by its secret (None when unknown or revoked), with its owner."""
    if not token:
        return None
    return CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("user").first()


def live_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_entries_for_user(user) -> tuple[QuerySet[Meeting], QuerySet[ComplaintSession]]:
    """What a person's calendar shows: the meetings they may see, and the 吐槽大会 sessions they may see."""
    meetings = list_meetings_for_user(user).order_by("starts_at", "pk")
    sessions = list_complaint_sessions_for_user(user).order_by("held_on", "pk")
    return meetings, sessions


def list_sessions_in_quarter_for_user(user, quarter: Quarter) -> QuerySet[ComplaintSession]:
    """The 吐槽大会 sessions of a quarter the user may see, by date (shown with the meetings)."""
    return (
        list_complaint_sessions_for_user(user)
        .filter(held_on__gte=quarter.first_day, held_on__lte=quarter.last_day)
        .order_by("held_on", "pk")
    )


def next_meeting_for_issue(issue: Issue) -> NextMeeting | None:
    """The issue's chain's next meeting not yet held (the one services.next_meeting_of picks), and
    whether the issue is on its agenda: one query. Lent to the issues app (issues.agenda)."""
    if issue.chain_id is None:
        return None
    meeting = (
        Meeting.objects.filter(chain_id=issue.chain_id, status__in=UPCOMING)
        .annotate(has_issue=Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), issue_id=issue.pk)))
        .order_by("starts_at", "pk")
        .only("pk", "title")
        .first()
    )
    if meeting is None:
        return None
    return NextMeeting(
        pk=meeting.pk,
        title=meeting.title,
        url=meeting.get_absolute_url(),
        has_issue=bool(meeting.has_issue),  # type: ignore[attr-defined]  # the annotation above
    )


# --- facts for the dashboards ------------------------------------------------------------------
def meeting_figures(*, quarter: Quarter, chain_ids: list[int] | None = None) -> dict[str, int]:
    """The quarter's chain meetings (§4.5): planned (every meeting on record but the cancelled ones),
    held (minutes recorded or pending) and of those still without minutes. One query."""
    meetings = Meeting.objects.filter(quarter=str(quarter))
    if chain_ids is not None:
        meetings = meetings.filter(chain_id__in=chain_ids)
    return meetings.aggregate(
        planned=Count("pk", filter=~Q(status=Status.CANCELLED)),
        held=Count("pk", filter=Q(status__in=[Status.HELD, Status.MINUTED])),
        minutes_pending=Count("pk", filter=Q(status=Status.HELD)),
    )


def chain_meeting_of(*, chain_id: int, quarter: Quarter) -> Meeting | None:
    """The chain's meeting of the quarter (the latest one on record that is not cancelled)."""
    return (
        Meeting.objects.filter(chain_id=chain_id, quarter=str(quarter))
        .exclude(status=Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


# --- the role homes (issue 14) -----------------------------------------------------------------
def count_meetings_without_minutes_for_user(user) -> int:
    """The meetings held whose minutes are still to be recorded (?status=held on the list). One COUNT."""
    return Meeting.objects.visible_to(user).filter(status=Status.HELD).count()
