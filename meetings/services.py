"""Every meaningful write on a chain meeting (design §4.7), each in a transaction, the meeting's row
locked and the workflow table asked again under the lock, telling the people it concerns through the
inbox. The scheduled work (the quarterly scheduler and the reminders) is in meetings/sweep.py."""

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.roles import Role
from chainparty.dates import SHANGHAI
from chainparty.scope import find_by_id, parse_id
from chains.models import Chain
from inbox.services import notify
from issues import services as issue_services
from issues.models import OPEN_STATUSES, CategoryKind, Issue, IssueCategory
from issues.selectors import list_agenda_candidates
from meetings import workflow
from meetings.models import (
    UPCOMING,
    AgendaItem,
    AgendaReason,
    Attendance,
    CalendarFeed,
    Decision,
    InviteeRole,
    Meeting,
    MeetingInvitee,
    Status,
)
from meetings.quarters import parse_quarter
from meetings.workflow import Action
from workdays.calendar import add_working_days, subtract_working_days

REMINDER_AT = time(9, 0)  # invitees are reminded at 09:00 of the day
MINUTES_DUE_WORKING_DAYS = 5  # the organiser is reminded when the minutes are missing this long after
MAX_TEXT = 20_000


# --- helpers -------------------------------------------------------------------------------------
def lock_for(meeting_id: int, action: str, actor: User) -> Meeting:
    """The meeting, its row locked, once the workflow lets `actor` take `action` on it now (asked
    again under the lock: another request may have moved it since the page or the API asked)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("chain").get(pk=meeting_id)
    workflow.require(meeting, action, actor)
    return meeting


def _text(field: str, value: str | None, *, required: bool, max_length: int) -> tuple[str, dict]:
    value = (value or "").strip()
    if required and not value:
        return value, {field: [_("This field is required.")]}
    if len(value) > max_length:
        return value, {
            field: [_("At most %(max)d characters (this has %(n)d).") % {"max": max_length, "n": len(value)}]
        }
    return value, {}


def reminder_instants(starts_at: datetime) -> tuple[datetime, datetime]:
    """When invitees are reminded (09:00, the configured number of working days before the date) and
    when the minutes are due (the end of the 5th working day after it)."""
    before = subtract_working_days(starts_at, settings.MEETING_REMINDER_WORKING_DAYS)
    remind_at = datetime.combine(before.date(), REMINDER_AT, tzinfo=SHANGHAI)
    return min(remind_at, starts_at), add_working_days(starts_at, MINUTES_DUE_WORKING_DAYS)


def invitees_of(meeting: Meeting) -> QuerySet[User]:
    """The people told about a meeting: the invited persons and the handlers of the invited units."""
    invited = MeetingInvitee.objects.filter(meeting=meeting)
    return User.objects.filter(is_active=True).filter(
        Q(pk__in=invited.filter(user__isnull=False).values("user_id"))
        | Q(unit_id__in=invited.filter(unit__isnull=False).values("unit_id"), groups__name=Role.UNIT_HANDLER)
    )


def organisers_of(meeting: Meeting) -> QuerySet[User]:
    """The organiser, or district staff when the meeting has none (the scheduler creates it so)."""
    people = User.objects.filter(is_active=True)
    if meeting.organiser_id:
        return people.filter(pk=meeting.organiser_id)
    return people.filter(groups__name=Role.DISTRICT_STAFF)


def notify_about_meeting(*, meeting: Meeting, recipients: QuerySet[User], subject: str, body: str = "") -> int:
    return notify(recipients=recipients, target=meeting, subject=f"[{meeting.title}] {subject}", body=body)


def invitee_rows(meeting: Meeting, chain: Chain) -> list[MeetingInvitee]:
    """Who a chain's meeting invites (§4.7): its leaders, its lead and cooperating units and its
    industry party committee."""
    rows = [
        MeetingInvitee(meeting=meeting, role=InviteeRole.LEADER, user_id=pk)
        for pk in chain.leaderships.values_list("user_id", flat=True)
    ]
    rows.append(MeetingInvitee(meeting=meeting, role=InviteeRole.LEAD_UNIT, unit_id=chain.lead_unit_id))
    rows += [
        MeetingInvitee(meeting=meeting, role=InviteeRole.COOPERATING_UNIT, unit_id=pk)
        for pk in chain.cooperating_units.values_list("pk", flat=True)
        if pk != chain.lead_unit_id
    ]
    if chain.industry_committee_id and chain.industry_committee_id != chain.lead_unit_id:
        rows.append(
            MeetingInvitee(meeting=meeting, role=InviteeRole.INDUSTRY_COMMITTEE, unit_id=chain.industry_committee_id)
        )
    return rows


def check_in_quarter(starts_at: datetime | None, quarter: str, *, field: str = "starts_at") -> dict:
    if starts_at is None:
        return {field: [_("This field is required.")]}
    q = parse_quarter(quarter)
    day = timezone.localtime(starts_at, SHANGHAI).date()
    if not q.contains(day):
        return {
            field: [
                _("The meeting of %(quarter)s must take place between %(first)s and %(last)s.")
                % {"quarter": q, "first": q.first_day.isoformat(), "last": q.last_day.isoformat()}
            ]
        }
    return {}


# --- the agenda -----------------------------------------------------------------------------------
CANDIDATE_FIELDS = ("pk", "number", "title", "reached_leader", "escalated", "is_overdue", "joint_open", "unsatisfied")


def _reasons(reached_leader: bool, escalated: bool, is_overdue: bool, joint_open: bool, unsatisfied: bool) -> list[str]:
    flags = (
        (AgendaReason.REACHED_LEADER, reached_leader),
        (AgendaReason.ESCALATED, escalated and not reached_leader),
        (AgendaReason.OVERDUE, is_overdue),
        (AgendaReason.JOINT_OPEN, joint_open),
        (AgendaReason.UNSATISFIED, unsatisfied),
    )
    return [str(code) for code, flag in flags if flag]


def refresh_agenda(meeting: Meeting, *, at: datetime | None = None) -> None:
    """Bring the automatic part of an upcoming meeting's agenda up to date with the chain's issues
    (§4.7): open issues past their deadline, escalated ones (those that reached the chain leader
    first), joint handling still open, unsatisfied ratings. An item added by hand stays; an automatic
    item whose issue no longer qualifies goes. Frozen once the meeting is held (never called then).
    Rows as tuples, not model instances: a chain may have thousands of such issues (bench_meetings)."""
    if meeting.status not in UPCOMING:
        return
    at = at or timezone.now()
    wanted = {
        row[0]: row for row in list_agenda_candidates(chain_id=meeting.chain_id, at=at).values_list(*CANDIDATE_FIELDS)
    }
    added = AgendaReason.ADDED.value
    gone, changed = [], []
    items = meeting.agenda_items.filter(issue__isnull=False).values_list(
        "pk", "issue_id", "reasons", "added_by_id", "discussion"
    )
    present = set()
    for pk, issue_id, reasons, added_by_id, discussion in items:
        present.add(issue_id)
        manual = added_by_id is not None or added in reasons
        if issue_id in wanted:
            should = _reasons(*wanted[issue_id][3:]) + ([added] if manual else [])
        elif manual or discussion:
            should = [added] if manual else reasons
        else:
            gone.append(pk)
            continue
        if should != reasons:
            changed.append(AgendaItem(pk=pk, reasons=should))
    if gone:
        AgendaItem.objects.filter(pk__in=gone).delete()
    if changed:
        AgendaItem.objects.bulk_update(changed, ["reasons"], batch_size=500)
    new = [
        AgendaItem(meeting=meeting, issue_id=pk, title=f"{number} {title}"[:200], reasons=_reasons(*flags))
        for pk, number, title, *flags in wanted.values()
        if pk not in present
    ]
    # ignore_conflicts: two refreshes of one meeting at once add each issue once (agenda_issue_once).
    AgendaItem.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)


@transaction.atomic
def add_agenda_item(
    *, meeting_id: int, actor: User, issue_id: object = None, title: str = "", at: datetime | None = None
) -> AgendaItem:
    """An item added by hand: staff any item (an issue of the chain, or a topic of their own), the
    chain leader any open issue of the chain (§4.7)."""
    meeting = lock_for(meeting_id, Action.ADD_ITEM, actor)
    errors: dict = {}
    title, title_errors = _text("title", title, required=False, max_length=200)
    issue = None
    if parse_id(issue_id) is not None:
        issue = find_by_id(Issue.objects.filter(chain_id=meeting.chain_id, status__in=OPEN_STATUSES), issue_id)
        if issue is None:
            errors["issue"] = [_("Choose an open issue of this chain.")]
        elif meeting.agenda_items.filter(issue=issue).exists():
            errors["issue"] = [_("This issue is on the agenda already.")]
    elif not actor.is_district_staff:
        errors["issue"] = [_("Choose an open issue of this chain.")]
    elif not title:
        errors.update({"title": [_("Name the item, or choose an issue.")]})
    errors.update(title_errors)
    if errors:
        raise ValidationError(errors)
    item = AgendaItem.objects.create(
        meeting=meeting,
        issue=issue,
        title=(title or f"{issue.number} {issue.title}" if issue else title)[:200],
        reasons=[AgendaReason.ADDED.value],
        added_by=actor,
    )
    refresh_agenda(meeting, at=at)
    item.refresh_from_db()
    return item


def next_meeting_of(chain_id: int | None) -> Meeting | None:
    """The chain's next meeting not yet held: the earliest one planned or rescheduled."""
    if chain_id is None:
        return None
    return Meeting.objects.filter(chain_id=chain_id, status__in=UPCOMING).order_by("starts_at", "pk").first()


