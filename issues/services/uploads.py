"""An issue's files: which may be sent (type, size, content), every problem of every file at once, and
the files kept from a refused submission (staged uploads) until the submission that succeeds takes
them, or the purge a day later."""

import os
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import User
from issues.models import Attachment, Issue, StagedUpload
from issues.selectors import staged_on_form

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = settings.MAX_FILE_BYTES  # what chainparty.uploads keeps of a file while it streams in
# Files kept from refused submissions: a day, and at most this many per person at a time (so that
# failing on purpose cannot fill the disk; past it a file is named in the error, to be chosen again).
STAGED_KEEP = timedelta(days=1)
STAGED_PER_USER = 3 * MAX_ATTACHMENTS
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


@dataclass(frozen=True)
class CheckedUpload:
    upload: Upload
    original: str  # the sanitised name it is shown and downloaded under
    ext: str


def check_uploads(uploads: Sequence[Upload], *, kept: int = 0) -> tuple[list[CheckedUpload], list[str]]:
    """Every file's problem at once, each message naming its file, and the files that have none.
    `kept`: files already attached to the submission (staged in an earlier round), which count
    against MAX_ATTACHMENTS."""
    problems = []
    if kept + len(uploads) > MAX_ATTACHMENTS:
        message = _("At most %(n)d files, %(kept)d of them kept from before.") if kept else _("At most %(n)d files.")
        problems.append(message % {"n": MAX_ATTACHMENTS, "kept": kept})
    checked = []
    for upload in uploads:
        original = get_valid_filename(os.path.basename(upload.name or "").strip()) or "file"
        ext = os.path.splitext(original)[1].lower()
        if ext not in ALLOWED_EXTENSIONS:
            problems.append(
                _("%(name)s: this file type is not allowed (PDF, images and office documents are).")
                % {"name": original}
            )
        elif upload.size > MAX_ATTACHMENT_BYTES:
            problems.append(_("%(name)s: a file may be at most 20 MB.") % {"name": original})
        elif not content_matches(upload.content, ext):
            problems.append(
                _("%(name)s: the content is not a %(type)s file, whatever its name says.")
                % {"name": original, "type": ext.lstrip(".").upper()}
            )
        else:
            checked.append(CheckedUpload(upload, original[-200:], ext))
    return checked, problems


def _stored_name(ext: str) -> str:
    return f"{uuid.uuid4().hex}{ext}"


def store_attachments(issue: Issue, actor: User, checked: Sequence[CheckedUpload], staged: Sequence[StagedUpload]):
    """Attach the checked files and the staged ones to the issue. A staged file keeps the file it was
    stored as (nothing is copied); its staging row goes, so the purge never deletes that file."""
    for item in checked:
        stored = _stored_name(item.ext)
        attachment = Attachment(
            issue=issue,
            original_name=item.original,
            stored_name=stored,
            content_type=ALLOWED_EXTENSIONS[item.ext],
            size=item.upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(stored, item.upload.content, save=False)
        attachment.save()
    Attachment.objects.bulk_create(
        Attachment(
            issue=issue,
            file=kept.file.name,
            original_name=kept.original_name,
            stored_name=kept.stored_name,
            content_type=kept.content_type,
            size=kept.size,
            uploaded_by=actor,
        )
        for kept in staged
    )
    StagedUpload.objects.filter(pk__in=[kept.pk for kept in staged]).delete()


# --- staged uploads -----------------------------------------------------------------------------------
def take_staged_uploads(*, actor: User, token: str | None, ids: Collection[int]) -> tuple[list[StagedUpload], int]:
    """Lock the staged files a submission names (the person's own, on this form) for it to attach;
    and how many of the ids named none (removed, or purged after a day), for it to say so. The lock
    keeps the purge, which skips locked rows, off them until the submission commits or fails."""
    if not ids:
        return [], 0
    rows = list(staged_on_form(actor, token).filter(pk__in=ids).select_for_update())
    return rows, len(set(ids)) - len(rows)


@transaction.atomic
def stage_uploads(*, actor: User, token: str, uploads: Sequence[Upload]) -> list[str]:
    """Keep the files of a refused submission for the next try on the same form (token). A file that
    fails its own checks is not kept (the refusal named it); past MAX_ATTACHMENTS on the form or
    STAGED_PER_USER in all, the rest are not kept either. Returns the names of the good files that
    were not kept, for the page to ask for them again by name."""
    checked, _problems = check_uploads(uploads)
    if not checked:
        return []
    # Locks the person's row: two refused rounds at once cannot both pass the limits.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    mine = StagedUpload.objects.filter(owner=actor)
    on_form = mine.filter(token=token).count()
    room = max(0, min(MAX_ATTACHMENTS - on_form, STAGED_PER_USER - mine.count()))
    for item in checked[:room]:
        staged = StagedUpload(
            owner=actor,
            token=token,
            original_name=item.original,
            stored_name=_stored_name(item.ext),
            content_type=ALLOWED_EXTENSIONS[item.ext],
            size=item.upload.size,
        )
        staged.file.save(staged.stored_name, item.upload.content, save=False)
        staged.save()
    return [item.original for item in checked[room:]]


@transaction.atomic
def discard_staged_uploads(*, actor: User, token: str | None, ids: Collection[int]) -> int:
    """Take kept files off the form (the person's own on this form only; other ids are ignored), with
    their files once that commits. How many went."""
    if not ids:
        return 0
    rows = list(staged_on_form(actor, token).filter(pk__in=ids).values_list("pk", "file"))
    StagedUpload.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
    names = [name for _pk, name in rows]
    transaction.on_commit(partial(_delete_files, names))
    return len(rows)


def purge_staged_uploads(*, now: datetime | None = None, batch: int = 500) -> int:
    """Delete the staged files older than STAGED_KEEP, with their files. Beat runs it hourly
    (`manage.py purge_staged_uploads`). Safe to run twice or in two workers at once: each row is
    claimed by one run (`FOR UPDATE SKIP LOCKED`), a file is deleted only after its row's delete
    committed, and a file already gone is no error. A submission attaching a file holds its row's
    lock, so a purge never deletes a file being attached."""
    cutoff = (now or timezone.now()) - STAGED_KEEP
    purged = 0
    while True:
        with transaction.atomic():
            rows = list(
                StagedUpload.objects.filter(created_at__lt=cutoff)
                .order_by("created_at")
                .select_for_update(skip_locked=True)
                .values_list("pk", "file")[:batch]
            )
            if not rows:
                return purged
            StagedUpload.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
            names = [name for _pk, name in rows]
            transaction.on_commit(partial(_delete_files, names))
        purged += len(rows)
        if len(rows) < batch:
            return purged


def _delete_files(names: Sequence[str]) -> None:
    storage = StagedUpload._meta.get_field("file").storage
    for name in names:
        storage.delete(name)  # FileSystemStorage.delete ignores a file already gone
