"""Issue lives built in bulk by the services' rules: the demo's year (`seed_demo`, `--issues N`) and
the benchmark's issues (issues.bench) come from this one generator.

Each issue is played forward from its submission, step by step, with the deadline arithmetic of
issues.deadlines on the working-day calendar: accepted (or rejected), dispatched by transfer or joint
handling, signed for, parts replied by the co-handling units, an extension asked for and decided,
answered on time or late, rated (satisfied, basically, unsatisfied — which reopens it for a new
handling cycle) or closed unrated when the rating window ends. Whatever the sweep would have done on
the way — a warning one working day before a deadline, each rung of the escalation ladder — is
written as the sweep writes it (an IssueAlert and a timeline event, at the instant it fell due), and
those who oversee an escalated issue urge (催办) or supervise (督办) some of them. A step that falls
after `now` is not taken: the issue stays where it was then, so an old issue is mostly closed and a
recent one still open, as in a real district.

Not through the services (a year of issues through them takes minutes): the same rules, the same
rows, but no inbox notifications (the demo's curated issues, which do go through the services, fill
the demo accounts' inboxes). The timeline of every issue runs in order: each row is written at the
time it happened, the rows of one issue in that order.
"""

import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, UnitKind, User
from accounts.roles import Role
from chainparty.dates import SHANGHAI
from chains.models import Chain, ChainLeadership, ChainMembership, Enterprise, LeaderRole
from issues import deadlines
from issues.models import (
    AlertKind,
    DispatchMode,
    ExtensionRequest,
    ExtensionStatus,
    Issue,
    IssueAlert,
    IssueCategory,
    IssueEvent,
    IssueShare,
    Overseer,
    Rating,
    ReasonCode,
    RoutingRule,
    Satisfaction,
    ShareRole,
    ShareStatus,
    Status,
    Supervision,
    Urge,
)
from issues.workflow import Action
from workdays.calendar import add_working_days, is_working_day, next_working_day

BATCH = 5000
SWEEP_DELAY = timedelta(seconds=40)  # the sweep runs every minute: an alert lands within it
DAY_STARTS, DAY_ENDS = time(9, 0), time(17, 30)


@dataclass(frozen=True)
class Texts:
    """What an issue says: its title and description, the lead unit's answer, a co-unit's part."""

    title: str
    description: str
    answer: str
    part: str = "本单位职责范围内事项已办理完毕，意见已反馈牵头单位。"


@dataclass
class Mix:
    """The odds of each turn an issue's life may take."""

    recent: float = 0.12  # submitted within the last RECENT_DAYS working days (the rest over the period)
    reject: float = 0.04
    joint: float = 0.2
    late_accept: float = 0.08
    late_sign: float = 0.08
    extension: float = 0.12
    extension_granted: float = 0.8
    late_resolve: float = 0.22
    rated: float = 0.75
    urge: float = 0.5
    supervise: float = 0.6
    answer_supervision: float = 0.7


RECENT_DAYS = 25


@dataclass(frozen=True)
class World:
    """Who and what the generated issues are about, loaded once."""

    categories: list[IssueCategory]
    memberships: list[tuple[int, int]]  # (enterprise id, chain id)
    chains: dict[int, Chain]
    rules: dict[tuple[int, int | None], int]  # (category id, chain id or None) -> unit id
    handlers: dict[int, User]  # a unit handler of each staffed unit, by unit id
    committee_of: dict[int, int]  # unit id -> its industry party committee's unit id
    cooperating: dict[int, list[int]]  # chain id -> staffed cooperating unit ids
    departments: list[int]  # staffed economic departments
    leaders: dict[int, User]  # chain id -> its chain leader (链长)
    staff: User

    def lead_for(self, category: IssueCategory, chain_id: int) -> int:
        unit = self.rules.get((category.pk, chain_id)) or self.rules.get((category.pk, None))
        if unit is None or unit not in self.handlers:
            unit = self.chains[chain_id].lead_unit_id
        if unit not in self.handlers:
            unit = self.departments[0]
        return unit


