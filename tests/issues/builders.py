"""Issues put in a state of their workflow through the real services, so that their timeline,
shares, deadlines, alerts and notifications are the ones the application writes.

`issue_in(world, state, ...)` is the one way the tests build an issue in a given state; a test
that is about a step takes the step itself, after the builder has brought the issue to it."""

from contextlib import nullcontext
from datetime import date, datetime

import time_machine

from accounts.models import User
from accounts.roles import Role
from issues import services
from issues.models import ComplaintSession, Issue
from issues.sweep import sweep_deadlines

# Where an issue can be left, in the order of its life. "reopened" is in progress again after an
# unsatisfied rating; escalation, co-units' parts and extensions are options of the handling states.
STATES = ("submitted", "rejected", "accepted", "dispatched", "in_progress", "resolved", "closed", "reopened")
ANSWERED = ("resolved", "closed", "reopened")
CO_PARTS = ("pending", "signed", "replied")
EXTENSIONS = (None, "pending", "granted", "denied")


def _someone(unit_or_enterprise, role: Role) -> User | None:
    """The first active user holding `role` in a unit (handlers) or an enterprise (contacts)."""
    field = "unit" if unit_or_enterprise._meta.model_name == "unit" else "enterprise"
    people = User.objects.filter(is_active=True, groups__name=role, **{field: unit_or_enterprise})
    return people.order_by("pk").first()


