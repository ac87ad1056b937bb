"""One FilterSet for the issue list, used by the page and the API alike, with the API's parameter
names (the published contract)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chainparty.filters import FROM, TO, DayFilter, Pinyin, ScopedFilterSet, SearchFilter, SortFilter, choice_rank
from chains.models import Chain
from issues.models import (
    LIVE_SHARES,
    OPEN_STATUSES,
    CategoryKind,
    ComplaintSession,
    ExtensionRequest,
    ExtensionStatus,
    Issue,
    IssueCategory,
    IssueShare,
    RoutingRule,
    Status,
)
from issues.selectors import QUEUE_PARTS


# An id: a whole number (NumberFilter would take decimals).
@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField


ANY = _("Any")
BOOLEAN_CHOICES = [("true", _("yes")), ("false", _("no"))]
ESCALATION_CHOICES = [(level, str(level)) for level in range(4)]
MIN_ESCALATION_CHOICES = [(1, _("Level 1 or higher")), (2, _("Level 2 or higher")), (3, _("Level 3"))]

# What the list page offers as fields; the other filters ride along hidden when a link sets them.
PAGE_FIELDS = (
    "q",
    "status",
    "chain",
    "category",
    "min_escalation_level",
    "overdue",
    "created_after",
    "created_before",
    "ordering",
)
# What ?ordering= sorts by (the list's columns); "deadline" ascending is "least time left first".
SORT_KEYS = {
    "created": (_("Submitted"), ("created_at",)),
    "number": (_("Number"), ("number",)),
    "deadline": (_("Resolve by"), ("resolve_due_at",)),
    "status": (_("Status"), (choice_rank("status", Status),)),
    "enterprise": (_("Enterprise"), (Pinyin("enterprise__name"),)),
    "chain": (_("Chain"), (Pinyin("chain__name"),)),
    "escalation": (_("Escalation level"), ("escalation_level",)),
    "updated": (_("Last change"), ("updated_at",)),
}


class IssueFilter(ScopedFilterSet):
    """Every value is checked: a bad one is a 400 naming the filter (an error on its field on the
    page), never silently ignored. The chains offered are those the user may see, so a chain outside
    scope is "not a valid choice", as one that does not exist; other ids that match nothing the user
    may see simply give an empty page (the list is scoped first)."""

    q = SearchFilter(
        label=_("Number, title or enterprise"),
        fields=("number", "title", "enterprise__name", "enterprise__credit_code"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=ANY)
    chain = django_filters.ModelChoiceFilter(label=_("Chain"), queryset=Chain.objects.none(), empty_label=ANY)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=IssueCategory.objects.order_by("kind", "name"),
        to_field_name="code",
        empty_label=ANY,
    )
    unit = IdFilter(label=_("Lead or co-handling unit"), method="filter_unit")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    escalation_level = django_filters.ChoiceFilter(label=_("Escalation level"), choices=ESCALATION_CHOICES)
    min_escalation_level = django_filters.ChoiceFilter(
        label=_("Escalation level"),
        field_name="escalation_level",
        lookup_expr="gte",
        choices=MIN_ESCALATION_CHOICES,
        empty_label=ANY,
    )
    open = django_filters.ChoiceFilter(
        label=_("Open (not closed)"), choices=BOOLEAN_CHOICES, empty_label=ANY, method="filter_open"
    )
    park = IdFilter(label=_("Park of the enterprise"), field_name="enterprise__park_id")
    extension = django_filters.ChoiceFilter(
        label=_("An extension request"), choices=ExtensionStatus.choices, method="filter_extension"
    )
    resolved_after = DayFilter("resolved_at", bound=FROM, instant=True, label=_("Resolved from"))
    resolved_before = DayFilter("resolved_at", bound=TO, instant=True, label=_("Resolved until"))
    overdue = django_filters.ChoiceFilter(
        label=_("Past the resolve deadline now"), choices=BOOLEAN_CHOICES, method="filter_overdue", empty_label=ANY
    )
    created_after = DayFilter("created_at", bound=FROM, instant=True, label=_("Submitted from"))
    created_before = DayFilter("created_at", bound=TO, instant=True, label=_("Submitted until"))
    ordering = SortFilter(SORT_KEYS)

    scoped_choices = {"chain": Chain}

    class Meta:
        model = Issue
        fields = [
            "q",
            "status",
            "chain",
            "category",
            "unit",
            "enterprise",
            "escalation_level",
            "min_escalation_level",
            "overdue",
            "open",
            "park",
            "extension",
            "created_after",
            "created_before",
            "resolved_after",
            "resolved_before",
            "ordering",
        ]

    def page_form(self) -> forms.Form:
        """The form as the list page shows it: PAGE_FIELDS as fields, the other filters hidden."""
        form = self.form
        for name, field in form.fields.items():
            if name not in PAGE_FIELDS:
                field.widget = forms.HiddenInput()
        return form

    def filter_unit(self, queryset, name, value):
        # A unit's live share, lead or co-handling; a subquery so that no row is repeated.
        shares = IssueShare.objects.filter(unit_id=value, status__in=LIVE_SHARES).values("issue_id")
        return queryset.filter(pk__in=shares)

    def filter_extension(self, queryset, name, value):
        # Pending: the extensions district staff have to decide (the home's to-do).
        requests = ExtensionRequest.objects.filter(status=value).values("issue_id")
        return queryset.filter(pk__in=requests)

    def filter_open(self, queryset, name, value):
        return queryset.open() if value == "true" else queryset.exclude(status__in=OPEN_STATUSES)

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        return queryset.overdue(now) if value == "true" else queryset.not_overdue(now)


class IssueCategoryFilter(ScopedFilterSet):
    q = SearchFilter(label=_("Name or code"), fields=("name", "code"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CategoryKind.choices)
    ordering = SortFilter(
        {
            "name": (_("Name"), (Pinyin("name"),)),
            "code": (_("Code"), ("code",)),
            "resolve_days": (_("Working days to resolve"), ("resolve_days",)),
        }
    )

    class Meta:
        model = IssueCategory
        fields = ["q", "kind", "ordering"]


class ComplaintSessionFilter(ScopedFilterSet):
    # Not the chain's name: a session may be seen by a user who may not see its chain.
    q = SearchFilter(label=_("Title, place or host unit"), fields=("title", "place", "host_unit__name"))
    held_after = DayFilter("held_on", bound=FROM, instant=False, label=_("Held from"))
    held_before = DayFilter("held_on", bound=TO, instant=False, label=_("Held until"))
    ordering = SortFilter(
        {
            "held": (_("Date"), ("held_on",)),
            "title": (_("Title"), (Pinyin("title"),)),
            "issues": (_("Issues"), ("issue_count",)),
        }
    )

    class Meta:
        model = ComplaintSession
        fields = ["q", "held_after", "held_before", "ordering"]


class RoutingRuleFilter(ScopedFilterSet):
    q = SearchFilter(label=_("Category, chain or unit"), fields=("category__name", "chain__name", "unit__name"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=IssueCategory.objects.all(), to_field_name="code"
    )
    ordering = SortFilter(
        {
            "category": (_("Category"), ("category__code",)),
            "chain": (_("Chain"), (Pinyin("chain__name"),)),
            "unit": (_("Suggested lead unit"), (Pinyin("unit__name"),)),
        }
    )

    class Meta:
        model = RoutingRule
        fields = ["q", "category", "ordering"]


class QueueFilter(ScopedFilterSet):
    """我的待办 narrowed to one of its parts (issues.selectors.QUEUE_PARTS), the lists behind the counts
    of a unit handler's home."""

    show = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            ("sign", _("To sign for")),
            ("answer", _("To answer (lead unit)")),
            ("co", _("Co-handling parts to reply")),
            ("late", _("Past the deadline")),
        ],
        empty_label=_("Everything in the queue"),
        method="filter_show",
    )

    class Meta:
        model = IssueShare
        fields = ["show"]

    def filter_show(self, queryset, name, value):
        return queryset.filter(QUEUE_PARTS[value])
