from celery import shared_task
from django.core import management

from chainparty.throttle import purge_rate_windows


@shared_task
def clear_expired_sessions_task() -> None:
    """The daily clean-up of what expires with time: sessions, and the throttles' ended windows."""
    management.call_command("clearsessions")
    purge_rate_windows()