def add_issue_to_next_meeting(*, actor: User, issue_id: int) -> AgendaItem:
    """From an issue's page: the issue goes on its chain's next meeting (§4.7). The caller has
    fetched the issue from the actor's scope."""
    issue = Issue.objects.filter(pk=issue_id).only("chain_id").first()
    meeting = next_meeting_of(issue.chain_id if issue else None)
    if meeting is None:
        raise ValidationError({"issue": [_("The chain has no meeting planned.")]})
    return add_agenda_item(meeting_id=meeting.pk, actor=actor, issue_id=issue_id)


# --- the workflow -----------------------------------------------------------------------------------
@transaction.atomic
def reschedule_meeting(
    *, meeting_id: int, actor: User, starts_at: datetime, place: str | None = None, at: datetime | None = None
) -> Meeting:
    meeting = lock_for(meeting_id, Action.RESCHEDULE, actor)
    now = at or timezone.now()
    errors = check_in_quarter(starts_at, meeting.quarter)
    if not errors and starts_at < now:
        errors = {"starts_at": [_("The new date is in the past.")]}
    place_value, place_errors = _text("place", place, required=False, max_length=200)
    errors.update(place_errors)
    if errors:
        raise ValidationError(errors)
    meeting.status = Status.RESCHEDULED
    meeting.starts_at = starts_at
    if place is not None and place_value:
        meeting.place = place_value
    meeting.remind_at, meeting.minutes_due_at = reminder_instants(starts_at)
    meeting.schedule_version += 1  # the reminders of the new date are due again
    meeting.save(
        update_fields=["status", "starts_at", "place", "remind_at", "minutes_due_at", "schedule_version", "updated_at"]
    )
    local = timezone.localtime(starts_at, SHANGHAI)
    notify_about_meeting(
        meeting=meeting,
        recipients=invitees_of(meeting),
        subject=_("Rescheduled to %(at)s") % {"at": local.strftime("%Y-%m-%d %H:%M")},
        body=meeting.place,
    )
    return meeting