def load_world() -> World:
    """The demo world's units, handlers, chains and enterprises; LookupError when it is not loaded."""
    handlers: dict[int, User] = {}
    for user in User.objects.filter(groups__name=Role.UNIT_HANDLER.value, is_active=True, unit__isnull=False).order_by(
        "pk"
    ):
        handlers.setdefault(user.unit_id, user)
    units = list(Unit.objects.filter(is_active=True))
    staff = User.objects.filter(username="staff").first()
    memberships = list(ChainMembership.objects.order_by("pk").values_list("enterprise_id", "chain_id"))
    departments = sorted(u.pk for u in units if u.kind == UnitKind.ECONOMIC_DEPARTMENT and u.pk in handlers)
    categories = list(IssueCategory.objects.filter(is_active=True).order_by("pk"))
    if staff is None or not memberships or not departments or not categories:
        raise LookupError("The demo world is not loaded: run `manage.py seed_demo` first.")
    chains = {c.pk: c for c in Chain.objects.order_by("pk")}
    cooperating: dict[int, list[int]] = {}
    for chain_id, unit_id in Chain.cooperating_units.through.objects.values_list("chain_id", "unit_id"):
        if unit_id in handlers:
            cooperating.setdefault(chain_id, []).append(unit_id)
    leaders: dict[int, User] = {}
    for leadership in ChainLeadership.objects.select_related("user").order_by("role", "pk"):
        if leadership.role == LeaderRole.LEADER or leadership.chain_id not in leaders:
            leaders.setdefault(leadership.chain_id, leadership.user)
    return World(
        categories=categories,
        memberships=memberships,
        chains=chains,
        rules={(r.category_id, r.chain_id): r.unit_id for r in RoutingRule.objects.all()},
        handlers=handlers,
        committee_of={u.pk: u.industry_committee_id for u in units if u.industry_committee_id},
        cooperating=cooperating,
        departments=departments,
        leaders=leaders,
        staff=staff,
    )


# --- time on the working-day calendar ------------------------------------------------------------------
def _local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def _at_work(day, rng: random.Random) -> datetime:
    """A random instant of office hours on the local `day`."""
    minutes = rng.randrange((DAY_ENDS.hour * 60 + DAY_ENDS.minute) - (DAY_STARTS.hour * 60 + DAY_STARTS.minute))
    start = datetime.combine(day, DAY_STARTS, tzinfo=SHANGHAI)
    return start + timedelta(minutes=minutes, seconds=rng.randrange(60))


def _after(moment: datetime, rng: random.Random, low_hours: float, high_hours: float) -> datetime:
    """Some office hours after `moment`: past the end of a working day it carries to the next one."""
    local = _local(moment)
    left = timedelta(hours=rng.uniform(low_hours, high_hours))
    while True:
        if not is_working_day(local.date()) or local.time() >= DAY_ENDS:
            local = datetime.combine(next_working_day(local.date()), DAY_STARTS, tzinfo=SHANGHAI)
            continue
        if local.time() < DAY_STARTS:
            local = datetime.combine(local.date(), DAY_STARTS, tzinfo=SHANGHAI)
        closing = datetime.combine(local.date(), DAY_ENDS, tzinfo=SHANGHAI)
        if local + left <= closing:
            return local + left
        left -= closing - local
        local = closing


def _on_day(moment: datetime, days: int, rng: random.Random) -> datetime:
    """An instant of office hours on the `days`-th working day after `moment`'s (never before it)."""
    day = add_working_days(moment, days).date()
    instant = _at_work(day, rng)
    return instant if instant > moment else _after(moment, rng, 0.2, 1.5)


def _between(start: datetime, end: datetime, rng: random.Random) -> datetime:
    """An instant of office hours between `start` and `end` (or just after `start` if none is)."""
    if end <= start:
        return _after(start, rng, 0.2, 1.0)
    for _attempt in range(6):
        candidate = _after(start + (end - start) * rng.random(), rng, 0.0, 0.0)
        if start < candidate <= end:
            return candidate
    return _after(start, rng, 0.2, 1.0)


