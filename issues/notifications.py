"""Who hears of what, and the outbox. A notification row is written in the same transaction as the
event it reports; e-mail is sent afterwards by a task that the sweep also runs, so a Redis or
worker outage delays mail but loses none, and the claim in `send_pending_emails` sends none twice."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role
from issues.models import Issue, Notification
from secretaries.selectors import cadre_ids_posted_to

log = logging.getLogger(__name__)
User = get_user_model()


def _active():
    return User.objects.filter(is_active=True)


def enterprise_people(issue: Issue):
    """The enterprise's side: its contacts, and the first secretaries dispatched to it now. Not simply
    the submitter: a secretary whose dispatch has ended no longer sees the issue, nor hears of it."""
    secretaries = cadre_ids_posted_to(issue.enterprise_id)
    return _active().filter(
        Q(enterprise_id=issue.enterprise_id, groups__name=Role.ENTERPRISE_CONTACT)
        | Q(pk__in=secretaries, groups__name=Role.FIRST_SECRETARY)
    )


def unit_handlers(unit_ids: Iterable[int]):
    return _active().filter(unit_id__in=list(unit_ids), groups__name=Role.UNIT_HANDLER)


def district_staff():
    return _active().filter(groups__name=Role.DISTRICT_STAFF)


def chain_leaders(issue: Issue):
    if not issue.chain_id:
        return _active().none()
    return _active().filter(chain_leaderships__chain_id=issue.chain_id)


def notify(*, issue: Issue, recipients, subject: str, body: str = "", exclude=None) -> int:
    """Write one inbox row per recipient (one query to find them, one to insert) and ask for mail."""
    ids = set(recipients.values_list("pk", flat=True))
    if exclude is not None:
        ids.discard(exclude.pk)
    if not ids:
        return 0
    line = f"[{issue.number}] {subject}"
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, issue=issue, subject=line[:200], body=body) for pk in sorted(ids)
    )
    request_email_delivery()
    return len(ids)


def mark_notifications_read(*, actor, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def request_email_delivery() -> None:
    transaction.on_commit(_enqueue_email_delivery)


def _enqueue_email_delivery() -> None:
    from issues.tasks import send_pending_emails_task

    enqueue(send_pending_emails_task)


def enqueue(task, *args) -> bool:
    """Hand a task to the broker without ever failing the request that asked for it: if Redis is
    down the work stays in the database and the next sweep (beat, or the command) picks it up."""
    try:
        with task.app.producer_or_acquire() as producer:
            # Connect with no retry: kombu's default retries for broker_connection_timeout (about 6 s
            # with Redis down), which every request that writes a notification would wait out.
            producer.connection.ensure_connection(max_retries=0)
            task.apply_async(args=args, producer=producer, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure means "later", never "lost"
        log.warning("broker unavailable; %s left for the next sweep", task.name, exc_info=True)
        return False
    return True


def send_pending_emails(limit: int = 500) -> int:
    """Send the mail of notifications not yet e-mailed. Each row is claimed by a conditional update
    before sending, so two workers never send the same one; a failed send releases the claim."""
    sent = 0
    pending = (
        Notification.objects.filter(email_due=True, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("pk")[:limit]
    )
    for notification in pending:
        now = timezone.now()
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=now)
        if claimed != 1:
            continue
        address = notification.recipient.email
        if not address:
            continue  # nothing to send to; the inbox row is the notification
        try:
            send_mail(
                notification.subject, notification.body or notification.subject, settings.DEFAULT_FROM_EMAIL, [address]
            )
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            log.warning("mail to %s failed; will retry", address, exc_info=True)
            continue
        sent += 1
    return sent