def _attendance_rows(meeting: Meeting, attendance: Iterable[Mapping] | None) -> tuple[list[Attendance], dict]:
    rows, errors = [], {}
    for index, entry in enumerate(attendance or []):
        name = str(entry.get("name") or "").strip()
        unit_name = str(entry.get("unit_name") or entry.get("unit") or "").strip()
        if not name:
            errors[f"attendance.{index}.name"] = [_("This field is required.")]
        elif len(name) > 100 or len(unit_name) > 200:
            errors[f"attendance.{index}.name"] = [_("A name has at most 100 characters, a unit 200.")]
        rows.append(Attendance(meeting=meeting, name=name, unit_name=unit_name, user_id=entry.get("user_id")))
    return rows, errors


def _write_minutes(meeting: Meeting, summary: str, rows: list[Attendance], now: datetime) -> None:
    meeting.summary = summary
    meeting.minutes_recorded_at = now
    meeting.status = Status.MINUTED
    if rows:
        meeting.attendance.all().delete()
        Attendance.objects.bulk_create(rows)


@transaction.atomic
def hold_meeting(
    *,
    meeting_id: int,
    actor: User,
    summary: str = "",
    attendance: Iterable[Mapping] | None = None,
    at: datetime | None = None,
) -> Meeting:
    """The meeting took place. Its agenda is refreshed one last time and frozen. With the minutes
    (`summary`, and who came) it is minuted at once; without them the organiser is reminded."""
    meeting = lock_for(meeting_id, Action.HOLD, actor)
    now = at or timezone.now()
    summary, errors = _text("summary", summary, required=False, max_length=MAX_TEXT)
    rows, attendance_errors = _attendance_rows(meeting, attendance)
    errors.update(attendance_errors)
    if rows and not summary:
        errors["summary"] = [_("Minutes with attendance need their text as well.")]
    if errors:
        raise ValidationError(errors)
    refresh_agenda(meeting, at=now)
    meeting.status = Status.HELD
    meeting.held_at = meeting.starts_at
    meeting.agenda_frozen_at = now
    if summary:
        _write_minutes(meeting, summary, rows, now)
    meeting.save(
        update_fields=["status", "held_at", "agenda_frozen_at", "summary", "minutes_recorded_at", "updated_at"]
    )
    if meeting.status == Status.MINUTED:
        notify_about_meeting(meeting=meeting, recipients=invitees_of(meeting), subject=_("The minutes are recorded"))
    return meeting


