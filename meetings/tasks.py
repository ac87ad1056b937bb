from celery import shared_task

from meetings.sweep import schedule_quarterly_meetings, send_meeting_reminders


@shared_task
def schedule_quarterly_meetings_task() -> int:
    """Beat runs this every day: the quarter's meetings once, and whatever a missed quarter start left."""
    return len(schedule_quarterly_meetings())


@shared_task
def send_meeting_reminders_task() -> dict:
    """Beat runs this every quarter of an hour: reminders once each, agendas refreshed."""
    return send_meeting_reminders()
