"""Intake (design §4.6): who may submit for which enterprise, the checks on a submission and its
files, and the submission itself with its number, attachments and first notification."""

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import ParamSpec, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from chainparty.errors import IdempotencyKeyReused, RateLimited
from chainparty.scope import parse_id
from chainparty.text import one_line, text_problem
from chains.models import Chain, ChainMembership, Enterprise
from issues import deadlines
from issues.models import ComplaintSession, Issue, IssueCategory
from issues.notifications import district_staff, notify_about_issue
from issues.services._common import record_event, require_text
from issues.services.uploads import Upload, check_uploads, stage_uploads, store_attachments, take_staged_uploads
from issues.workflow import Action
from secretaries.selectors import enterprise_ids_posted_to

P = ParamSpec("P")
SUBMITTER_ROLES = (Role.ENTERPRISE_CONTACT, Role.FIRST_SECRETARY, Role.PARK_CHIEF, Role.DISTRICT_STAFF)


def submitter_enterprises(user: User) -> QuerySet[Enterprise]:
    """The enterprises a user may raise an issue for: a contact its own, a first secretary those it is
    posted to, a park chief those of the parks they lead, district staff any (they enter issues
    collected at complaint sessions)."""
    if user.is_district_staff:
        return Enterprise.objects.all()
    if user.has_role(Role.ENTERPRISE_CONTACT, Role.FIRST_SECRETARY, Role.PARK_CHIEF):
        ids = []
        if user.has_role(Role.ENTERPRISE_CONTACT) and user.enterprise_id:
            ids.append(user.enterprise_id)
        if user.has_role(Role.FIRST_SECRETARY):
            ids += list(enterprise_ids_posted_to(user))
        if user.has_role(Role.PARK_CHIEF):
            ids += list(Enterprise.objects.filter(park__chiefs=user).values_list("pk", flat=True))
        return Enterprise.objects.filter(pk__in=ids)
    return Enterprise.objects.none()


def check_submission(
    *,
    actor: User,
    enterprise_id: object,
    category_code: str | None,
    title: str,
    description: str,
    chain_id: object = None,
) -> tuple[Enterprise | None, IssueCategory | None, Chain | None, dict[str, list[str]]]:
    """Check every field of one submission without writing anything: the objects it names and every
    field's error at once (an empty dict when there is none). Shared by the single form, the API, the
    complaint-session grid (which checks every row first) and meeting follow-ups."""
    if not actor.has_role(*SUBMITTER_ROLES):
        raise PermissionDenied(_("You may not submit issues."))
    errors: dict[str, list[str]] = {}
    enterprise_pk, chain_pk = parse_id(enterprise_id), parse_id(chain_id)
    # A code the database would refuse (a NUL byte) is never sent to it.
    bad_code = text_problem(category_code) if category_code else None
    category = None
    if category_code and not bad_code:
        category = IssueCategory.objects.filter(code=category_code, is_active=True).first()
    if bad_code:
        errors["category"] = [bad_code]
    elif not category_code:
        errors["category"] = [_("This field is required.")]
    elif category is None:
        errors["category"] = [_("Unknown category “%(code)s”.") % {"code": category_code}]
    enterprise = submitter_enterprises(actor).filter(pk=enterprise_pk).first() if enterprise_pk else None
    if enterprise is None:
        errors["enterprise"] = [_("Choose an enterprise you may submit for.")]
    for field, value, limit in (("title", title, 200), ("description", description, 10_000)):
        try:
            require_text(field, value, max_length=limit, single_line=field == "title")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    chain = None
    if enterprise is not None:
        memberships = ChainMembership.objects.filter(enterprise=enterprise).order_by("chain__name")
        if chain_pk is not None:
            chain = Chain.objects.filter(pk=chain_pk, pk__in=memberships.values("chain_id")).first()
            if chain is None:
                errors["chain"] = [_("The enterprise is not on this chain.")]
        else:
            first = memberships.select_related("chain").first()
            chain = first.chain if first else None
    return enterprise, category, chain, errors


