"""The meetings demo, on top of the chains and issues demos (design §4.7): last quarter's meetings
held, with attendance, minutes, a discussion per agenda item and decisions — one of them a follow-up
that opened a supervised issue — and this quarter's meetings planned, all through the services, so
their invitations, agendas and timelines are the real ones. This quarter's meetings whose date has
passed, or that staff moved earlier, are held (one still without minutes); the rest are planned.

Idempotent: the scheduler creates nothing that exists; a meeting already held is left as it is, and
decisions are recorded only for a meeting that has none. A second run writes nothing."""

from collections import Counter
from datetime import datetime, time, timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from chainparty.dates import SHANGHAI
from chains.models import ChainMembership
from meetings import services
from meetings.models import UPCOMING, InviteeRole, Meeting, Status
from meetings.quarters import Quarter, quarter_of
from meetings.sweep import schedule_quarterly_meetings
from workdays.calendar import is_working_day, next_working_day, previous_working_day

PLACE = "区委党校第一会议室"
SUMMARY = (
    "会议听取了牵头部门关于本季度产业链党建工作和企业诉求办理情况的汇报，链长逐项研究了议程所列问题。"
    "会议要求各牵头部门和配合单位压实责任，对逾期和督办事项限期办结，并在下次会议上报告办理结果。"
)
DISCUSSION = "牵头部门汇报办理进展，配合单位表态支持，链长要求限期办结。"
GENERAL_DECISION = "同意各牵头部门下季度重点工作安排，由区委两新工委汇总印发。"
FOLLOW_UP = "由牵头部门会同配合单位专题协调解决，形成书面意见报区委两新工委"
FOLLOW_UP_DAYS = 30


def seed_meeting_demo() -> Counter:
    created: Counter = Counter()
    staff = User.objects.filter(username="staff").first()
    if staff is None:
        raise CommandError("The chains demo is not loaded: run `manage.py seed_demo` first.")
    now = timezone.now()
    this_quarter = quarter_of(now)
    with transaction.atomic():
        created["meetings (last quarter)"] += len(schedule_quarterly_meetings(quarter=this_quarter.previous(), at=now))
        for meeting in Meeting.objects.filter(quarter=str(this_quarter.previous())).select_related("chain"):
            if meeting.status in UPCOMING:
                _hold(meeting, staff, created, now)
            if not meeting.decisions.exists() and meeting.status != Status.CANCELLED:
                _decide(meeting, staff, now, created)
        created["meetings (this quarter)"] += len(schedule_quarterly_meetings(quarter=this_quarter, at=now))
        _this_quarter(this_quarter, staff, now, created)
    return +created


def _this_quarter(quarter: Quarter, staff: User, now, created: Counter) -> None:
    """This quarter, as a district has it part-way through: about half the chains' meetings held —
    all but one minuted (that one's minutes still due, for the organiser's to-do list) — the rest
    planned. While the proposed date is still ahead, staff are taken to have moved some meetings to
    earlier dates at the start of the quarter (a reschedule dated then), so that some were held."""
    meetings = list(
        Meeting.objects.filter(quarter=str(quarter), status__in=UPCOMING)
        .select_related("chain")
        .order_by("chain__code")
    )
    if not meetings or Meeting.objects.filter(quarter=str(quarter)).exclude(status__in=UPCOMING).exists():
        return  # done on an earlier run (or by staff)
    past = [m for m in meetings if m.starts_at < now]
    ahead = [m for m in meetings if m.starts_at >= now]
    moved_on = datetime.combine(next_working_day(quarter.first_day - timedelta(days=1)), time(10, 0), SHANGHAI)
    for weeks, meeting in enumerate(ahead[: max(0, (len(meetings) + 1) // 2 - len(past))], start=1):
        day = timezone.localdate(now) - timedelta(days=7 * weeks)
        day = day if is_working_day(day) else previous_working_day(day)
        starts = datetime.combine(day, time(14, 30), SHANGHAI)
        if starts <= moved_on or starts + timedelta(hours=3) >= now:
            continue
        services.reschedule_meeting(meeting_id=meeting.pk, actor=staff, starts_at=starts, at=moved_on)
        past.append(meeting)
    past.sort(key=lambda m: m.chain.code)
    for number, meeting in enumerate(past):
        meeting.refresh_from_db()
        if number == 1:
            services.hold_meeting(
                meeting_id=meeting.pk, actor=staff, at=min(now, meeting.starts_at + timedelta(hours=2))
            )
            created["meetings held (minutes due)"] += 1
        else:
            _hold(meeting, staff, created, now)


def _attendance(meeting: Meeting) -> list[dict]:
    rows = []
    for invitee in meeting.invitees.select_related("user__unit", "unit").order_by("role", "pk"):
        if invitee.role == InviteeRole.LEADER and invitee.user:
            rows.append(
                {
                    "name": invitee.user.full_name or invitee.user.username,
                    "unit_name": invitee.user.unit.name if invitee.user.unit else "",
                }
            )
        elif invitee.unit:
            handler = invitee.unit.members.filter(groups__name=Role.UNIT_HANDLER).order_by("pk").first()
            name = (
                (handler.full_name or handler.username)
                if handler
                else f"{invitee.unit.short_name or invitee.unit.name}代表"
            )
            rows.append({"name": name, "unit_name": invitee.unit.name})
    return rows


def _hold(meeting: Meeting, staff: User, created: Counter, now) -> None:
    # Minuted the afternoon of the meeting (never later than now).
    services.hold_meeting(
        meeting_id=meeting.pk,
        actor=staff,
        summary=SUMMARY,
        attendance=_attendance(meeting),
        at=min(now, meeting.starts_at + timedelta(hours=2)),
    )
    for item in meeting.agenda_items.all():
        services.discuss_item(meeting_id=meeting.pk, actor=staff, agenda_item_id=item.pk, discussion=DISCUSSION)
    created["meetings held"] += 1


def _decide(meeting: Meeting, staff: User, now, created: Counter) -> None:
    services.record_decision(meeting_id=meeting.pk, actor=staff, text=GENERAL_DECISION)
    item = meeting.agenda_items.filter(issue__isnull=False).order_by("pk").first()
    enterprise_id = None
    if item is None:
        membership = ChainMembership.objects.filter(chain_id=meeting.chain_id).order_by("pk").first()
        enterprise_id = membership.enterprise_id if membership else None
        if enterprise_id is None:
            created["decisions"] += 1
            return
    services.record_decision(
        meeting_id=meeting.pk,
        actor=staff,
        text=FOLLOW_UP,
        agenda_item_id=item.pk if item else None,
        enterprise_id=enterprise_id,
        follow_up_unit_id=meeting.chain.lead_unit_id,
        follow_up_due=(timezone.localtime(now) + timedelta(days=FOLLOW_UP_DAYS)).date(),
    )
    created["decisions"] += 2