# --- one issue's life ----------------------------------------------------------------------------------
@dataclass
class _Life:
    """An issue and every row of its history, unsaved, in the order they happened."""

    issue: Issue
    events: list[IssueEvent] = field(default_factory=list)
    shares: list[IssueShare] = field(default_factory=list)
    alerts: list[IssueAlert] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    extensions: list[ExtensionRequest] = field(default_factory=list)
    supervisions: list[Supervision] = field(default_factory=list)
    urges: list[Urge] = field(default_factory=list)
    # Events whose data names a supervision: filled with its id once it has one.
    naming: list[tuple[IssueEvent, Supervision]] = field(default_factory=list)

    def event(self, at: datetime, actor: User | None, action: str, before: str, *, note="", public=True, **data):
        issue = self.issue
        row = IssueEvent(
            actor=actor,
            action=action,
            from_status=before,
            to_status=issue.status,
            note=note,
            public=public,
            data=data,
            created_at=at,
        )
        self.events.append(row)
        return row


class _Player:
    """Plays issues forward to `now` by the services' rules (see the module docstring)."""

    def __init__(self, world: World, contacts: dict[int, User], now: datetime, rng: random.Random, mix: Mix):
        self.world, self.contacts, self.now, self.rng, self.mix = world, contacts, now, rng, mix
        self.labels = {kind: str(kind.label) for kind in AlertKind}

    def play(self, issue: Issue, submitted: datetime, texts: Texts) -> _Life:
        world, rng, mix = self.world, self.rng, self.mix
        life = _Life(issue)
        issue.status = Status.SUBMITTED
        issue.created_at = issue.updated_at = submitted
        deadlines.start_accept_clock(issue, submitted)
        life.event(submitted, issue.submitted_by, Action.SUBMIT, "", note=issue.title, session=None)
        late = rng.random() < mix.late_accept
        accepted = _on_day(submitted, rng.choice((1, 1, 2)), rng) if late else _after(submitted, rng, 0.3, 6)
        self._warn(life, AlertKind.WARN_ACCEPT, issue.accept_warn_at, issue.accept_due_at, accepted)
        if accepted > self.now:
            return self._done(life)
        before = issue.status
        if rng.random() < mix.reject:
            issue.status = Status.REJECTED
            issue.reject_reason = "经核实，该事项已通过司法程序处理，不属于本平台受理范围。"
            issue.closed_at = accepted
            life.event(accepted, world.staff, Action.REJECT, before, note=issue.reject_reason)
            return self._done(life)
        issue.status = Status.ACCEPTED
        issue.accepted_at = accepted
        life.event(accepted, world.staff, Action.ACCEPT, before)
        dispatched = _after(accepted, rng, 0.1, 1.5)
        if dispatched > self.now:
            return self._done(life)
        self._dispatch(life, dispatched)
        if not self._handle(life, texts, first=True):
            return self._done(life)
        return self._done(life)

    def _done(self, life: _Life) -> _Life:
        # What the sweep and the overseers did between two steps was played after the first of them:
        # in time order now (a stable sort: rows of one instant keep the order they were taken in).
        life.events.sort(key=lambda event: event.created_at)
        life.issue.updated_at = life.events[-1].created_at
        return life

    def _warn(self, life: _Life, kind, warn_at, due_at, until: datetime) -> None:
        """The sweep's warning, if the issue was still waiting when it fell due (never after the deadline)."""
        at = warn_at + SWEEP_DELAY
        done = any(a.kind == kind and a.cycle == life.issue.handling_cycle for a in life.alerts)
        if not done and min(until, self.now) > at and at < due_at:
            self._alert(life, kind, warn_at, at, action=Action.WARN, level=0)

    def _alert(self, life: _Life, kind, due_at, at, *, action, level: int, before: str | None = None) -> None:
        issue = life.issue
        # One sweep run per instant, as the schedule's (the id is what a run marks its alerts with).
        sweep = uuid.uuid5(uuid.NAMESPACE_URL, f"chainparty-sweep:{at.isoformat()}")
        life.alerts.append(IssueAlert(kind=kind, cycle=issue.handling_cycle, due_at=due_at, sweep=sweep, created_at=at))
        if level:
            issue.escalation_level = max(issue.escalation_level, level)
        single = {AlertKind.WARN_ACCEPT: Status.SUBMITTED, AlertKind.WARN_SIGN: Status.DISPATCHED}
        from_status = before if before is not None else single.get(kind, "")
        life.event(
            at,
            None,
            action,
            from_status,
            note=self.labels[kind],
            public=kind == AlertKind.CLOSE_UNRATED,
            alert=str(kind),
            level=level,
        )

    def _dispatch(self, life: _Life, at: datetime) -> None:
        world, rng, issue = self.world, self.rng, life.issue
        lead = world.lead_for(issue.category, issue.chain_id)
        co: list[int] = []
        if rng.random() < self.mix.joint:
            pool = [u for u in world.cooperating.get(issue.chain_id, []) + world.departments if u != lead]
            co = sorted(set(rng.sample(sorted(set(pool)), min(len(set(pool)), rng.choice((1, 1, 2))))))
        before = issue.status
        issue.status = Status.DISPATCHED
        issue.dispatch_mode = DispatchMode.JOINT if co else DispatchMode.TRANSFER
        issue.lead_unit_id = lead
        issue.dispatched_at = at
        deadlines.start_handling_clocks(issue, at)
        deadlines.begin_handling_cycle(issue)
        co_due = deadlines.co_part_due(issue, at) if co else None
        life.shares.append(
            IssueShare(
                unit_id=lead,
                role=ShareRole.LEAD,
                sign_due_at=issue.sign_due_at,
                due_at=issue.resolve_due_at,
                created_at=at,
            )
        )
        for unit in co:
            life.shares.append(
                IssueShare(unit_id=unit, role=ShareRole.CO, sign_due_at=issue.sign_due_at, due_at=co_due, created_at=at)
            )
        note = "牵头单位会同会办单位办理，请按时反馈会办意见。" if co else ""
        life.event(
            at, world.staff, Action.DISPATCH, before, note=note, mode=issue.dispatch_mode, lead_unit=lead, co_units=co
        )

    def _handle(self, life: _Life, texts: Texts, *, first: bool) -> bool:
        """Sign for (first cycle), reply the parts, maybe an extension, resolve, be rated; False when
        `now` comes first. The ladder climbs meanwhile if the answer is late."""
        world, rng, mix, issue = self.world, self.rng, self.mix, life.issue
        lead_share = life.shares[0]
        lead_handler = world.handlers[issue.lead_unit_id]
        clock = life.events[-1].created_at
        if first:
            late = rng.random() < mix.late_sign
            signed = _on_day(clock, rng.choice((1, 2)), rng) if late else _after(clock, rng, 0.2, 5)
            if not self._reach(life, signed):
                return False
            before = issue.status
            issue.status = Status.IN_PROGRESS
            issue.signed_at = signed
            lead_share.status, lead_share.signed_at = ShareStatus.SIGNED, signed
            life.event(signed, lead_handler, Action.SIGN, before, unit=issue.lead_unit_id, role=ShareRole.LEAD)
            clock = signed
            for share in life.shares[1:]:
                at = _after(clock, rng, 0.2, 6)
                if not self._reach(life, at):
                    return False
                share.status, share.signed_at = ShareStatus.SIGNED, at
                life.event(
                    at, world.handlers[share.unit_id], Action.SIGN, issue.status, unit=share.unit_id, role=ShareRole.CO
                )
                clock = at
            if issue.category.kind != "inquiry" and rng.random() < mix.extension:
                clock = self._extension(life, clock)
                if clock is None:
                    return False
        # When the answer comes: within the deadline, or some working days after it.
        late = rng.random() < (mix.late_resolve if first else mix.late_resolve / 2)
        if late:
            resolved = _on_day(issue.resolve_due_at, rng.randrange(1, 11), rng)
        else:
            resolved = _between(clock, issue.resolve_due_at - timedelta(hours=7), rng)
        for share in life.shares[1:]:
            if share.status != ShareStatus.SIGNED:
                continue
            at = _between(clock, min(resolved, share.due_at) - timedelta(minutes=30), rng)
            if not self._reach(life, at):
                return False
            share.status, share.reply, share.replied_at = ShareStatus.REPLIED, texts.part, at
            life.event(
                at,
                world.handlers[share.unit_id],
                Action.REPLY_PART,
                issue.status,
                note=texts.part,
                public=False,
                unit=share.unit_id,
            )
            clock = at
        resolved = max(resolved, _after(clock, rng, 0.3, 3))
        if not self._reach(life, resolved):
            return False
        before = issue.status
        issue.status = Status.RESOLVED
        issue.answer = texts.answer
        issue.resolved_at = resolved
        deadlines.start_rating_clock(issue, resolved)
        lead_share.status, lead_share.reply, lead_share.replied_at = ShareStatus.REPLIED, texts.answer, resolved
        life.event(resolved, lead_handler, Action.RESOLVE, before, note=texts.answer)
        for request in life.extensions:
            if request.status == ExtensionStatus.PENDING:
                request.status, request.decided_at = ExtensionStatus.WITHDRAWN, resolved
                request.decision_note = _("Withdrawn: the lead unit answered the issue.")
        return self._rating(life, texts, first=first, late=resolved > issue.resolve_due_at)

    def _extension(self, life: _Life, clock: datetime) -> datetime | None:
        """延期: asked for early in the handling, decided by district staff the same or next day."""
        world, rng, issue = self.world, self.rng, life.issue
        asked = _after(clock, rng, 2, 16)
        if asked >= issue.resolve_warn_at - timedelta(hours=20):
            return clock  # too near the deadline to be worth it in the demo: no request
        if not self._reach(life, asked):
            return None
        handler = world.handlers[issue.lead_unit_id]
        days = rng.choice((3, 5, 5, 10))
        reason = "涉及跨部门联合审查，需待上级主管部门批复，申请延期办理。"
        request = ExtensionRequest(
            unit_id=issue.lead_unit_id, requested_by=handler, days=days, reason=reason, created_at=asked
        )
        life.extensions.append(request)
        life.event(asked, handler, Action.REQUEST_EXTENSION, issue.status, note=reason, public=False, days=days)
        decided = _after(asked, rng, 0.5, 8)
        if decided >= issue.resolve_warn_at:
            return asked  # left pending; the answer will withdraw it
        if not self._reach(life, decided):
            return None
        grant = rng.random() < self.mix.extension_granted
        request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.DENIED
        request.decided_by, request.decided_at = world.staff, decided
        request.decision_note = "同意延期，请按新期限办结。" if grant else "事项不复杂，请按原期限办结。"
        if grant:
            deadlines.extend_resolve_deadline(issue, days)
            deadlines.begin_handling_cycle(issue)
            life.shares[0].due_at = issue.resolve_due_at
            life.event(
                decided, world.staff, Action.EXTEND, issue.status, resolve_due_at=issue.resolve_due_at.isoformat()
            )
        life.event(
            decided,
            world.staff,
            Action.DECIDE_EXTENSION,
            issue.status,
            note=request.decision_note,
            public=False,
            granted=grant,
            days=days,
            resolve_due_at=issue.resolve_due_at.isoformat(),
        )
        return decided

    def _reach(self, life: _Life, until: datetime) -> bool:
        """What the sweep did while the issue was being handled, up to `until` (the next step): the
        warnings, the ladder's rungs, each rung followed by some oversight. False when `now` comes
        before `until` (the step is not taken)."""
        issue = life.issue
        end = min(until, self.now)
        if issue.status in (Status.DISPATCHED, Status.IN_PROGRESS):
            if issue.status == Status.DISPATCHED:
                self._warn(life, AlertKind.WARN_SIGN, issue.sign_warn_at, issue.sign_due_at, end)
            self._warn(life, AlertKind.WARN_RESOLVE, issue.resolve_warn_at, issue.resolve_due_at, end)
            done = {a.kind for a in life.alerts if a.cycle == issue.handling_cycle}
            rungs = (
                (AlertKind.ESCALATE_1, issue.resolve_due_at, 1),
                (AlertKind.ESCALATE_2, issue.escalate_2_at, 2),
                (AlertKind.ESCALATE_3, issue.escalate_3_at, 3),
            )
            for kind, due, level in rungs:
                at = due + SWEEP_DELAY
                if kind in done or at >= end:
                    continue
                self._alert(life, kind, due, at, action=Action.ESCALATE, level=level)
                self._oversee(life, level, at, end)
        return until <= self.now

    def _oversee(self, life: _Life, level: int, escalated: datetime, end: datetime) -> None:
        world, rng, mix, issue = self.world, self.rng, self.mix, life.issue
        at = _after(escalated, rng, 1, 12)
        if at >= end:
            return
        if level == 2 and issue.chain_id in world.leaders and rng.random() < mix.supervise:
            leader = world.leaders[issue.chain_id]
            reply_by = _local(add_working_days(at, 3)).date()
            instruction = "请牵头单位三个工作日内说明办理进展及未按期办结的原因，并答复企业。"
            supervision = Supervision(
                unit_id=issue.lead_unit_id,
                by=Overseer.CHAIN_LEADER,
                supervised_by=leader,
                instruction=instruction,
                reply_by=reply_by,
                created_at=at,
            )
            life.supervisions.append(supervision)
            issue.supervised_at = at
            event = life.event(
                at,
                leader,
                Action.SUPERVISE,
                issue.status,
                note=instruction,
                public=False,
                by=Overseer.CHAIN_LEADER.value,
                reply_by=reply_by.isoformat(),
                report=False,
                supervision=None,
            )
            life.naming.append((event, supervision))
            answered = _on_day(at, rng.choice((1, 2, 3, 4)), rng)
            if answered < end and rng.random() < mix.answer_supervision:
                handler = world.handlers[issue.lead_unit_id]
                reply = "已召开专题协调会，明确了办理路径，将于近期答复企业。"
                supervision.reply, supervision.replied_by, supervision.replied_at = reply, handler, answered
                late = reply_by < _local(answered).date()
                event = life.event(
                    answered,
                    handler,
                    Action.ANSWER_SUPERVISION,
                    issue.status,
                    note=reply,
                    public=False,
                    supervision=None,
                    late=late,
                )
                life.naming.append((event, supervision))
            return
        urgers = {1: Overseer.COMMITTEE, 3: Overseer.DISTRICT}
        if level not in urgers or rng.random() >= mix.urge:
            return
        if level == 1:
            committee = world.committee_of.get(issue.lead_unit_id)
            actor = world.handlers.get(committee) if committee else None
            note = "请抓紧办理，尽快答复企业。"
        else:
            actor, note = world.staff, "已逾期多日，请牵头单位本周内给出办理结果。"
        if actor is None:
            return
        life.urges.append(Urge(unit_id=issue.lead_unit_id, by=urgers[level], urged_by=actor, note=note, created_at=at))
        life.event(
            at,
            actor,
            Action.URGE,
            issue.status,
            note=note,
            public=False,
            by=urgers[level].value,
            units=[issue.lead_unit_id],
        )

    def _rating(self, life: _Life, texts: Texts, *, first: bool, late: bool) -> bool:
        rng, mix, issue = self.rng, self.mix, life.issue
        resolved = issue.resolved_at
        if rng.random() >= mix.rated:
            # Unrated: the sweep closes it when the rating window ends.
            closing = issue.rate_due_at + SWEEP_DELAY
            if closing > self.now:
                return False
            issue.status, issue.closed_at = Status.CLOSED, closing
            self._alert(
                life,
                AlertKind.CLOSE_UNRATED,
                issue.rate_due_at,
                closing,
                action=Action.CLOSE,
                level=0,
                before=Status.RESOLVED,
            )
            return True
        rated = _between(resolved, issue.rate_due_at - timedelta(hours=8), rng)
        if rated > self.now:
            return False
        odds = (0.45, 0.7) if late else (0.75, 0.92)
        draw = rng.random()
        if not first:  # reopened once already: the second answer settles it
            draw = min(draw, odds[1] - 0.01)
        satisfaction = (
            Satisfaction.SATISFIED
            if draw < odds[0]
            else Satisfaction.BASICALLY
            if draw < odds[1]
            else Satisfaction.UNSATISFIED
        )
        codes: list[str] = []
        comment = {
            Satisfaction.SATISFIED: "办理及时，感谢！",
            Satisfaction.BASICALLY: "问题基本解决，希望后续跟进。",
        }.get(satisfaction, "")
        if satisfaction == Satisfaction.UNSATISFIED:
            codes = [ReasonCode.SLOW.value] if late else []
            codes.append(rng.choice((ReasonCode.NOT_SOLVED, ReasonCode.UNCLEAR)).value)
            comment = "答复未解决实际问题，请重新办理。"
        contact = self.contacts[issue.enterprise_id]
        life.ratings.append(
            Rating(rated_by=contact, satisfaction=satisfaction, reason_codes=codes, comment=comment, created_at=rated)
        )
        before = issue.status
        if satisfaction != Satisfaction.UNSATISFIED:
            issue.status, issue.closed_at = Status.CLOSED, rated
            life.event(
                rated, contact, Action.RATE, before, note=comment, satisfaction=satisfaction.value, reason_codes=codes
            )
            return True
        # 重办: a new handling cycle with the category's full resolve time, the parts asked for again.
        issue.status = Status.IN_PROGRESS
        issue.reopen_count += 1
        issue.rate_due_at = None
        issue.answer, issue.resolved_at = "", None
        deadlines.restart_resolve_clock(issue, rated)
        deadlines.begin_handling_cycle(issue)
        life.shares[0].status, life.shares[0].due_at = ShareStatus.SIGNED, issue.resolve_due_at
        co_due = deadlines.co_part_due(issue, rated)
        for share in life.shares[1:]:
            if share.status == ShareStatus.REPLIED:
                share.status, share.due_at, share.replied_at = ShareStatus.SIGNED, co_due, None
        life.event(
            rated, contact, Action.RATE, before, note=comment, satisfaction=satisfaction.value, reason_codes=codes
        )
        return self._handle(life, texts, first=False)


