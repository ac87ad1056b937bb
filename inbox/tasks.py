from celery import shared_task

from inbox.services import send_pending_emails


@shared_task
def send_pending_emails_task() -> int:
    return send_pending_emails()
