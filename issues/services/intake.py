"""Intake (design §4.6): who may submit for which enterprise, the checks on a submission and its
files, and the submission itself with its number, attachments and first notification."""

import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from chainparty.errors import IdempotencyKeyReused, RateLimited
from chainparty.scope import parse_id
from chainparty.text import one_line, text_problem
from chains.models import Chain, ChainMembership, Enterprise
from issues import deadlines
from issues.models import Attachment, ComplaintSession, Issue, IssueCategory
from issues.notifications import district_staff, notify_about_issue
from issues.services._common import record_event, require_text
from issues.workflow import Action
from secretaries.selectors import enterprise_ids_posted_to

SUBMITTER_ROLES = (Role.ENTERPRISE_CONTACT, Role.FIRST_SECRETARY, Role.PARK_CHIEF, Role.DISTRICT_STAFF)
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


# What a file of each allowed type begins with (its "magic number"): the name alone proves nothing, and
# an HTML page named .pdf would be served back to other people's browsers.
_OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the compound file of .doc, .xls, .ppt, .wps, .et
_ZIP = (b"PK\x03\x04",)  # the Office Open XML formats are zip archives
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
    ".doc": _OLE2,
    ".xls": _OLE2,
    ".ppt": _OLE2,
    ".wps": _OLE2,
    ".et": _OLE2,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
}


def content_matches(content: File, ext: str) -> bool:
    """Whether the file's first bytes are those of its type (the stream is left at its start)."""
    content.seek(0)
    head = content.read(16)
    content.seek(0)
    if isinstance(head, str):
        head = head.encode()
    if not any(head.startswith(signature) for signature in SIGNATURES.get(ext, ())):
        return False
    return ext != ".webp" or head[8:12] == b"WEBP"


@dataclass
class Upload:
    name: str
    content: File  # an UploadedFile, from a form or the API
    size: int


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


def validate_uploads(uploads: Sequence[Upload]) -> list[tuple[Upload, str, str]]:
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
        if not content_matches(upload.content, ext):
            raise ValidationError(
                {
                    "attachments": _("%(name)s: the content is not a %(type)s file, whatever its name says.")
                    % {"name": original, "type": ext.lstrip(".").upper()}
                }
            )
        checked.append((upload, original[-200:], ext))
    return checked


def validate_submission(
    *,
    actor: User,
    enterprise_id: object,
    category_code: str | None,
    title: str,
    description: str,
    chain_id: object = None,
) -> tuple[Enterprise, IssueCategory, Chain | None]:
    """Check one submission without writing anything; returns the resolved objects. Shared by the
    single form, the API and the complaint-session grid (which validates every row first)."""
    if not actor.has_role(*SUBMITTER_ROLES):
        raise PermissionDenied(_("You may not submit issues."))
    errors: dict[str, str | list[str]] = {}
    enterprise_pk, chain_pk = parse_id(enterprise_id), parse_id(chain_id)
    # A code the database would refuse (a NUL byte) is never sent to it.
    bad_code = text_problem(category_code) if category_code else None
    category = None
    if category_code and not bad_code:
        category = IssueCategory.objects.filter(code=category_code, is_active=True).first()
    if bad_code:
        errors["category"] = bad_code
    elif not category_code:
        errors["category"] = _("This field is required.")
    elif category is None:
        errors["category"] = _("Unknown category “%(code)s”.") % {"code": category_code}
    enterprise = submitter_enterprises(actor).filter(pk=enterprise_pk).first() if enterprise_pk else None
    if enterprise is None:
        errors["enterprise"] = _("Choose an enterprise you may submit for.")
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
                errors["chain"] = _("The enterprise is not on this chain.")
        else:
            first = memberships.select_related("chain").first()
            chain = first.chain if first else None
    # A missing enterprise or category is in `errors` already; naming them again tells the type checker.
    if errors or enterprise is None or category is None:
        raise ValidationError(errors)
    return enterprise, category, chain


@transaction.atomic
def submit_issue_once(
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
) -> "Submission":
    """Submit an issue, once per Idempotency-Key (design §6): the same key with the same request
    within IDEMPOTENCY_WINDOW answers with the issue it made (`replayed`), also when the two race;
    the same key with another request raises IdempotencyKeyReused and writes nothing; after the
    window the key is free again."""
    fingerprint = ""
    if idempotency_key:
        fingerprint = submission_fingerprint(
            enterprise_id=enterprise_id,
            category_code=category_code,
            title=title,
            description=description,
            chain_id=chain_id,
            uploads=uploads,
        )
        existing = _earlier_submission(actor, idempotency_key, fingerprint, at or timezone.now())
        if existing:
            return Submission(existing, replayed=True)
    if session is None:
        _within_submission_rate(actor, at or timezone.now())
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
    *, enterprise_id: object, category_code: object, title: str, description: str, chain_id: object, uploads
) -> str:
    """A digest of what a submission asks for, to tell a retry from another request under one key."""
    files = sorted((str(upload.name), int(upload.size or 0)) for upload in uploads)
    what = [parse_id(enterprise_id), category_code, one_line(title or ""), (description or "").strip()]
    what += [parse_id(chain_id), files]
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
