"""Writes the issue demo described in issues.demo_data (design §4.6), on top of the chains demo:

- the working-day calendar, if the table is empty (`load_holidays`: deadlines need it);
- the issue categories with the default working days of §4.6 (inquiry 2, request and suggestion 10,
  complaint 15);
- routing rules, category × chain → suggested lead unit, with a default per category and a few
  chain-specific ones;
- two handler accounts so that joint handling and the ladder's first rung have someone to act:
  `handler.amr` (区市场监督管理局) and `handler.ic` (区科技系统行业党委);
- a 吐槽大会 session and a handful of issues in different states — submitted, dispatched by transfer,
  joint handling in progress, resolved awaiting the rating, closed, and one overdue and escalated —
  created THROUGH the services, so their timelines, deadlines and notifications are real.

Idempotent: categories, rules and accounts go through chainparty.demo.ensure (left as they are if
present: staff may have edited them); each demo issue carries an Idempotency-Key of its submitter,
and a scenario whose issue exists is skipped whole. A second run writes nothing.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from accounts.services import assign_roles
from chainparty.dates import SHANGHAI
from chainparty.demo import ensure
from chains.demo_data import CHAINS, DEMO_ACCOUNTS, DEMO_ENTERPRISE, DEMO_PASSWORD
from chains.models import Chain, Enterprise
from issues import services, synthetic
from issues.demo_data import (
    CATEGORIES,
    COMMITTEE_URGE_NOTE,
    DISTRICT_URGE_NOTE,
    EXTRA_HANDLERS,
    ISSUES,
    JOINT_CO_UNITS,
    ROUTING_RULES,
    SESSION_COMMITTEE,
    SESSION_HOST,
    SESSION_ISSUES,
    SESSION_PLACE,
    SESSION_TITLE,
    SUPERVISION_INSTRUCTION,
    UNIT_PEOPLE,
    YEAR_DETAILS,
    YEAR_ISSUES,
    YEAR_KEY_PREFIX,
    YEAR_SEED,
    YEAR_TEXTS,
    DemoIssue,
)
from issues.models import DEFAULT_RESOLVE_DAYS, ComplaintSession, Issue, IssueCategory, RoutingRule, Supervision
from issues.sweep import sweep_deadlines
from issues.workflow import Action
from workdays.calendar import add_working_days, previous_working_day
from workdays.models import CalendarDay

KEY_PREFIX = "demo-"


def seed_issue_demo(*, year_issues: int = YEAR_ISSUES) -> Counter:
    """Load the issue demo (idempotent); returns what was created, by kind. `year_issues` is how
    many issues the year holds (topped up to it; a smaller number removes none)."""
    created: Counter = Counter()
    if not CalendarDay.objects.exists():
        call_command("load_holidays")
        created["calendar days"] += CalendarDay.objects.count()
    with transaction.atomic():
        people, chains, enterprise, units = _demo_world()
        categories = ensure_categories(created)
        _ensure_rules(categories, chains, units, created)
        people.update(_ensure_handlers(units, created))
        _ensure_unit_people(units, created)
    cast = _Cast(
        staff=people["staff"],
        handler=people["handler"],
        co_handler=people["handler.amr"],
        contact=people["contact"],
        leader=people["leader"],
        committee=people["handler.ic"],
        chain=chains["biomedicine"],
        enterprise=enterprise,
        units=units,
    )
    _seed_issues(cast, created)
    _oversee(cast, created)
    _seed_session(cast, created)
    created["issues of the year"] += seed_year(year_issues)
    return +created  # drop the zero counts


def ensure_categories(created: Counter) -> dict[str, IssueCategory]:
    """The demo's issue categories by code (the issue benchmark seeds its issues in them too)."""
    rows = [
        {"code": code, "name": name, "kind": kind, "resolve_days": DEFAULT_RESOLVE_DAYS[kind]}
        for code, name, kind in CATEGORIES
    ]
    return ensure(IssueCategory, "code", rows, created, label="issue categories")


def _ensure_rules(categories, chains, units, created: Counter) -> None:
    rows = [
        {
            "category_id": categories[code].pk,
            "chain_id": chains[chain_code].pk if chain_code else None,
            "unit_id": units[unit_name].pk,
        }
        for code, chain_code, unit_name in ROUTING_RULES
    ]
    ensure(RoutingRule, ("category_id", "chain_id"), rows, created, label="routing rules")