@transaction.atomic
def record_minutes(
    *,
    meeting_id: int,
    actor: User,
    summary: str,
    attendance: Iterable[Mapping] | None = None,
    at: datetime | None = None,
) -> Meeting:
    meeting = lock_for(meeting_id, Action.RECORD_MINUTES, actor)
    summary, errors = _text("summary", summary, required=True, max_length=MAX_TEXT)
    rows, attendance_errors = _attendance_rows(meeting, attendance)
    errors.update(attendance_errors)
    if errors:
        raise ValidationError(errors)
    _write_minutes(meeting, summary, rows, at or timezone.now())
    meeting.save(update_fields=["status", "summary", "minutes_recorded_at", "updated_at"])
    notify_about_meeting(meeting=meeting, recipients=invitees_of(meeting), subject=_("The minutes are recorded"))
    return meeting


@transaction.atomic
def discuss_item(*, meeting_id: int, actor: User, agenda_item_id: object, discussion: str) -> AgendaItem:
    """What was discussed for one agenda item."""
    meeting = lock_for(meeting_id, Action.DISCUSS, actor)
    errors: dict = {}
    item = find_by_id(meeting.agenda_items.all(), agenda_item_id)
    if item is None:
        errors["agenda_item"] = [_("Choose an item of this meeting's agenda.")]
    discussion, text_errors = _text("discussion", discussion, required=True, max_length=10_000)
    errors.update(text_errors)
    if errors or item is None:
        raise ValidationError(errors)
    item.discussion = discussion
    item.save(update_fields=["discussion"])
    return item


def _default_category(issue: Issue | None) -> str | None:
    if issue is not None:
        return issue.category.code
    category = IssueCategory.objects.filter(is_active=True, kind=CategoryKind.REQUEST).order_by("pk").first()
    return category.code if category else None


