from datetime import date
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PostingKind(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("First secretary")
    INSTRUCTOR = "instructor", _("Party-building instructor")


class PostingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class PostingQuerySet(models.QuerySet["Posting"]):
    def active(self, on: date | None = None) -> Self:
        day = on or timezone.localdate()
        return self.filter(status=PostingStatus.ACTIVE, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Posting(models.Model):
    """A cadre posted (派驻) to an SME as first secretary or party-building instructor (§4.5).

    Not to be confused with an issue's dispatch (派单) to handling units. Only what scope needs is
    kept so far (who is posted where, and when); work logs and the rest of §4.5 come with the
    first-secretary work.
    """

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="postings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PostingKind.choices, default=PostingKind.FIRST_SECRETARY)
    enterprise = models.ForeignKey(
        "chains.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="postings"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PostingStatus.choices, default=PostingStatus.ACTIVE)

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="posting_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.enterprise}"
