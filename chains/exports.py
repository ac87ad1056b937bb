"""The chain and enterprise lists' Excel exports (chainparty.jobs): the rows each list shows — the
user's scope and the list's filters, search and order (its FilterSet over the page's query string).
Registered from ChainsConfig.ready()."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from chainparty import jobs
from chainparty.spreadsheets import Column
from chains.filters import ChainFilter, EnterpriseFilter
from chains.selectors import list_chains_for_user, list_enterprises_for_user

CHAIN_COLUMNS = [
    Column("name", _("Chain"), width=26),
    Column("code", _("Code"), width=16),
    Column("paths", _("Coverage paths"), width=30),
    Column("lead_unit", _("Lead unit"), width=24),
    Column("industry_committee", _("Industry party committee"), width=24),
    Column("leaders", _("Leaders"), width=24),
    Column("master", _("Chain master"), width=28),
    Column("enterprises", _("Enterprises"), width=10),
]
ENTERPRISE_COLUMNS = [
    Column("name", _("Name"), width=32),
    Column("credit_code", _("Unified social credit code"), width=22),
    Column("kind", _("Kind"), width=10),
    Column("size_class", _("Size class"), width=10),
    Column("park", _("Park"), width=20),
    Column("chains", _("Chains"), width=36),
    Column("honours", _("Honours"), width=30),
    Column("employees", _("Employees"), width=10),
    Column("output", _("Annual output (10k CNY)"), width=14),
    Column("address", _("Address"), width=30),
    Column("updated", _("Last updated"), width=18),
]


def chain_rows(actor: User, params: QueryDict):
    chains = ChainFilter(params or None, queryset=list_chains_for_user(actor), user=actor).page_rows()

    def rows():
        for chain in chains:  # a few dozen chains: their prefetches in one go
            yield (
                chain.name,
                chain.code,
                "、".join(chain.coverage_paths),
                chain.lead_unit.name,
                chain.industry_committee.name if chain.industry_committee else "",
                "、".join(str(leadership.user) for leadership in chain.leaderships.all()),
                "、".join(master.enterprise.name for master in chain.designated_masters),
                chain.enterprise_count,
            )

    return chains.count(), rows()


def enterprise_rows(actor: User, params: QueryDict):
    enterprises = EnterpriseFilter(params or None, queryset=list_enterprises_for_user(actor), user=actor).page_rows()

    def rows():
        for enterprise in enterprises.iterator(chunk_size=2000):  # the prefetches per chunk
            yield (
                enterprise.name,
                enterprise.credit_code,
                enterprise.get_kind_display(),
                enterprise.get_size_class_display(),
                enterprise.park.name if enterprise.park else "",
                "、".join(f"{m.chain.name}（{m.segment.name}）" for m in enterprise.memberships.all()),
                "、".join(honour.get_honour_display() for honour in enterprise.honours.all()),
                enterprise.employees,
                enterprise.annual_output,
                enterprise.address,
                timezone.localtime(enterprise.updated_at).strftime("%Y-%m-%d %H:%M"),
            )

    return enterprises.count(), rows()


def register() -> None:
    jobs.register_exporter(
        jobs.Exporter(
            name="chains.chains",
            title=_("Industrial chains"),
            columns=CHAIN_COLUMNS,
            source=chain_rows,
            allowed=jobs.business_roles,
        )
    )
    jobs.register_exporter(
        jobs.Exporter(
            name="chains.enterprises",
            title=_("Enterprises"),
            columns=ENTERPRISE_COLUMNS,
            source=enterprise_rows,
            allowed=jobs.business_roles,
        )
    )
