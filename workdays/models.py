from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SATURDAY, SUNDAY = 5, 6  # date.weekday()


class Kind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday")  # 法定节假日: a day off
    WORKDAY = "workday", _("Make-up working day")  # 调休上班日: a weekend day that is worked


class Source(models.TextChoices):
    CHINESE_CALENDAR = "chinese_calendar", _("chinesecalendar package")
    MANUAL = "manual", _("Entered by staff")


class CalendarDay(models.Model):
    """An exception to the plain week on the mainland-China calendar (design §4.6).

    Only exceptions are stored: a day without a row is a working day from Monday to Friday and a
    day off on Saturday and Sunday. A `workday` row must fall on a weekend (a weekday is worked
    anyway), which `clean()` and a database constraint both enforce. A `holiday` row on a weekend is
    allowed: it changes nothing in the count, but the State Council's notices list the holiday's
    whole span (国庆节 1–7 October includes a weekend) and so does the chinesecalendar package, so the
    table shows the same span staff read in the notice.

    `load_holidays` writes rows with source `chinese_calendar` and never touches `manual` rows; the
    admin marks every row a person saves as `manual`.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("For example 国庆节 or 国庆节调休."))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            # week_day: 1 = Sunday … 7 = Saturday (Django's lookup, on every backend).
            models.CheckConstraint(
                condition=~Q(kind=Kind.WORKDAY) | Q(date__week_day__in=[1, 7]),
                name="workdays_calendarday_workday_on_weekend",
                violation_error_message=_("A make-up working day must be a Saturday or a Sunday."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.kind == Kind.WORKDAY and self.date is not None and self.date.weekday() not in (SATURDAY, SUNDAY):
            raise ValidationError(
                {
                    "date": _(
                        "%(date)s is a weekday, which is a working day anyway: a make-up working day must be "
                        "a Saturday or a Sunday."
                    )
                    % {"date": self.date.isoformat()}
                }
            )