# --- writing them ---------------------------------------------------------------------------------------
@contextmanager
def _dated_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the creation times set on the rows (auto_now_add would stamp "now")."""
    switched = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                switched.append((f, f.auto_now_add, f.auto_now))
                f.auto_now_add = f.auto_now = False
    try:
        yield
    finally:
        for f, add, now in switched:
            f.auto_now_add, f.auto_now = add, now


def ensure_contacts(enterprise_ids: set[int]) -> dict[int, User]:
    """A contact of each enterprise (its demo contact account, or a person who is not a login)."""
    contacts: dict[int, User] = {}
    for user in User.objects.filter(
        enterprise_id__in=enterprise_ids, groups__name=Role.ENTERPRISE_CONTACT.value
    ).order_by("pk"):
        contacts.setdefault(user.enterprise_id, user)
    missing = sorted(enterprise_ids - set(contacts))
    if missing:
        codes = dict(Enterprise.objects.filter(pk__in=missing).values_list("pk", "credit_code"))
        unusable = make_password(None)
        people = [
            User(username=f"contact.{codes[pk].lower()}", full_name="企业联系人", enterprise_id=pk, password=unusable)
            for pk in missing
        ]
        User.objects.bulk_create(people, batch_size=BATCH)
        people = list(User.objects.filter(username__in=[p.username for p in people]))
        group = User.groups.field.related_model.objects.get(name=Role.ENTERPRISE_CONTACT.value)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=p.pk, group_id=group.pk) for p in people], batch_size=BATCH
        )
        contacts.update({p.enterprise_id: p for p in people})
    return contacts


def generate(
    *,
    indexes: range,
    texts: Callable[[int, IssueCategory, random.Random], Texts],
    key: Callable[[int], str | None],
    seed: int,
    mix: Mix | None = None,
    days: int = 365,
    now: datetime | None = None,
    log: Callable[[str], Any] | None = None,
) -> int:
    """Write the issues numbered `indexes`, submitted over the `days` before `now`, each played to
    `now`; returns how many. The same `seed` and index give the same issue."""
    if not indexes:
        return 0
    world = load_world()
    mix = mix or Mix()
    now = now or timezone.now()
    rng = random.Random(seed + indexes.start)
    first_day = (_local(now) - timedelta(days=days)).date()
    recent_from = _local(now - timedelta(days=RECENT_DAYS * 7 // 5)).date()
    written = 0
    for start in range(indexes.start, indexes.stop, BATCH):
        batch = range(start, min(start + BATCH, indexes.stop))
        picks = [world.memberships[rng.randrange(len(world.memberships))] for _ in batch]
        contacts = ensure_contacts({enterprise for enterprise, _ in picks})
        player = _Player(world, contacts, now, rng, mix)
        lives = []
        for index, (enterprise_id, chain_id) in zip(batch, picks, strict=True):
            category = world.categories[index % len(world.categories)]
            since = recent_from if rng.random() < mix.recent else first_day
            day = since + timedelta(days=rng.randrange(max(1, (_local(now).date() - since).days)))
            if not is_working_day(day):
                day = next_working_day(day)
            submitted = _at_work(day, rng)
            if submitted >= now:
                submitted = now - timedelta(minutes=rng.randrange(5, 600))
            said = texts(index, category, rng)
            issue = Issue(
                enterprise_id=enterprise_id,
                chain_id=chain_id,
                category=category,
                title=said.title,
                description=said.description,
                submitted_by=contacts[enterprise_id],
                idempotency_key=key(index),
            )
            lives.append(player.play(issue, submitted, said))
        _write(lives)
        written += len(lives)
        if log:
            log(f"  {start - indexes.start + len(batch)}/{len(indexes)} issues")
    return written


def _write(lives: list[_Life]) -> None:
    with transaction.atomic(), _dated_as_given(Issue, IssueShare, Rating, ExtensionRequest):
        Issue.objects.bulk_create([life.issue for life in lives], batch_size=BATCH)
        _number([life.issue for life in lives])
        for life in lives:
            for rows in (
                life.events,
                life.shares,
                life.alerts,
                life.ratings,
                life.extensions,
                life.supervisions,
                life.urges,
            ):
                for row in rows:
                    row.issue = life.issue
        Supervision.objects.bulk_create([s for life in lives for s in life.supervisions], batch_size=BATCH)
        for life in lives:
            for event, supervision in life.naming:
                event.data["supervision"] = supervision.pk
        for model, attribute in (
            (IssueEvent, "events"),
            (IssueShare, "shares"),
            (IssueAlert, "alerts"),
            (Rating, "ratings"),
            (ExtensionRequest, "extensions"),
            (Urge, "urges"),
        ):
            model._default_manager.bulk_create(
                [row for life in lives for row in getattr(life, attribute)], batch_size=BATCH
            )


def _number(issues: list[Issue]) -> None:
    """LZ-<year of submission>-<id>, as submit_issue numbers them (the id is known only now)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE issues_issue SET number = 'LZ-' || to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY')"
                " || '-' || lpad(id::text, 6, '0') WHERE number IS NULL"
            )
        return
    for issue in issues:
        issue.number = f"LZ-{_local(issue.created_at).year}-{issue.pk:06d}"
    Issue.objects.bulk_update(issues, ["number"], batch_size=500)
