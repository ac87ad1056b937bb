"""Figures about an enterprise that apps above secretaries know, lent to it without an import.

secretaries sits below issues and partyorgs (.importlinter) yet its matching ranks enterprises by
open issues and party members, skips those an organization covers, and its pages show an
enterprise's issue progress. Those apps register what they know from their AppConfig.ready, as the
menu's badges are registered (accounts.navigation.register_badge): a figure is a SQL expression over
``OuterRef("pk")`` of an Enterprise queryset, so every use stays one query whatever the number of rows.
An unregistered figure reads 0, and no organization coverage is known until partyorgs registers one.

- ``register_enterprise_figure(name, expression)``: ``expression()`` returns an integer expression
  (a subquery counting the enterprise's open issues, say). Names used here: ``open_issues``,
  ``resolved_issues``, ``party_members``.
- ``register_organization_coverage(condition)``: ``condition()`` returns a ``Q`` on Enterprise
  true where a party organization covers it (organization coverage, §4.3).
"""

from collections.abc import Callable

from django.db.models import Expression, IntegerField, Q, QuerySet, Value

OPEN_ISSUES = "open_issues"
RESOLVED_ISSUES = "resolved_issues"
PARTY_MEMBERS = "party_members"

FIGURES: dict[str, Callable[[], Expression]] = {}
ORGANIZATION_COVERAGE: list[Callable[[], Q]] = []


def register_enterprise_figure(name: str, expression: Callable[[], Expression]) -> None:
    FIGURES[name] = expression


def register_organization_coverage(condition: Callable[[], Q]) -> None:
    if condition not in ORGANIZATION_COVERAGE:
        ORGANIZATION_COVERAGE.append(condition)


def figure(name: str) -> Expression:
    """The registered expression, or 0 for every enterprise."""
    factory = FIGURES.get(name)
    return factory() if factory else Value(0, output_field=IntegerField())


def with_figures(queryset: QuerySet, *names: str) -> QuerySet:
    """The queryset of enterprises annotated with each figure under its name."""
    return queryset.annotate(**{name: figure(name) for name in names})


def organization_covered() -> Q | None:
    """A Q true for enterprises an organization covers, or None when no app says."""
    conditions = [condition() for condition in ORGANIZATION_COVERAGE]
    if not conditions:
        return None
    covered = conditions[0]
    for condition in conditions[1:]:
        covered |= condition
    return covered
