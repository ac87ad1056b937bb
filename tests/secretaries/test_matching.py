"""Matching (issue 8): a chain's SMEs without coverage, in the order of party members, employees,
open issues and honours, each with cadres suggested by their unit's remit and expertise. Checked
against a small fixture whose order is written out by hand."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import IntegerField, Q, Value
from django.test import override_settings

from issues import services as issue_services
from issues.models import CategoryKind, IssueCategory
from secretaries import figures, matching
from secretaries.models import PostingKind
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(posts):
    """Chain A's SMEs: ent_a1 has a first secretary (covered); ent_a2 (10 employees) is uncovered.
    Added: big (200), two of 50 employees — busy (two open issues, two honours) and quiet (two open
    issues, no honour) — plain (50, one honour, no issue), covered (an instructor), a large
    enterprise and one on chain B only."""
    call_command("load_holidays", "--years", "2026", verbosity=0)
    IssueCategory.objects.create(code="inquiry", name="咨询", kind=CategoryKind.INQUIRY, resolve_days=2)
    w = posts
    w.ent_a2.employees = 10
    w.ent_a2.save()

    def sme(name, employees, honours=(), issues=0, chain=w.chain_a, size="small"):
        enterprise = f.EnterpriseFactory(name=name, employees=employees, size_class=size)
        segment = w.seg_a if chain == w.chain_a else w.seg_b
        f.MembershipFactory(enterprise=enterprise, segment=segment, chain=chain)
        for year, honour in enumerate(honours, start=2020):
            enterprise.honours.create(honour=honour, year=year)
        for n in range(issues):
            issue_services.submit_issue(
                actor=w.staff,
                enterprise_id=enterprise.pk,
                category_code="inquiry",
                title=f"诉求{n}",
                description="说明",
            )
        return enterprise

    w.big = sme("大企业乙", 200)
    w.busy = sme("忙企业", 50, honours=("high_tech", "little_giant"), issues=2)
    w.quiet = sme("静企业", 50, issues=2)
    w.plain = sme("平企业", 50, honours=("high_tech",))
    w.covered = sme("有指导员企业", 300)
    f.PostingFactory(cadre=f.CadreFactory(), enterprise=w.covered, kind=PostingKind.INSTRUCTOR)
    w.large = sme("大型企业", 900, size="large")
    w.elsewhere = sme("乙链企业", 500, chain=w.chain_b)
    return w


def test_uncovered_smes_come_in_the_ranking_order(market):
    rows = list(matching.uncovered_smes(market.chain_a))
    assert [e.name for e in rows] == ["大企业乙", "忙企业", "静企业", "平企业", "甲二企业"]
    busy = rows[1]
    assert (busy.open_issues, busy.honour_count, busy.segment_name, busy.party_members) == (2, 2, "研发A", 0)


def test_party_members_rank_first_once_an_app_lends_the_figure(market, monkeypatch):
    # partyorgs will register the real figure; here one that gives 甲二企业 five members.
    monkeypatch.setitem(
        figures.FIGURES,
        figures.PARTY_MEMBERS,
        lambda: _case_for(market.ent_a2.pk, 5),
    )
    assert [e.name for e in matching.uncovered_smes(market.chain_a)][0] == "甲二企业"


def _case_for(pk, value):
    from django.db.models import Case, When

    return Case(When(pk=pk, then=Value(value)), default=Value(0), output_field=IntegerField())


def test_an_organization_coverage_lent_by_another_app_removes_the_enterprise(market, monkeypatch):
    monkeypatch.setattr(figures, "ORGANIZATION_COVERAGE", [lambda: Q(pk=market.big.pk)])
    assert "大企业乙" not in [e.name for e in matching.uncovered_smes(market.chain_a)]


def test_an_active_instructor_moves_the_enterprise_out_of_the_uncovered(market):
    f.PostingFactory(cadre=f.CadreFactory(), enterprise=market.big, kind=PostingKind.INSTRUCTOR)
    assert "大企业乙" not in [e.name for e in matching.uncovered_smes(market.chain_a)]


def test_an_ended_posting_leaves_the_enterprise_uncovered_again(market):
    from secretaries.models import Posting

    Posting.objects.filter(enterprise=market.covered).update(status="ended", ended_on=date(2026, 11, 30))
    assert "有指导员企业" in [e.name for e in matching.uncovered_smes(market.chain_a)]


@pytest.fixture
def pool(market):
    w = market
    w.pool_cadre.delete()  # the cast's cadre; this pool is written out below
    w.lead = f.CadreFactory(
        name="牵头单位研发干部", source_unit=w.dept_a, expertise=["研发"], birth_date=date(1985, 1, 1)
    )
    w.lead_plain = f.CadreFactory(name="牵头单位干部", source_unit=w.dept_a, birth_date=date(1980, 1, 1))
    w.committee = f.CadreFactory(name="行业党委干部", source_unit=w.ic_a, birth_date=date(1990, 1, 1))
    w.expert = f.CadreFactory(
        name="外单位生物医药干部", source_unit=w.dept_b, expertise=["生物医药"], birth_date=date(1995, 1, 1)
    )
    w.outside = f.CadreFactory(name="无关干部", source_unit=w.town)
    w.not_member = f.CadreFactory(name="非党员干部", source_unit=w.dept_a, expertise=["研发"], party_member=False)
    w.busy_cadre = f.CadreFactory(name="已派驻干部", source_unit=w.dept_a, expertise=["研发"])
    f.PostingFactory(cadre=w.busy_cadre, enterprise=f.EnterpriseFactory())
    return w


def test_cadres_are_suggested_by_remit_and_expertise(pool):
    suggestions = matching.suggest_cadres(pool.chain_a, list(matching.uncovered_smes(pool.chain_a)))
    got = [(s.cadre.name, s.score) for s in suggestions[pool.busy.pk]]
    # The lead unit with matching expertise (3 + 2); the lead unit (3); then a tie at 2 goes to the
    # younger: the expert from another unit (born 1995) before the committee's cadre (1990).
    assert got == [("牵头单位研发干部", 5), ("牵头单位干部", 3), ("外单位生物医药干部", 2)]
    assert suggestions[pool.busy.pk][0].reasons  # said why


def test_a_busy_cadre_is_suggested_only_where_the_district_allows_several_enterprises(pool):
    names = {c.name for c in matching.available_cadres()}
    assert "已派驻干部" not in names
    assert "非党员干部" not in names
    with override_settings(SECRETARIES_MULTIPLE_ENTERPRISES=True):
        assert "已派驻干部" in {c.name for c in matching.available_cadres()}


def test_suggesting_writes_nothing(pool, django_assert_num_queries):
    from secretaries.models import Posting

    before = Posting.objects.count()
    enterprises = list(matching.uncovered_smes(pool.chain_a))
    # the chain's cooperating units, the pool
    with django_assert_num_queries(2):
        matching.suggestion_rows(pool.chain_a, enterprises)
    assert Posting.objects.count() == before


def test_partyorgs_lends_party_members_and_organization_coverage(market):
    """The real figures, registered by the project package (chainparty/apps.py) from partyorgs."""
    f.PartyProfileFactory(enterprise=market.ent_a2, formal_members=4)
    f.PartyOrganizationFactory(covers=[market.big])
    names = [e.name for e in matching.uncovered_smes(market.chain_a)]
    assert names == ["甲二企业", "忙企业", "静企业", "平企业"]
    assert matching.uncovered_smes(market.chain_a).first().party_members == 4
