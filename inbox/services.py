"""Every write on the inbox: notify, mark read, and the outbox that e-mails what was notified.

A notification row is written in the same transaction as the event it reports; e-mail is sent
afterwards by a task enqueued on commit (and also run by the deadline sweep), so a Redis or worker
outage delays mail but loses none, and the claim in `send_pending_emails` sends none twice."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from chainparty.celery import enqueue
from chainparty.text import one_line
from inbox.models import Notification

log = logging.getLogger(__name__)

# Enqueued by name: inbox.tasks imports this module, not the other way round.
SEND_PENDING_EMAILS_TASK = "inbox.tasks.send_pending_emails_task"


def notify(
    *, recipients: QuerySet[User], target: models.Model, subject: str, body: str = "", email: bool = True
) -> int:
    """Write one inbox row about `target` for each of `recipients` (a user queryset: one query to
    find them, duplicates dropped, one to insert) and, with `email`, have it e-mailed after commit.
    Returns how many were told."""
    ids = sorted(set(recipients.values_list("pk", flat=True)))
    if not ids:
        return 0
    target_type = ContentType.objects.get_for_model(target)
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            target_type=target_type,
            target_id=target.pk,
            # One line: a CR/LF in a mail header would end it (or inject another).
            subject=one_line(subject)[:200],
            body=body,
            email_due=email,
        )
        for pk in ids
    )
    if email:
        request_email_delivery()
    return len(ids)


def mark_notifications_read(*, actor: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.for_recipient(actor).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def request_email_delivery() -> None:
    """Ask for the outbox to be sent once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(SEND_PENDING_EMAILS_TASK))


MAX_EMAIL_ATTEMPTS = 5


def send_pending_emails(limit: int = 500) -> int:
    """Send the mail of notifications not yet e-mailed. Each row is claimed by a conditional update
    before sending, so two workers never send the same one; a failed send releases the claim and
    counts an attempt, and after MAX_EMAIL_ATTEMPTS the mail is given up (logged). Fresh mail goes
    first, so rows that keep failing never hold up the rest."""
    sent = 0
    pending = (
        Notification.objects.filter(email_due=True, emailed_at__isnull=True, email_failed_at__isnull=True)
        .select_related("recipient")
        .order_by("email_attempts", "pk")[:limit]
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
            attempts = notification.email_attempts + 1
            given_up = timezone.now() if attempts >= MAX_EMAIL_ATTEMPTS else None
            Notification.objects.filter(pk=notification.pk).update(
                emailed_at=None, email_attempts=attempts, email_failed_at=given_up
            )
            if given_up:
                log.error("mail %s to %s given up after %d attempts", notification.pk, address, attempts, exc_info=True)
            else:
                log.warning("mail to %s failed (attempt %d); will retry", address, attempts, exc_info=True)
            continue
        sent += 1
    return sent