def _ensure_handlers(units, created: Counter) -> dict[str, User]:
    rows = [
        {
            "username": username,
            "full_name": full_name,
            "unit_id": units[unit_name].pk,
            "email": f"{username}@demo.chainparty.local",
        }
        for username, full_name, unit_name in EXTRA_HANDLERS
    ]
    demo_hash = make_password(DEMO_PASSWORD)
    new = []

    def prepare(user: User) -> None:
        user.password = demo_hash
        new.append(user)

    users = ensure(User, "username", rows, created, label="issue demo accounts", prepare=prepare)
    # Roles only for the accounts created now: one that exists keeps the roles staff gave it.
    for user in new:
        assign_roles(user=user, roles=[Role.UNIT_HANDLER])
    return users


def _ensure_unit_people(units, created: Counter) -> None:
    """The other units' handlers: people of the demo, not logins."""
    rows = [
        {"username": username, "full_name": full_name, "unit_id": units[unit_name].pk}
        for username, full_name, unit_name in UNIT_PEOPLE
    ]
    new = []

    def prepare(user: User) -> None:
        user.set_unusable_password()
        new.append(user)

    ensure(User, "username", rows, created, label="unit handlers (not logins)", prepare=prepare)
    for user in new:
        assign_roles(user=user, roles=[Role.UNIT_HANDLER])


# --- the year ---------------------------------------------------------------------------------------
def year_issue_count() -> int:
    return Issue.objects.filter(idempotency_key__startswith=YEAR_KEY_PREFIX).count()


def _year_texts(index: int, category: IssueCategory, rng: random.Random) -> synthetic.Texts:
    choices, answer = YEAR_TEXTS.get(category.code, YEAR_TEXTS["suggestion"])
    title, description = choices[rng.randrange(len(choices))]
    return synthetic.Texts(title=title + rng.choice(YEAR_DETAILS), description=description, answer=answer)


def seed_year(total: int, *, log=None) -> int:
    """Top the year's issues up to `total` (issues.synthetic: every status and rung of the ladder,
    on time and late, rated and not, over the last 365 days); returns how many were added."""
    offset = year_issue_count()
    return synthetic.generate(
        indexes=range(offset, max(offset, total)),
        texts=_year_texts,
        key=lambda index: f"{YEAR_KEY_PREFIX}{index:06d}",
        seed=YEAR_SEED,
        log=log,
    )


def _demo_world():
    """The people and places of the chains demo, by their natural keys."""
    names = [a.username for a in DEMO_ACCOUNTS]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    missing = [name for name in ("staff", "handler", "contact", "leader") if name not in people]
    chains = {c.code: c for c in Chain.objects.filter(code__in=[c.code for c in CHAINS])}
    enterprise = Enterprise.objects.filter(name=DEMO_ENTERPRISE).first()
    if missing or len(chains) != len(CHAINS) or enterprise is None:
        raise CommandError("The chains demo is not loaded: run `manage.py seed_demo` first.")
    units = {u.name: u for u in Unit.objects.all()}
    return people, chains, enterprise, units


# --- the demo issues ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Cast:
    """Who acts in the demo issues, and about what: the contact of the demo enterprise submits on the
    biomedicine chain; district staff accept and dispatch; the demo handler's unit (the chain's lead
    unit) leads, with `co_handler`'s unit co-handling the joint issue."""

    staff: User
    handler: User
    co_handler: User
    contact: User
    leader: User
    committee: User  # a handler of the lead unit's industry party committee: the ladder's first rung
    chain: Chain
    enterprise: Enterprise
    units: dict[str, Unit]

    def submit(self, key: str, demo: DemoIssue, at: datetime | None = None) -> Issue:
        return services.submit_issue(
            actor=self.contact,
            enterprise_id=self.enterprise.pk,
            chain_id=self.chain.pk,
            category_code=demo.category,
            title=demo.title,
            description=demo.description,
            idempotency_key=KEY_PREFIX + key,
            at=at,
        )


def _office(days_ago: int, minutes: int = 0) -> datetime:
    """09:30 (plus `minutes`) local time on the working day `days_ago` working days before today."""
    day = timezone.localdate()
    for _ in range(days_ago):
        day = previous_working_day(day)
    # Never in the future (a seed run before office hours).
    return min(timezone.now(), datetime.combine(day, time(9, 30), tzinfo=SHANGHAI) + timedelta(minutes=minutes))


def _submitted(cast: _Cast, key: str, demo: DemoIssue) -> None:
    cast.submit(key, demo)


def _accepted(cast: _Cast, key: str, demo: DemoIssue) -> None:
    # Accepted this morning; district staff are still choosing the lead unit.
    issue = cast.submit(key, demo, at=_office(1, 400))
    services.accept_issue(issue_id=issue.pk, actor=cast.staff, note=demo.accept_note, at=_office(0, -30))