def _keeping_files(submit: Callable[P, "Submission"]) -> Callable[P, "Submission"]:
    """On a refused submission from a form with a staging token, keep its good files for the next try
    (uploads.stage_uploads: after the submission's transaction rolled back, in one of its own); name
    the good files it could not keep, to be chosen again."""

    @wraps(submit)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> "Submission":
        token = cast(str | None, kwargs.get("staging_token"))
        files = cast(Sequence[Upload], kwargs.get("uploads", ()))
        actor = cast(User, kwargs["actor"])
        try:
            return submit(*args, **kwargs)
        except ValidationError as exc:
            lost = stage_uploads(actor=actor, token=token, uploads=files) if token and files else []
            if lost:
                errors = exc.message_dict
                again = _("Not kept, choose again: %(names)s.") % {"names": _(", ").join(lost)}
                errors["attachments"] = [*errors.get("attachments", []), again]
                raise ValidationError(errors) from exc
            raise
        except RateLimited:
            if token and files:
                stage_uploads(actor=actor, token=token, uploads=files)
            raise

    return wrapper


@_keeping_files
@transaction.atomic
def submit_issue_once(
    *,
    actor: User,
    enterprise_id: int | None,
    category_code: str | None,
    title: str = "",
    description: str = "",
    chain_id: int | None = None,
    session: ComplaintSession | None = None,
    uploads: Sequence[Upload] = (),
    staged_ids: Sequence[int] = (),
    staging_token: str | None = None,
    input_errors: Mapping[str, Sequence[str]] | None = None,
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> "Submission":
    """Submit an issue, once per Idempotency-Key (design §6): the same key with the same request
    within IDEMPOTENCY_WINDOW answers with the issue it made (`replayed`), also when the two race;
    the same key with another request raises IdempotencyKeyReused and writes nothing; after the
    window the key is free again.

    A refusal names every problem at once: each field's, each file's, and `input_errors` — what the
    caller's parser refused already (a choice that is no choice, an id that is no number), which
    stand for those fields. With a `staging_token` (the page's form) the files of a refused
    submission are kept for the next try on that form (uploads.stage_uploads), and the next try
    names them in `staged_ids`: they are attached with the new files."""
    fingerprint = ""
    if idempotency_key and not input_errors:
        fingerprint = submission_fingerprint(
            enterprise_id=enterprise_id,
            category_code=category_code,
            title=title,
            description=description,
            chain_id=chain_id,
            uploads=uploads,
            staged_ids=staged_ids,
        )
        existing = _earlier_submission(actor, idempotency_key, fingerprint, at or timezone.now())
        if existing:
            return Submission(existing, replayed=True)
    if session is None:
        _within_submission_rate(actor, at or timezone.now())
    enterprise, category, chain, errors = check_submission(
        actor=actor,
        enterprise_id=enterprise_id,
        category_code=category_code,
        title=title,
        description=description,
        chain_id=chain_id,
    )
    staged, gone = take_staged_uploads(actor=actor, token=staging_token, ids=staged_ids)
    checked, file_problems = check_uploads(list(uploads), kept=len(staged))
    if gone:
        file_problems.insert(0, _("A file you attached before is no longer kept (older than a day); choose it again."))
    if file_problems:
        errors["attachments"] = file_problems
    # What the parser refused is that field's error (the service's guess at it would only repeat it).
    errors.update({field: list(messages) for field, messages in (input_errors or {}).items()})
    if errors or enterprise is None or category is None:
        raise ValidationError(errors)
    now = at or timezone.now()
    issue = Issue(
        enterprise=enterprise,
        chain=chain,
        category=category,
        title=one_line(title),
        description=description.strip(),
        session=session,
        submitted_by=actor,
        idempotency_key=idempotency_key or None,
        idempotency_fingerprint=fingerprint,
    )
    deadlines.start_accept_clock(issue, now)
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError:
        # Two retries of one request raced; the other one won. Its issue is the answer (if it was
        # the same request).
        if idempotency_key:
            winner = Issue.objects.get(submitted_by=actor, idempotency_key=idempotency_key)
            _require_same_request(winner, fingerprint)
            return Submission(winner, replayed=True)
        raise
    # The number comes from the primary key: unique under concurrent submission, gaps tolerated.
    issue.number = f"LZ-{timezone.localtime(now).year}-{issue.pk:06d}"
    issue.save(update_fields=["number"])
    store_attachments(issue, actor, checked, staged)
    record_event(issue, actor, Action.SUBMIT, note=issue.title, at=now, session=session.pk if session else None)
    notify_about_issue(
        issue=issue, recipients=district_staff(), subject=_("New issue submitted: %s") % issue.title, exclude=actor
    )
    return Submission(issue, replayed=False)


IDEMPOTENCY_WINDOW = timedelta(hours=24)
SUBMIT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Submission:
    issue: Issue
    replayed: bool  # an earlier request with the same Idempotency-Key made it


@transaction.atomic
def submit_issue(
    *,
    actor: User,
    enterprise_id: int,
    category_code: str,
    title: str,
    description: str,
    chain_id: int | None = None,
    session: ComplaintSession | None = None,
    uploads: Sequence[Upload] = (),
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> Issue:
    """Submit an issue (see submit_issue_once); the issue, new or the one its key made before."""
    return submit_issue_once(
        actor=actor,
        enterprise_id=enterprise_id,
        category_code=category_code,
        title=title,
        description=description,
        chain_id=chain_id,
        session=session,
        uploads=uploads,
        idempotency_key=idempotency_key,
        at=at,
    ).issue


def submission_fingerprint(
    *,
    enterprise_id: object,
    category_code: object,
    title: str,
    description: str,
    chain_id: object,
    uploads,
    staged_ids: Sequence[int] = (),
) -> str:
    """A digest of what a submission asks for, to tell a retry from another request under one key.
    Kept files count as the ids the request names: a resent request names the same ones, although
    the first took them."""
    files = sorted((str(upload.name), int(upload.size or 0)) for upload in uploads)
    what = [parse_id(enterprise_id), category_code, one_line(title or ""), (description or "").strip()]
    what += [parse_id(chain_id), files]
    if staged_ids:
        what.append(sorted(set(staged_ids)))
    return hashlib.sha256(json.dumps(what, ensure_ascii=False, default=str).encode()).hexdigest()


def _within_submission_rate(actor: User, now: datetime) -> None:
    """One account may submit ISSUE_SUBMIT_LIMIT_PER_HOUR issues an hour (entries of a complaint
    session, which staff type in from a list, are not counted): beyond it, a RateLimited with the
    seconds until the oldest of that hour's submissions leaves the window."""
    limit = settings.ISSUE_SUBMIT_LIMIT_PER_HOUR
    recent = Issue.objects.filter(submitted_by=actor, session__isnull=True, created_at__gt=now - SUBMIT_WINDOW)
    times = list(recent.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if len(times) < limit:
        return
    wait = max(1, int((times[-1] + SUBMIT_WINDOW - now).total_seconds()) + 1)
    raise RateLimited(
        _("You have submitted %(limit)d issues in the last hour; you can submit again in %(minutes)d minutes.")
        % {"limit": limit, "minutes": max(1, round(wait / 60))},
        retry_after=wait,
    )


def _earlier_submission(actor: User, key: str, fingerprint: str, now: datetime) -> Issue | None:
    earlier = Issue.objects.filter(submitted_by=actor, idempotency_key=key).first()
    if earlier is None:
        return None
    if earlier.created_at < now - IDEMPOTENCY_WINDOW:
        # Expired: the key may name a new request now. The old issue keeps everything but the key.
        Issue.objects.filter(pk=earlier.pk).update(idempotency_key=None)
        return None
    _require_same_request(earlier, fingerprint)
    return earlier


def _require_same_request(earlier: Issue, fingerprint: str) -> None:
    # An issue stored before fingerprints existed has none: its key is honoured as it was.
    if earlier.idempotency_fingerprint and earlier.idempotency_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was used for issue %(number)s with a different request; use a new key.")
            % {"number": earlier.number}
        )
