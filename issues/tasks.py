from celery import shared_task

from inbox.services import send_pending_emails
from issues.services.uploads import purge_staged_uploads
from issues.sweep import sweep_deadlines


@shared_task
def sweep_deadlines_task() -> dict:
    """Beat runs this every minute. It also sends the mail that piled up while the broker was down."""
    counts = sweep_deadlines()
    counts["emails"] = send_pending_emails()
    return counts


@shared_task
def purge_staged_uploads_task() -> int:
    """Beat runs this hourly: files kept from refused submissions go a day after they came."""
    return purge_staged_uploads()