def _transfer(cast: _Cast, key: str, demo: DemoIssue) -> None:
    issue = cast.submit(key, demo, at=_office(1))
    services.accept_issue(issue_id=issue.pk, actor=cast.staff, note=demo.accept_note, at=_office(1, 50))
    lead = services.suggest_lead_unit(category=issue.category, chain=issue.chain)
    services.dispatch_issue(
        issue_id=issue.pk, actor=cast.staff, mode="transfer", lead_unit_id=lead.pk, at=_office(1, 70)
    )


def _joint(cast: _Cast, key: str, demo: DemoIssue) -> None:
    issue = cast.submit(key, demo, at=_office(3))
    services.accept_issue(issue_id=issue.pk, actor=cast.staff, at=_office(3, 40))
    services.dispatch_issue(
        issue_id=issue.pk,
        actor=cast.staff,
        mode="joint",
        lead_unit_id=cast.handler.unit_id,
        co_unit_ids=[cast.units[name].pk for name in JOINT_CO_UNITS],
        note=demo.dispatch_note,
        at=_office(3, 60),
    )
    services.sign_issue(issue_id=issue.pk, actor=cast.handler, at=_office(3, 120))
    services.sign_issue(issue_id=issue.pk, actor=cast.co_handler, at=_office(3, 200))
    services.reply_part(issue_id=issue.pk, actor=cast.co_handler, reply=demo.co_unit_reply, at=_office(2, 90))
    services.comment_on_issue(issue_id=issue.pk, actor=cast.handler, text=demo.comment, public=True, at=_office(1, 30))


def _signed_by_lead_unit(cast: _Cast, key: str, demo: DemoIssue, days_ago: int) -> Issue:
    """Submitted `days_ago` working days ago, accepted, transferred to the demo handler's unit and
    signed for the same morning."""
    issue = cast.submit(key, demo, at=_office(days_ago))
    services.accept_issue(issue_id=issue.pk, actor=cast.staff, at=_office(days_ago, 30))
    services.dispatch_issue(
        issue_id=issue.pk,
        actor=cast.staff,
        mode="transfer",
        lead_unit_id=cast.handler.unit_id,
        at=_office(days_ago, 60),
    )
    services.sign_issue(issue_id=issue.pk, actor=cast.handler, at=_office(days_ago, 150))
    return issue


def _resolved(cast: _Cast, key: str, demo: DemoIssue, days_ago: int = 6) -> Issue:
    issue = _signed_by_lead_unit(cast, key, demo, days_ago)
    return services.resolve_issue(issue_id=issue.pk, actor=cast.handler, answer=demo.answer, at=_office(1, 300))


def _closed(cast: _Cast, key: str, demo: DemoIssue) -> None:
    issue = _signed_by_lead_unit(cast, key, demo, 15)
    services.resolve_issue(issue_id=issue.pk, actor=cast.handler, answer=demo.answer, at=_office(14, 240))
    services.rate_issue(
        issue_id=issue.pk,
        actor=cast.contact,
        satisfaction="satisfied",
        comment=demo.rating_comment,
        at=_office(13, 60),
    )


def _escalated(cast: _Cast, key: str, demo: DemoIssue) -> None:
    # Dispatched eight working days ago as an inquiry (due within two): the sweeps replayed after it
    # find it past its deadline and past the ladder's second rung.
    _signed_by_lead_unit(cast, key, demo, 8)


def _escalated_1(cast: _Cast, key: str, demo: DemoIssue) -> None:
    # Three working days ago: past its two-day deadline, not yet at the second rung (two days later).
    _signed_by_lead_unit(cast, key, demo, 3)


def _escalated_3(cast: _Cast, key: str, demo: DemoIssue) -> None:
    # Twelve working days ago: past the third rung (2 + 2 + 5 working days).
    _signed_by_lead_unit(cast, key, demo, 12)


def _after_escalation(issue: Issue, rung: str, hours: float) -> datetime:
    """Some hours after the issue reached a rung of the ladder (never later than now)."""
    due = getattr(issue, rung)
    return min(timezone.now(), due + timedelta(hours=hours))


