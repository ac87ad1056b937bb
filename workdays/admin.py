from django.contrib import admin
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from accounts.admin import BusinessAdmin
from workdays.models import CalendarDay, Source


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            return queryset.filter(date__year=self.value())
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(BusinessAdmin):
    """The holiday table district staff keep (design §4.6): next year's holidays are entered here."""

    list_display = ["date", "weekday", "kind", "name", "source"]
    list_filter = [YearFilter, "kind", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["source"]
    ordering = ["-date"]

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        return WEEKDAYS[obj.date.weekday()]  # Django's own translated names (星期一…)

    def save_model(self, request, obj, form, change):
        # A row a person saved is theirs: load_holidays must not overwrite it.
        obj.source = Source.MANUAL
        super().save_model(request, obj, form, change)
