from celery import shared_task

from secretaries.sweep import remind_postings


@shared_task
def remind_postings_task() -> dict:
    """Beat runs this daily; safe to run twice (each reminder is sent once)."""
    return remind_postings()
