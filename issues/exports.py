"""The issue list's Excel export (chainparty.jobs): the rows the list shows — the user's scope, the
list's filters, search and order (IssueFilter over the page's query string) — with the columns
staff work with. Registered from IssuesConfig.ready()."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from chainparty import jobs
from chainparty.spreadsheets import Column
from issues.filters import IssueFilter
from issues.models import Status
from issues.selectors import list_issues_for_user

COLUMNS = [
    Column("number", _("Number"), width=16),
    Column("title", _("Title"), width=40),
    Column("enterprise", _("Enterprise"), width=30),
    Column("credit_code", _("Unified social credit code"), width=22),
    Column("chain", _("Chain"), width=24),
    Column("category", _("Category"), width=14),
    Column("status", _("Status"), width=10),
    Column("lead_unit", _("Lead unit"), width=24),
    Column("resolve_by", _("Resolve by"), width=18),
    Column("overdue", _("Overdue"), width=8),
    Column("escalation", _("Escalation level"), width=8),
    Column("submitted", _("Submitted"), width=18),
]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def issue_rows(actor: User, params: QueryDict):
    """The issues the list shows for these parameters (a bad filter exports nothing, as the list then
    shows nothing)."""
    issues = IssueFilter(params or None, queryset=list_issues_for_user(actor), user=actor).page_rows()
    labels = dict(Status.choices)

    def rows():
        for issue in issues.iterator(chunk_size=2000):
            yield (
                issue.number or "",
                issue.title,
                issue.enterprise.name,
                issue.enterprise.credit_code,
                issue.chain.name if issue.chain else "",
                issue.category.name,
                str(labels.get(issue.status, issue.status)),
                issue.lead_unit.name if issue.lead_unit else "",
                _when(issue.resolve_due_at),
                str(_("yes")) if issue.is_overdue else "",
                issue.escalation_level,
                _when(issue.created_at),
            )

    return issues.count(), rows()


ISSUES = jobs.Exporter(
    name="issues.list", title=_("Issues"), columns=COLUMNS, source=issue_rows, allowed=jobs.business_roles
)


def register() -> None:
    jobs.register_exporter(ISSUES)
