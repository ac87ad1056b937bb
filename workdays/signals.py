"""Cache invalidation only (no business rule here): a saved or deleted CalendarDay takes effect at
once in this process. Other processes pick it up after workdays.calendar.CACHE_SECONDS."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workdays import calendar
from workdays.models import CalendarDay


@receiver(post_save, sender=CalendarDay, dispatch_uid="workdays_clear_cache_on_save")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="workdays_clear_cache_on_delete")
def clear_calendar_cache(**kwargs) -> None:
    calendar.clear_cache()