@transaction.atomic
def record_decision(
    *,
    meeting_id: int,
    actor: User,
    text: str,
    agenda_item_id: object = None,
    follow_up_unit_id: object = None,
    follow_up_due: date | None = None,
    enterprise_id: object = None,
    updated_issue_id: object = None,
    at: datetime | None = None,
) -> Decision:
    """A decision of the minutes. With a follow-up unit (and its deadline) it opens a supervised
    issue in the issue workflow, linked back to this meeting (§4.7): for the enterprise of the agenda
    item's issue, or the one named. With `updated_issue_id` it updates an open issue of the chain: the
    decision is written on its timeline. Every field is checked before anything is written."""
    meeting = lock_for(meeting_id, Action.DECIDE, actor)
    now = at or timezone.now()
    text, errors = _text("text", text, required=True, max_length=5000)
    item = None
    if parse_id(agenda_item_id) is not None:
        item = find_by_id(meeting.agenda_items.select_related("issue__category"), agenda_item_id)
        if item is None:
            errors["agenda_item"] = [_("Choose an item of this meeting's agenda.")]
    chain_issues = Issue.objects.filter(chain_id=meeting.chain_id)
    updated = None
    if parse_id(updated_issue_id) is not None:
        updated = find_by_id(chain_issues.filter(status__in=OPEN_STATUSES), updated_issue_id)
        if updated is None:
            errors["updated_issue"] = [_("Choose an open issue of this chain.")]
    follow_up = parse_id(follow_up_unit_id) is not None or follow_up_due is not None
    item_issue = item.issue if item is not None else None
    enterprise = parse_id(enterprise_id) or (item_issue.enterprise_id if item_issue else None)
    unit = find_by_id(Unit.objects.filter(is_active=True), follow_up_unit_id)
    plan = issue_services.FollowUp(
        enterprise_id=enterprise or 0,
        chain_id=meeting.chain_id,
        category_code=_default_category(item_issue),
        title=_follow_up_title(text),
        description=f"{text}\n\n— {meeting.title} ({meeting.get_absolute_url()})",
        lead_unit_id=follow_up_unit_id,
        due_on=follow_up_due,
    )
    if follow_up:
        if parse_id(follow_up_unit_id) is None:
            errors["follow_up_unit"] = [_("A follow-up needs the unit that does it.")]
        if enterprise is None and "agenda_item" not in errors:
            errors["enterprise"] = [_("Name the enterprise the follow-up is for, or decide on an item with an issue.")]
        try:
            issue_services.validate_supervised_issue(actor=actor, follow_up=plan, at=now)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = {"lead_unit": "follow_up_unit", "due_on": "follow_up_due"}.get(field, field)
                if name == "enterprise" and "enterprise" in errors:
                    continue
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    decision = Decision(meeting=meeting, agenda_item=item, text=text, decided_by=actor, updated_issue=updated)
    if follow_up and unit is not None:
        decision.follow_up_unit = unit
        decision.follow_up_due = follow_up_due
        decision.follow_up_issue = issue_services.open_supervised_issue(
            actor=actor,
            follow_up=plan,
            note=_("Decided at %(meeting)s") % {"meeting": meeting.title},
            at=now,
        )
    decision.save()
    if updated is not None:
        issue_services.comment_on_issue(
            issue_id=updated.pk,
            actor=actor,
            text=_("Decision of %(meeting)s: %(text)s") % {"meeting": meeting.title, "text": text},
            public=False,
        )
    return decision


def _follow_up_title(text: str) -> str:
    return (_("Meeting decision: %(text)s") % {"text": text.splitlines()[0] if text else ""})[:200]


@transaction.atomic
def cancel_meeting(*, meeting_id: int, actor: User, reason: str) -> Meeting:
    meeting = lock_for(meeting_id, Action.CANCEL, actor)
    reason, errors = _text("reason", reason, required=True, max_length=2000)
    if errors:
        raise ValidationError(errors)
    meeting.status = Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    notify_about_meeting(meeting=meeting, recipients=invitees_of(meeting), subject=_("Cancelled"), body=reason)
    return meeting


# --- calendar feeds ------------------------------------------------------------------------------
@transaction.atomic
def create_calendar_feed(*, actor: User) -> CalendarFeed:
    """A new feed URL for the actor; the old one, if any, stops working (404)."""
    revoke_calendar_feed(actor=actor)
    return CalendarFeed.objects.create(user=actor, token=secrets.token_urlsafe(32))


@transaction.atomic
def revoke_calendar_feed(*, actor: User) -> int:
    return CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
