"""Every meaningful write on an issue (design §4.6), each in a transaction, row-locked where it
races, checked against the workflow table, recorded in the timeline, and telling who it concerns."""

import os
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import Unit, UnitKind
from accounts.roles import Role
from chainparty.scope import parse_id
from chains.models import Chain, ChainMembership, Enterprise
from issues import deadlines, workflow
from issues.models import (
    LIVE_SHARES,
    AssignmentRole,
    AssignmentStatus,
    Attachment,
    ComplaintSession,
    DispatchMode,
    ExtensionRequest,
    ExtensionStatus,
    Issue,
    IssueAssignment,
    IssueCategory,
    IssueEvent,
    Rating,
    RoutingRule,
    Satisfaction,
    Status,
)
from issues.notifications import chain_leaders, district_staff, enterprise_people, notify, unit_handlers
from issues.selectors import sees_internal
from issues.workflow import Action
from secretaries.selectors import enterprise_ids_posted_to

SUBMITTER_ROLES = (Role.ENTERPRISE_CONTACT, Role.FIRST_SECRETARY, Role.DISTRICT_STAFF)
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".wps": "application/vnd.ms-works",
    ".et": "application/vnd.ms-excel",
}
REASON_CODES = {
    "not_solved": "问题未解决",
    "slow": "办理不及时",
    "attitude": "服务态度差",
    "unclear": "答复不清楚",
    "other": "其他",
}


# --- helpers ---------------------------------------------------------------------------------
def _lock(issue_id: int) -> Issue:
    # Lock the issue row first, then read its shares: every action on one issue is serialised.
    issue = Issue.objects.select_for_update(of=("self",)).select_related("category", "lead_unit").get(pk=issue_id)
    return issue


def _event(issue: Issue, actor, action: str, *, from_status: str = "", note: str = "", public=True, at=None, **data):
    return IssueEvent.objects.create(
        created_at=at or timezone.now(),
        issue=issue,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=issue.status,
        note=note,
        public=public,
        data=data,
    )


def _require_text(field: str, value: str, *, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    if max_length and len(value) > max_length:
        raise ValidationError(
            {field: _("At most %(max)d characters (this has %(n)d).") % {"max": max_length, "n": len(value)}}
        )
    return value


def _save(issue: Issue, *fields: str) -> None:
    issue.save(update_fields=[*fields, "updated_at"])


# --- intake ----------------------------------------------------------------------------------
@dataclass
class Upload:
    name: str
    content: object  # a django File / UploadedFile
    size: int


def submitter_enterprises(user):
    """The enterprises a user may raise an issue for: a contact its own, a first secretary those it is
    dispatched to, district staff any (they enter issues collected at complaint sessions)."""
    if user.has_role(Role.DISTRICT_STAFF):
        return Enterprise.objects.all()
    if user.has_role(Role.ENTERPRISE_CONTACT, Role.FIRST_SECRETARY):
        ids = []
        if user.has_role(Role.ENTERPRISE_CONTACT) and user.enterprise_id:
            ids.append(user.enterprise_id)
        if user.has_role(Role.FIRST_SECRETARY):
            ids += list(enterprise_ids_posted_to(user).values_list("enterprise_id", flat=True))
        return Enterprise.objects.filter(pk__in=ids)
    return Enterprise.objects.none()


def validate_uploads(uploads: list[Upload]) -> list[tuple[Upload, str, str]]:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)d files.") % {"n": MAX_ATTACHMENTS}})
    checked = []
    for upload in uploads:
        original = get_valid_filename(os.path.basename(upload.name or "").strip()) or "file"
        ext = os.path.splitext(original)[1].lower()
        if ext not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                {
                    "attachments": _("%(name)s: this file type is not allowed (PDF, images and office documents are).")
                    % {"name": original}
                }
            )
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"attachments": _("%(name)s: a file may be at most 20 MB.") % {"name": original}})
        checked.append((upload, original[-200:], ext))
    return checked