def _oversee(cast: _Cast, created: Counter) -> None:
    """Once the sweeps have escalated them: the chain leader supervises the level-2 issue (the lead
    unit's answer pending) the morning after it reached them, the committee urges the level-1 one,
    district staff the level-3 one."""
    keyed = {
        key: Issue.objects.filter(submitted_by=cast.contact, idempotency_key=KEY_PREFIX + key).first()
        for key in ("escalated", "escalated_1", "escalated_3")
    }
    if any(issue is None for issue in keyed.values()) or Supervision.objects.filter(issue=keyed["escalated"]).exists():
        return
    with transaction.atomic():
        supervised = _after_escalation(keyed["escalated"], "escalate_2_at", 10)
        services.supervise_issue(
            issue_id=keyed["escalated"].pk,
            actor=cast.leader,
            instruction=SUPERVISION_INSTRUCTION,
            reply_by=timezone.localdate(add_working_days(supervised, 3)),
            at=supervised,
        )
        services.urge_issue(issue_id=keyed["escalated"].pk, actor=cast.leader, at=supervised + timedelta(minutes=5))
        services.urge_issue(
            issue_id=keyed["escalated_1"].pk,
            actor=cast.committee,
            note=COMMITTEE_URGE_NOTE,
            at=_after_escalation(keyed["escalated_1"], "resolve_due_at", 10),
        )
        services.urge_issue(
            issue_id=keyed["escalated_3"].pk,
            actor=cast.staff,
            note=DISTRICT_URGE_NOTE,
            at=_after_escalation(keyed["escalated_3"], "escalate_3_at", 10.5),
        )
    created["supervisions"] += 1
    created["urges"] += 3


# In this order; the key names the issue's texts in ISSUES and its idempotency key.
SCENARIOS: dict[str, Callable[[_Cast, str, DemoIssue], object]] = {
    "submitted": _submitted,
    "accepted": _accepted,
    "transfer": _transfer,
    "joint": _joint,
    "resolved": _resolved,
    "closed": _closed,
    "escalated": _escalated,
    "escalated_1": _escalated_1,
    "escalated_3": _escalated_3,
}
SWEEP_DELAY = timedelta(seconds=40)  # the schedule sweeps every minute
DEADLINES = ("accept_warn_at", "sign_warn_at", "resolve_warn_at", "resolve_due_at", "escalate_2_at", "escalate_3_at")


def _seed_issues(cast: _Cast, created: Counter) -> None:
    new = []
    for key, play in SCENARIOS.items():
        if Issue.objects.filter(submitted_by=cast.contact, idempotency_key=KEY_PREFIX + key).exists():
            continue
        created["demo issues"] += 1
        # One transaction per scenario: a half-built demo issue never survives an error.
        with transaction.atomic():
            play(cast, key, ISSUES[key])
            issue = Issue.objects.get(submitted_by=cast.contact, idempotency_key=KEY_PREFIX + key)
            _date_rows(issue)
        new.append(issue.pk)
    _replay_sweeps(new)


def _date_rows(issue: Issue) -> None:
    """A back-dated scenario's rows dated when they happened, as its timeline says: the issue when it
    was submitted, its shares when dispatched, its ratings when given (their columns say "now")."""
    events = {event.action: event.created_at for event in issue.events.order_by("-created_at")}
    Issue.objects.filter(pk=issue.pk).update(created_at=events[Action.SUBMIT], updated_at=max(events.values()))
    if Action.DISPATCH in events:
        issue.shares.update(created_at=events[Action.DISPATCH])
    if Action.RATE in events:
        issue.ratings.update(created_at=events[Action.RATE])


def _replay_sweeps(issue_ids: list[int]) -> None:
    """The sweeps the schedule would have run over the back-dated scenarios: one just after each of
    their deadlines that has passed, in order, so each warning and rung is dated when it fell due. A
    deadline that passed less than SWEEP_DELAY ago (a seed run in the first minute after midnight,
    when the days' deadlines fall) is swept now, so the ladder the scenarios expect is there."""
    now = timezone.now()
    instants = set()
    for row in Issue.objects.filter(pk__in=issue_ids).values(*DEADLINES):
        instants.update(min(value + SWEEP_DELAY, now) for value in row.values() if value and value <= now)
    for at in sorted(instants):
        sweep_deadlines(at=at)


def _seed_session(cast: _Cast, created: Counter) -> None:
    if ComplaintSession.objects.filter(title=SESSION_TITLE).exists():
        return
    with transaction.atomic():
        session = services.create_complaint_session(
            actor=cast.staff,
            title=SESSION_TITLE,
            held_on=timezone.localdate(),
            place=SESSION_PLACE,
            host_unit_id=cast.units[SESSION_HOST].pk,
            chain_id=cast.chain.pk,
            industry_committee_id=cast.units[SESSION_COMMITTEE].pk,
        )
        rows = [{"enterprise": cast.enterprise.pk, **row} for row in SESSION_ISSUES]
        services.submit_session_issues(actor=cast.staff, session=session, rows=rows)
        created["complaint sessions"] += 1
        created["demo issues"] += len(rows)
