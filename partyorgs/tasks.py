from celery import shared_task

from partyorgs.sweep import sweep_term_reminders


@shared_task
def sweep_term_reminders_task() -> dict:
    """Beat runs this daily (chainparty/schedules.py); `manage.py sweep_term_reminders` does the same."""
    return sweep_term_reminders()