def validate_submission(*, actor, enterprise_id, category_code, title, description, chain_id=None):
    """Check one submission without writing anything; returns the resolved objects. Shared by the
    single form, the API and the complaint-session grid (which validates every row first)."""
    if not actor.has_role(*SUBMITTER_ROLES):
        raise PermissionDenied(_("You may not submit issues."))
    errors = {}
    enterprise_id, chain_id = parse_id(enterprise_id), parse_id(chain_id)
    category = IssueCategory.objects.filter(code=category_code, is_active=True).first() if category_code else None
    if not category_code:
        errors["category"] = _("This field is required.")
    elif category is None:
        errors["category"] = _("Unknown category “%(code)s”.") % {"code": category_code}
    enterprise = submitter_enterprises(actor).filter(pk=enterprise_id).first() if enterprise_id else None
    if enterprise is None:
        errors["enterprise"] = _("Choose an enterprise you may submit for.")
    for field, value, limit in (("title", title, 200), ("description", description, 10_000)):
        try:
            _require_text(field, value, max_length=limit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    chain = None
    if enterprise is not None:
        memberships = ChainMembership.objects.filter(enterprise=enterprise).order_by("chain__name")
        if chain_id is not None:
            chain = Chain.objects.filter(pk=chain_id, pk__in=memberships.values("chain_id")).first()
            if chain is None:
                errors["chain"] = _("The enterprise is not on this chain.")
        else:
            first = memberships.select_related("chain").first()
            chain = first.chain if first else None
    if errors:
        raise ValidationError(errors)
    return enterprise, category, chain


@transaction.atomic
def submit_issue(
    *,
    actor,
    enterprise_id: int,
    category_code: str,
    title: str,
    description: str,
    chain_id: int | None = None,
    session: ComplaintSession | None = None,
    uploads: list[Upload] = (),
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> Issue:
    if idempotency_key:
        existing = Issue.objects.filter(submitted_by=actor, idempotency_key=idempotency_key).first()
        if existing:
            return existing
    enterprise, category, chain = validate_submission(
        actor=actor,
        enterprise_id=enterprise_id,
        category_code=category_code,
        title=title,
        description=description,
        chain_id=chain_id,
    )
    checked = validate_uploads(list(uploads))
    now = at or timezone.now()
    issue = Issue(
        enterprise=enterprise,
        chain=chain,
        category=category,
        title=title.strip(),
        description=description.strip(),
        session=session,
        submitted_by=actor,
        idempotency_key=idempotency_key or None,
    )
    deadlines.start_accept_clock(issue, now)
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError:
        # Two retries of one request raced; the other one won. Return its issue.
        if idempotency_key:
            return Issue.objects.get(submitted_by=actor, idempotency_key=idempotency_key)
        raise
    # The number comes from the primary key: unique under concurrent submission, gaps tolerated.
    issue.number = f"LZ-{timezone.localtime(now).year}-{issue.pk:06d}"
    issue.save(update_fields=["number"])
    for upload, original, ext in checked:
        stored = f"{uuid.uuid4().hex}{ext}"
        attachment = Attachment(
            issue=issue,
            original_name=original,
            stored_name=stored,
            content_type=ALLOWED_EXTENSIONS[ext],
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(stored, upload.content, save=False)
        attachment.save()
    _event(issue, actor, Action.SUBMIT, note=issue.title, at=now, session=session.pk if session else None)
    notify(issue=issue, recipients=district_staff(), subject=_("New issue submitted: %s") % issue.title, exclude=actor)
    return issue


# --- complaint sessions ------------------------------------------------------------------------
@transaction.atomic
def create_complaint_session(*, actor, title, held_on, place, host_unit_id, chain_id=None, industry_committee_id=None):
    if not actor.has_role(Role.DISTRICT_STAFF):
        raise PermissionDenied(_("Only district staff run complaint sessions."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("This field is required.")
    if not (place or "").strip():
        errors["place"] = _("This field is required.")
    if not held_on:
        errors["held_on"] = _("This field is required.")
    host = Unit.objects.filter(pk=parse_id(host_unit_id)).first()
    if host is None:
        errors["host_unit"] = _("Choose the host unit.")
    if not chain_id and not industry_committee_id:
        errors["chain"] = _("Give the chain or the industry party committee the session is for.")
    if chain_id and not Chain.objects.filter(pk=parse_id(chain_id)).exists():
        errors["chain"] = _("Unknown chain.")
    committees = Unit.objects.filter(kind=UnitKind.INDUSTRY_PARTY_COMMITTEE)
    if industry_committee_id and not committees.filter(pk=parse_id(industry_committee_id)).exists():
        errors["industry_committee"] = _("Unknown industry party committee.")
    if errors:
        raise ValidationError(errors)
    return ComplaintSession.objects.create(
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        host_unit=host,
        chain_id=chain_id or None,
        industry_committee_id=industry_committee_id or None,
        created_by=actor,
    )


@transaction.atomic
def submit_session_issues(*, actor, session: ComplaintSession, rows: list[dict]) -> list[Issue]:
    """Enter many issues collected at a 吐槽大会. Every row is validated first; if any row has an
    error nothing is saved, and the error names the row (``rows[i].field``)."""
    errors = {}
    for index, row in enumerate(rows):
        try:
            validate_submission(
                actor=actor,
                enterprise_id=row.get("enterprise"),
                category_code=row.get("category"),
                title=row.get("title", ""),
                description=row.get("description", ""),
                chain_id=row.get("chain"),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"rows[{index}].{field}"] = messages
    if not rows:
        errors["rows"] = [_("Enter at least one issue.")]
    if errors:
        raise ValidationError(errors)
    return [
        submit_issue(
            actor=actor,
            enterprise_id=row["enterprise"],
            category_code=row["category"],
            title=row["title"],
            description=row["description"],
            chain_id=row.get("chain"),
            session=session,
        )
        for row in rows
    ]


# --- district staff: accept, reject, dispatch -------------------------------------------------
@transaction.atomic
def accept_issue(*, issue_id: int, actor, note: str = "") -> Issue:
    issue = _lock(issue_id)
    workflow.require(issue, Action.ACCEPT, actor)
    before = issue.status
    issue.status = Status.ACCEPTED
    issue.accepted_at = timezone.now()
    _save(issue, "status", "accepted_at")
    _event(issue, actor, Action.ACCEPT, from_status=before, note=note)
    notify(issue=issue, recipients=enterprise_people(issue), subject=_("Your issue was accepted"))
    return issue


@transaction.atomic
def reject_issue(*, issue_id: int, actor, reason: str) -> Issue:
    issue = _lock(issue_id)
    workflow.require(issue, Action.REJECT, actor)
    reason = _require_text("reason", reason, max_length=2000)
    before = issue.status
    issue.status = Status.REJECTED
    issue.reject_reason = reason
    issue.closed_at = timezone.now()
    _save(issue, "status", "reject_reason", "closed_at")
    _event(issue, actor, Action.REJECT, from_status=before, note=reason)
    notify(issue=issue, recipients=enterprise_people(issue), subject=_("Your issue was not accepted"), body=reason)
    return issue


def suggest_lead_unit(*, category: IssueCategory, chain: Chain | None) -> Unit | None:
    """Routing rules: category × chain first, then the category's default, then the chain's lead unit."""
    rules = {rule.chain_id: rule.unit for rule in RoutingRule.objects.filter(category=category).select_related("unit")}
    if chain is not None and chain.pk in rules:
        return rules[chain.pk]
    if None in rules:
        return rules[None]
    return chain.lead_unit if chain is not None else None


@transaction.atomic
def dispatch_issue(
    *,
    issue_id: int,
    actor,
    mode: str,
    lead_unit_id: int,
    co_unit_ids: list[int] = (),
    note: str = "",
    co_due_days: int | None = None,
    at: datetime | None = None,
) -> Issue:
    issue = _lock(issue_id)
    workflow.require(issue, Action.DISPATCH, actor)
    errors = {}
    if mode not in DispatchMode.values:
        errors["mode"] = _("Choose transfer or joint handling.")
    lead = Unit.objects.filter(pk=lead_unit_id, is_active=True).first() if lead_unit_id else None
    if lead is None:
        errors["lead_unit"] = _("Choose the lead unit.")
    co_ids = sorted(set(co_unit_ids or []))
    co_units = list(Unit.objects.filter(pk__in=co_ids, is_active=True))
    if len(co_units) != len(co_ids):
        errors["co_units"] = _("Unknown unit.")
    elif mode == DispatchMode.JOINT and not co_units:
        errors["co_units"] = _("Joint handling needs at least one co-handling unit.")
    elif mode == DispatchMode.TRANSFER and co_units:
        errors["co_units"] = _("A transfer has one lead unit and no co-handling units.")
    elif lead is not None and lead.pk in co_ids:
        errors["co_units"] = _("The lead unit cannot also be a co-handling unit.")
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()
    before = issue.status
    issue.status = Status.DISPATCHED
    issue.dispatch_mode = mode
    issue.lead_unit = lead
    issue.dispatched_at = now
    issue.signed_at = None
    deadlines.start_handling_clocks(issue, now)
    issue.handling_cycle += 1
    issue.escalation_level = 0
    _save(
        issue,
        "status",
        "dispatch_mode",
        "lead_unit",
        "dispatched_at",
        "signed_at",
        "handling_cycle",
        "escalation_level",
        *deadlines.HANDLING_FIELDS,
    )
    co_due = deadlines.co_part_due(issue, now, co_due_days)
    IssueAssignment.objects.bulk_create(
        [
            IssueAssignment(
                issue=issue,
                unit=lead,
                role=AssignmentRole.LEAD,
                sign_due_at=issue.sign_due_at,
                due_at=issue.resolve_due_at,
            )
        ]
        + [
            IssueAssignment(
                issue=issue, unit=unit, role=AssignmentRole.CO, sign_due_at=issue.sign_due_at, due_at=co_due
            )
            for unit in co_units
        ]
    )
    _event(
        issue,
        actor,
        Action.DISPATCH,
        from_status=before,
        note=note,
        at=now,
        mode=mode,
        lead_unit=lead.pk,
        co_units=[u.pk for u in co_units],
    )
    notify(
        issue=issue,
        recipients=unit_handlers([lead.pk, *co_ids]),
        subject=_("An issue was dispatched to your unit: %s") % issue.title,
    )
    return issue


# --- unit handlers ------------------------------------------------------------------------------
def _my_share(issue: Issue, actor) -> IssueAssignment:
    return (
        IssueAssignment.objects.select_for_update()
        .filter(
            issue=issue,
            unit_id=actor.unit_id,
            status__in=LIVE_SHARES,
        )
        .get()
    )


@transaction.atomic
def sign_issue(*, issue_id: int, actor) -> Issue:
    issue = _lock(issue_id)
    workflow.require(issue, Action.SIGN, actor)
    share = _my_share(issue, actor)
    now = timezone.now()
    share.status = AssignmentStatus.SIGNED
    share.signed_at = now
    share.save(update_fields=["status", "signed_at"])
    before = issue.status
    if share.role == AssignmentRole.LEAD:
        issue.status = Status.IN_PROGRESS
        issue.signed_at = now
        _save(issue, "status", "signed_at")
    _event(issue, actor, Action.SIGN, from_status=before, unit=actor.unit_id, role=share.role)
    return issue


@transaction.atomic
def return_issue(*, issue_id: int, actor, reason: str) -> Issue:
    """退单: not this unit's remit. The lead's return sends the issue back to the dispatcher
    (accepted, to dispatch again); a co-unit's return drops only its part."""
    issue = _lock(issue_id)
    workflow.require(issue, Action.RETURN, actor)
    reason = _require_text("reason", reason, max_length=2000)
    share = _my_share(issue, actor)
    before = issue.status
    share.status = AssignmentStatus.RETURNED
    share.save(update_fields=["status"])
    if share.role == AssignmentRole.LEAD:
        issue.assignments.filter(status__in=LIVE_SHARES).update(status=AssignmentStatus.CANCELLED)
        issue.extension_requests.filter(status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.DENIED, decision_note=_("Withdrawn: the issue was returned.")
        )
        issue.status = Status.ACCEPTED
        issue.lead_unit = None
        issue.dispatch_mode = ""
        issue.signed_at = None
        deadlines.clear_handling_clocks(issue)
        _save(issue, "status", "lead_unit", "dispatch_mode", "signed_at", *deadlines.HANDLING_FIELDS)
    _event(issue, actor, Action.RETURN, from_status=before, note=reason, public=False, unit=actor.unit_id)
    notify(issue=issue, recipients=district_staff(), subject=_("An issue was returned by %s") % actor.unit, body=reason)
    return issue


@transaction.atomic
def request_extension(*, issue_id: int, actor, days: int, reason: str) -> ExtensionRequest:
    issue = _lock(issue_id)
    workflow.require(issue, Action.REQUEST_EXTENSION, actor)
    reason = _require_text("reason", reason, max_length=2000)
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationError({"days": _("Between 1 and 30 working days.")})
    request = ExtensionRequest.objects.create(
        issue=issue, unit_id=actor.unit_id, requested_by=actor, days=days, reason=reason
    )
    _event(issue, actor, Action.REQUEST_EXTENSION, from_status=issue.status, note=reason, public=False, days=days)
    notify(issue=issue, recipients=district_staff(), subject=_("Extension requested (%d working days)") % days)
    return request


@transaction.atomic
def decide_extension(*, issue_id: int, actor, grant: bool, note: str = "") -> ExtensionRequest:
    """A granted extension moves the resolve deadline (and the ladder with it); a pending request
    does not stop the clock (§4.6)."""
    issue = _lock(issue_id)
    workflow.require(issue, Action.DECIDE_EXTENSION, actor)
    request = issue.extension_requests.select_for_update().get(status=ExtensionStatus.PENDING)
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.DENIED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if grant:
        deadlines.extend_resolve_deadline(issue, request.days)
        # A moved deadline is a new clock: its own warning, and a ladder climbed afresh if it is missed.
        issue.handling_cycle += 1
        issue.escalation_level = 0
        _save(
            issue,
            "resolve_due_at",
            "resolve_warn_at",
            "escalate_2_at",
            "escalate_3_at",
            "handling_cycle",
            "escalation_level",
        )
        issue.assignments.filter(
            role=AssignmentRole.LEAD, status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED]
        ).update(due_at=issue.resolve_due_at)
    _event(
        issue,
        actor,
        Action.DECIDE_EXTENSION,
        from_status=issue.status,
        note=note,
        public=False,
        granted=grant,
        days=request.days,
        resolve_due_at=issue.resolve_due_at.isoformat() if issue.resolve_due_at else None,
    )
    notify(
        issue=issue,
        recipients=unit_handlers([request.unit_id]),
        subject=_("Extension granted") if grant else _("Extension denied"),
        body=note,
    )
    return request


@transaction.atomic
def reply_part(*, issue_id: int, actor, reply: str) -> IssueAssignment:
    issue = _lock(issue_id)
    workflow.require(issue, Action.REPLY_PART, actor)
    reply = _require_text("reply", reply, max_length=10_000)
    share = _my_share(issue, actor)
    share.status = AssignmentStatus.REPLIED
    share.reply = reply
    share.replied_at = timezone.now()
    share.save(update_fields=["status", "reply", "replied_at"])
    _event(issue, actor, Action.REPLY_PART, from_status=issue.status, note=reply, public=False, unit=actor.unit_id)
    notify(issue=issue, recipients=unit_handlers([issue.lead_unit_id]), subject=_("A co-handling unit replied"))
    return share


@transaction.atomic
def resolve_issue(*, issue_id: int, actor, answer: str, at: datetime | None = None) -> Issue:
    issue = _lock(issue_id)
    workflow.require(issue, Action.RESOLVE, actor)
    answer = _require_text("answer", answer, max_length=10_000)
    now = at or timezone.now()
    before = issue.status
    issue.status = Status.RESOLVED
    issue.answer = answer
    issue.resolved_at = now
    deadlines.start_rating_clock(issue, now)
    _save(issue, "status", "answer", "resolved_at", "rate_due_at")
    issue.assignments.filter(role=AssignmentRole.LEAD, status=AssignmentStatus.SIGNED).update(
        status=AssignmentStatus.REPLIED, reply=answer, replied_at=now
    )
    _event(issue, actor, Action.RESOLVE, from_status=before, note=answer, at=now)
    notify(issue=issue, recipients=enterprise_people(issue), subject=_("Your issue has an answer: please rate it"))
    return issue


# --- the enterprise ------------------------------------------------------------------------------
@transaction.atomic
def rate_issue(
    *, issue_id: int, actor, satisfaction: str, reason_codes: list[str] = (), comment: str = "", at=None
) -> Issue:
    """满意 / 基本满意 close the issue; 不满意 reopens it (重办), counted, with a new resolve deadline."""
    issue = _lock(issue_id)
    workflow.require(issue, Action.RATE, actor)
    errors = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = _("Choose satisfied, basically satisfied or unsatisfied.")
    codes = list(dict.fromkeys(reason_codes or []))
    unknown = [code for code in codes if code not in REASON_CODES]
    if unknown:
        errors["reason_codes"] = _("Unknown reason: %s") % ", ".join(unknown)
    elif satisfaction == Satisfaction.UNSATISFIED and not codes:
        errors["reason_codes"] = _("Say why you are not satisfied.")
    if len(comment or "") > 2000:
        errors["comment"] = _("At most 2000 characters.")
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()
    Rating.objects.create(
        issue=issue, rated_by=actor, satisfaction=satisfaction, reason_codes=codes, comment=comment or ""
    )
    before = issue.status
    if satisfaction == Satisfaction.UNSATISFIED:
        issue.status = Status.IN_PROGRESS
        issue.reopen_count += 1
        issue.handling_cycle += 1
        issue.escalation_level = 0  # a new handling cycle climbs the ladder afresh
        issue.rate_due_at = None
        deadlines.restart_resolve_clock(issue, now)
        _save(
            issue,
            "status",
            "reopen_count",
            "handling_cycle",
            "escalation_level",
            "rate_due_at",
            "resolve_due_at",
            "resolve_warn_at",
            "escalate_2_at",
            "escalate_3_at",
        )
        issue.assignments.filter(role=AssignmentRole.LEAD, status=AssignmentStatus.REPLIED).update(
            status=AssignmentStatus.SIGNED, due_at=issue.resolve_due_at
        )
        recipients = unit_handlers([issue.lead_unit_id])
        subject = _("Reopened: the enterprise is not satisfied")
    else:
        issue.status = Status.CLOSED
        issue.closed_at = now
        _save(issue, "status", "closed_at")
        recipients = unit_handlers([issue.lead_unit_id])
        subject = _("Closed: the enterprise rated the answer")
    _event(
        issue,
        actor,
        Action.RATE,
        from_status=before,
        note=comment or "",
        at=now,
        satisfaction=satisfaction,
        reason_codes=codes,
    )
    notify(issue=issue, recipients=recipients, subject=subject, body=comment or "")
    return issue


# --- everyone -------------------------------------------------------------------------------
@transaction.atomic
def comment_on_issue(*, issue_id: int, actor, text: str, public: bool = True) -> IssueEvent:
    issue = _lock(issue_id)
    workflow.require(issue, Action.COMMENT, actor)
    text = _require_text("text", text, max_length=5000)
    if not public and not sees_internal(actor):
        raise ValidationError({"public": _("Internal comments are for government users only.")})
    event = _event(issue, actor, Action.COMMENT, from_status=issue.status, note=text, public=public)
    units = list(issue.assignments.filter(status__in=LIVE_SHARES).values_list("unit_id", flat=True))
    recipients = unit_handlers(units) | district_staff()
    if public:
        recipients = recipients | enterprise_people(issue)
    notify(issue=issue, recipients=recipients.distinct(), subject=_("New comment"), body=text, exclude=actor)
    return event


@transaction.atomic
def supervise_issue(*, issue_id: int, actor, note: str, report: bool = False) -> Issue:
    """督办 by the district: recorded, and the lead unit and the chain leaders are told. `report`
    marks it for the district's circular (通报)."""
    issue = _lock(issue_id)
    workflow.require(issue, Action.SUPERVISE, actor)
    note = _require_text("note", note, max_length=2000)
    issue.supervised_at = timezone.now()
    _save(issue, "supervised_at")
    _event(issue, actor, Action.SUPERVISE, from_status=issue.status, note=note, public=False, report=bool(report))
    notify(
        issue=issue,
        recipients=unit_handlers([issue.lead_unit_id]) | chain_leaders(issue),
        subject=_("Supervised by the district (督办)"),
        body=note,
    )
    return issue