def issue_in(
    world,
    state: str = "submitted",
    *,
    at: datetime | None = None,
    enterprise=None,
    by=None,
    category: str = "request",
    title: str = "用地审批慢",
    description: str = "厂房扩建用地审批超过三个月",
    mode: str = "transfer",
    lead=None,
    co=None,
    co_parts: str | None = None,
    extension: str | None = None,
    escalation: int = 0,
    satisfaction: str | None = "satisfied",
    **submission,
) -> Issue:
    """An issue of `enterprise` (world.ent_a1) brought to `state` (one of STATES) by the services.

    - `at`: every step is taken at that instant (the clock frozen there); None takes them now.
    - `by`: the submitter, by default the enterprise's contact (district staff for an enterprise
      without one); `category` is a category code; `submission` goes to submit_issue as it is
      (session, uploads, idempotency_key, chain_id).
    - `mode`, `lead`, `co`: transfer or joint handling; the lead unit defaults to the issue's chain's
      lead unit, the co-handling units of a joint handling to (world.dept_b,). Each unit acts through
      its first handler.
    - `co_parts`: how far the co-handling units have got: "pending", "signed" (they sign before the
      lead does) or "replied" (once the lead has signed too). By default "pending", and "replied" for
      an answered joint issue: the lead unit answers only after their parts.
    - `extension`: the lead unit asks for one once signed: left "pending", or "granted" / "denied" by
      the staff.
    - `escalation`: the ladder's rung (1 to 3) reached by the deadline sweep, run at the very instant
      the rung falls due; every later step is taken at that instant. The sweep acts on every issue in
      the database, as it does in production. An answered issue is escalated before its answer, a
      reopened one in its new handling cycle.
    - `satisfaction` of the rating that closes it ("satisfied" or "basically"); None leaves it
      unrated, for the sweep to close when the rating window ends.
    """
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}: one of {STATES}")
    if mode == "joint" and co is None:
        co = (world.dept_b,)
    co = list(co or ())
    if co_parts is None:
        co_parts = "replied" if state in ANSWERED and co else "pending"
    if co_parts not in CO_PARTS or extension not in EXTENSIONS or escalation not in (0, 1, 2, 3):
        raise ValueError("co_parts, extension or escalation out of range")
    if state in ANSWERED and co and co_parts != "replied":
        raise ValueError("a joint issue is answered once its co-handling units have replied")
    if co_parts == "replied" and state == "dispatched":
        raise ValueError("a co-handling unit replies once the lead unit has signed: ask for in_progress")
    if extension and state in ("submitted", "rejected", "accepted", "dispatched"):
        raise ValueError("an extension is asked for once the lead unit has signed")
    if escalation and state in ("submitted", "rejected", "accepted"):
        raise ValueError("only an issue being handled climbs the ladder")

    enterprise = enterprise or world.ent_a1
    contact = _someone(enterprise, Role.ENTERPRISE_CONTACT)
    by = by or contact or world.staff
    clock = at

    def now():
        return time_machine.travel(clock, tick=False) if clock else nullcontext()

    def escalate(issue: Issue) -> Issue:
        nonlocal clock
        clock = {1: issue.resolve_due_at, 2: issue.escalate_2_at, 3: issue.escalate_3_at}[escalation]
        sweep_deadlines(at=clock)
        issue.refresh_from_db()
        assert issue.escalation_level == escalation, (issue.escalation_level, escalation)
        return issue

    def fresh() -> Issue:
        return Issue.objects.get(pk=issue_id)

    with now():
        issue = services.submit_issue(
            actor=by,
            enterprise_id=enterprise.pk,
            category_code=category,
            title=title,
            description=description,
            **submission,
        )
        issue_id = issue.pk
        if state == "submitted":
            return fresh()
        if state == "rejected":
            services.reject_issue(issue_id=issue_id, actor=world.staff, reason="不属于政务服务范围")
            return fresh()
        services.accept_issue(issue_id=issue_id, actor=world.staff)
        if state == "accepted":
            return fresh()
        lead = lead or fresh().chain.lead_unit
        services.dispatch_issue(
            issue_id=issue_id,
            actor=world.staff,
            mode=mode,
            lead_unit_id=lead.pk,
            co_unit_ids=[unit.pk for unit in co],
        )
        co_handlers = [_someone(unit, Role.UNIT_HANDLER) for unit in co]
        if co_parts != "pending":
            for handler in co_handlers:
                services.sign_issue(issue_id=issue_id, actor=handler)
    if state == "dispatched":
        return escalate(fresh()) if escalation else fresh()

    lead_handler = _someone(lead, Role.UNIT_HANDLER)
    with now():
        services.sign_issue(issue_id=issue_id, actor=lead_handler)
        if co_parts == "replied":
            for handler in co_handlers:
                services.reply_part(issue_id=issue_id, actor=handler, reply="同意牵头单位意见")
        if extension:
            services.request_extension(issue_id=issue_id, actor=lead_handler, days=3, reason="需要会商")
        if extension in ("granted", "denied"):
            services.decide_extension(issue_id=issue_id, actor=world.staff, grant=extension == "granted")
    if escalation and state != "reopened":
        escalate(fresh())
    if state == "in_progress":
        return fresh()

    rater = contact or by
    with now():
        services.resolve_issue(issue_id=issue_id, actor=lead_handler, answer="已协调办理")
        if state == "closed" and satisfaction:
            services.rate_issue(issue_id=issue_id, actor=rater, satisfaction=satisfaction)
        if state == "reopened":
            services.rate_issue(issue_id=issue_id, actor=rater, satisfaction="unsatisfied", reason_codes=["not_solved"])
    if state == "closed" and not satisfaction:
        # Unrated: the sweep closes it when the rating window ends.
        clock = fresh().rate_due_at
        sweep_deadlines(at=clock)
    if escalation and state == "reopened":
        escalate(fresh())
    return fresh()


def sessions_with_issues(world, n: int) -> None:
    """n complaint sessions on chain A, each with one issue dispatched to one of three units."""
    for i in range(n):
        session = services.create_complaint_session(
            actor=world.staff,
            title=f"吐槽大会{i}",
            held_on="2026-10-20",
            place="科学城党群服务中心",
            host_unit_id=world.two_new.pk,
            chain_id=world.chain_a.pk,
        )
        unit = (world.dept_a, world.dept_b, world.town)[i % 3]  # shares for the ranking's rows
        issue_in(
            world, "dispatched", by=world.staff, title=f"会上问题{i}", description="述", session=session, lead=unit
        )


def complaint_session(
    world, *, host=None, held_on: date = date(2026, 11, 20), title: str = "生物医药链吐槽大会"
) -> ComplaintSession:
    """A 吐槽大会 on chain_a run by district staff, hosted by `host` (the industry committee ic_a unless
    said otherwise)."""
    return services.create_complaint_session(
        actor=world.staff,
        title=title,
        held_on=held_on,
        place="科学城党群服务中心",
        host_unit_id=(host or world.ic_a).pk,
        chain_id=world.chain_a.pk,
    )
