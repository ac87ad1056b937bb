"""Posting rules (§4.5, issue 8): what staff may post where, one active posting of a kind per
enterprise, a cadre on one enterprise at a time unless the district allows several, ending and
evaluating a term, work logs on active postings only — each refusal names its field, all at once,
with nothing written."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from chainparty.errors import InvalidTransition
from inbox.models import Notification
from secretaries import services
from secretaries.models import Cadre, Posting, PostingKind, PostingStatus, WorkLog
from tests import factories as f

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def post(world, **kwargs):
    args = {
        "actor": world.staff,
        "cadre_id": world.pool_cadre.pk,
        "kind": PostingKind.FIRST_SECRETARY,
        "enterprise_id": world.ent_a2.pk,
        "start_date": date(2026, 12, 1),
        "end_date": date(2028, 11, 30),
        "goals": "发展党员2名",
    }
    return services.post_cadre(**{**args, **kwargs})


# --- posting -----------------------------------------------------------------------------------
def test_staff_post_a_cadre_to_an_enterprise_and_the_cadre_is_told(posts):
    account = f.UserFactory(username="pool_account")
    posts.pool_cadre.user = account
    posts.pool_cadre.save()
    posting = post(posts)
    assert (posting.cadre, posting.enterprise, posting.status) == (posts.pool_cadre, posts.ent_a2, PostingStatus.ACTIVE)
    assert posting.goals == "发展党员2名"
    assert posting.created_by == posts.staff
    assert Notification.objects.filter(recipient=account, target_id=posting.pk).count() == 1


def test_only_staff_post_cadres(posts):
    for user in (posts.leader_a, posts.handler_a, posts.secretary_a, posts.chief_a, posts.contact_a):
        with pytest.raises(PermissionDenied):
            post(posts, actor=user)
    assert not Posting.objects.filter(enterprise=posts.ent_a2).exists()


def test_a_second_active_posting_of_the_same_kind_to_an_enterprise_is_refused(posts):
    errors = errors_of(lambda: post(posts, enterprise_id=posts.ent_a1.pk))
    assert list(errors) == ["enterprise"]
    assert "甲一企业" in errors["enterprise"][0]
    assert Posting.objects.filter(enterprise=posts.ent_a1).count() == 1


def test_an_instructor_may_serve_beside_the_first_secretary(posts):
    posting = post(posts, enterprise_id=posts.ent_a1.pk, kind=PostingKind.INSTRUCTOR)
    assert posting.kind == PostingKind.INSTRUCTOR


def test_after_the_posting_ended_the_enterprise_may_have_a_new_one(posts):
    services.end_posting(posting_id=posts.posting_a.pk, actor=posts.staff, reason="调回原单位")
    assert post(posts, enterprise_id=posts.ent_a1.pk).status == PostingStatus.ACTIVE


def test_the_database_refuses_a_second_active_posting_of_a_kind_even_past_the_service(posts):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(
            cadre=posts.pool_cadre,
            kind=PostingKind.FIRST_SECRETARY,
            enterprise=posts.ent_a1,
            start_date=date(2026, 12, 1),
        )


def test_an_end_before_the_start_is_refused(posts):
    errors = errors_of(lambda: post(posts, start_date=date(2026, 12, 1), end_date=date(2026, 11, 30)))
    assert errors == {"end_date": ["结束日期早于开始日期。"]}
    assert not Posting.objects.filter(enterprise=posts.ent_a2).exists()


def test_a_park_chief_posted_to_an_enterprise_is_refused(posts):
    errors = errors_of(lambda: post(posts, kind=PostingKind.PARK_CHIEF))
    assert set(errors) == {"enterprise", "park"}
    assert errors["enterprise"] == ["园长派驻到园区，不能派驻到企业。"]


def test_a_park_chief_goes_to_a_park_and_their_account_joins_its_chiefs(posts):
    chief = f.UserFactory(username="new_chief")
    posts.pool_cadre.user = chief
    posts.pool_cadre.save()
    posting = post(posts, kind=PostingKind.PARK_CHIEF, enterprise_id=None, park_id=posts.park_b.pk)
    assert (posting.park, posting.enterprise) == (posts.park_b, None)
    assert chief in posts.park_b.chiefs.all()
    services.end_posting(posting_id=posting.pk, actor=posts.staff, reason="任期调整")
    assert chief not in posts.park_b.chiefs.all()


def test_an_enterprise_kind_posted_to_a_park_is_refused(posts):
    errors = errors_of(lambda: post(posts, enterprise_id=None, park_id=posts.park_a.pk))
    assert set(errors) == {"park", "enterprise"}


def test_every_error_is_named_at_once_and_nothing_is_written(posts):
    before = Posting.objects.count()
    errors = errors_of(
        lambda: post(posts, cadre_id="abc", kind="mayor", enterprise_id=999999, start_date=None, goals="x" * 5001)
    )
    assert set(errors) == {"cadre", "kind", "start_date", "goals"}
    assert Posting.objects.count() == before


def test_unknown_ids_are_named(posts):
    errors = errors_of(lambda: post(posts, cadre_id=999999, enterprise_id=999999))
    assert set(errors) == {"cadre", "enterprise"}


def test_a_cadre_serves_one_enterprise_at_a_time_unless_the_district_allows_several(posts):
    post(posts)
    other = f.EnterpriseFactory()
    errors = errors_of(lambda: post(posts, enterprise_id=other.pk))
    assert list(errors) == ["cadre"]
    with override_settings(SECRETARIES_MULTIPLE_ENTERPRISES=True):
        assert post(posts, enterprise_id=other.pk).enterprise == other


def test_a_cadre_may_follow_one_posting_with_another_that_does_not_overlap(posts):
    post(posts, start_date=date(2026, 12, 1), end_date=date(2027, 5, 31))
    later = post(posts, enterprise_id=f.EnterpriseFactory().pk, start_date=date(2027, 6, 1), end_date=date(2028, 5, 31))
    assert later.start_date == date(2027, 6, 1)


# --- end and evaluate --------------------------------------------------------------------------
def test_ending_records_the_day_and_reason_and_tells_the_cadre(posts):
    posting = services.end_posting(posting_id=posts.posting_a.pk, actor=posts.staff, reason="调回原单位")
    assert (posting.status, posting.ended_on, posting.end_reason) == (
        PostingStatus.ENDED,
        date(2026, 12, 1),
        "调回原单位",
    )
    assert Notification.objects.filter(recipient=posts.secretary_a, target_id=posting.pk).exists()


def test_ending_needs_a_reason_and_a_day_not_before_the_start(posts):
    errors = errors_of(
        lambda: services.end_posting(
            posting_id=posts.posting_a.pk, actor=posts.staff, reason=" ", ended_on=date(2025, 1, 1)
        )
    )
    assert set(errors) == {"reason", "ended_on"}
    assert Posting.objects.get(pk=posts.posting_a.pk).status == PostingStatus.ACTIVE


def test_only_staff_end_or_evaluate(posts):
    for user in (posts.secretary_a, posts.chief_a, posts.contact_a, posts.leader_a):
        with pytest.raises(PermissionDenied):
            services.end_posting(posting_id=posts.posting_a.pk, actor=user, reason="x")
        with pytest.raises(PermissionDenied):
            services.evaluate_posting(
                posting_id=posts.posting_a.pk, actor=user, goals_met="met", problems_solved=1, evaluation="好"
            )


def evaluate(world, posting, **kwargs):
    args = {
        "goals_met": "met",
        "problems_solved": 3,
        "enterprise_opinion": "满意",
        "evaluation": "任期目标完成",
    }
    return services.evaluate_posting(posting_id=posting.pk, actor=world.staff, **{**args, **kwargs})


def test_the_end_of_term_evaluation_closes_an_active_posting(posts):
    posting = evaluate(posts, posts.posting_a)
    assert posting.status == PostingStatus.EVALUATED
    assert (posting.goals_met, posting.problems_solved, posting.enterprise_opinion) == ("met", 3, "满意")
    assert posting.ended_on == date(2026, 12, 1)
    assert posting.evaluated_at is not None


def test_an_ended_posting_is_evaluated_once(posts):
    services.end_posting(posting_id=posts.posting_a.pk, actor=posts.staff, reason="期满", ended_on=date(2026, 11, 30))
    posting = evaluate(posts, posts.posting_a)
    assert (posting.status, posting.ended_on) == (PostingStatus.EVALUATED, date(2026, 11, 30))
    with pytest.raises(InvalidTransition) as error:
        evaluate(posts, posts.posting_a)
    assert error.value.allowed_actions == []


def test_an_evaluation_names_each_bad_field(posts):
    errors = errors_of(lambda: evaluate(posts, posts.posting_a, goals_met="", problems_solved=-1, evaluation=""))
    assert set(errors) == {"goals_met", "problems_solved", "evaluation"}
    assert Posting.objects.get(pk=posts.posting_a.pk).status == PostingStatus.ACTIVE


# --- work logs ---------------------------------------------------------------------------------
def log(world, posting, actor=None, **kwargs):
    args = {"kind": "visit", "date": date(2026, 11, 28), "summary": "走访企业", "members_developed": 1}
    return services.log_work(posting_id=posting.pk, actor=actor or world.secretary_a, **{**args, **kwargs})


def test_the_posted_cadre_logs_work_with_results(posts):
    entry = log(posts, posts.posting_a, activists_found=2)
    assert (entry.kind, entry.members_developed, entry.activists_found, entry.author) == (
        "visit",
        1,
        2,
        posts.secretary_a,
    )


def test_a_work_log_on_a_posting_that_has_ended_is_refused(posts):
    services.end_posting(posting_id=posts.posting_a.pk, actor=posts.staff, reason="期满")
    errors = errors_of(lambda: log(posts, posts.posting_a))
    assert errors == {"posting": ["该派驻已结束，不能再记录工作纪实。"]}
    assert not WorkLog.objects.exists()


def test_another_cadre_may_not_log_on_the_posting(posts):
    for user in (posts.secretary_b, posts.contact_a, posts.chief_a):
        with pytest.raises(PermissionDenied):
            log(posts, posts.posting_a, actor=user)


def test_a_work_log_names_each_bad_field(posts):
    errors = errors_of(
        lambda: log(posts, posts.posting_a, kind="party", date=date(2026, 12, 2), summary="", members_developed=-1)
    )
    assert set(errors) == {"kind", "date", "summary", "members_developed"}
    errors = errors_of(lambda: log(posts, posts.posting_a, date=date(2025, 12, 31)))
    assert list(errors) == ["date"]
    assert not WorkLog.objects.exists()


# --- the pool ----------------------------------------------------------------------------------
def cadre_fields(world, **kwargs):
    args = {
        "name": "李明",
        "source_kind": "town_street",
        "source_unit_id": world.town.pk,
        "position": "党建办主任",
        "party_member": True,
        "birth_date": date(1995, 3, 1),
        "expertise": "基层党建、软件",
        "phone": "13912345678",
    }
    return {**args, **kwargs}


def test_staff_add_a_cadre_with_tags_from_text(posts):
    cadre = services.create_cadre(actor=posts.staff, **cadre_fields(posts))
    assert cadre.expertise == ["基层党建", "软件"]
    assert cadre.is_young()
    assert not Cadre.objects.get(pk=cadre.pk).is_young(on=date(2031, 3, 2))


def test_a_cadre_is_young_until_the_day_after_their_36th_birthday(posts):
    cadre = f.CadreFactory(birth_date=date(1990, 12, 1))
    assert cadre.is_young(on=date(2026, 11, 30))
    assert not cadre.is_young(on=date(2026, 12, 1))


def test_bad_cadre_fields_are_all_named(posts):
    errors = errors_of(
        lambda: services.create_cadre(
            actor=posts.staff,
            **cadre_fields(
                posts,
                name="",
                source_kind="army",
                source_unit_id="x",
                birth_date=date(2027, 1, 1),
                phone="abc",
                expertise=[1],
            ),
        )
    )
    assert set(errors) == {"name", "source_kind", "source_unit", "birth_date", "phone", "expertise"}
    assert not Cadre.objects.filter(position="党建办主任").exists()


def test_a_cadre_of_the_same_name_from_the_same_unit_is_refused(posts):
    services.create_cadre(actor=posts.staff, **cadre_fields(posts))
    errors = errors_of(lambda: services.create_cadre(actor=posts.staff, **cadre_fields(posts)))
    assert list(errors) == ["name"]


def test_only_staff_add_cadres(posts):
    with pytest.raises(PermissionDenied):
        services.create_cadre(actor=posts.leader_a, **cadre_fields(posts))


def test_the_phone_is_masked_for_those_who_need_not_reach_the_cadre(posts):
    cadre = posts.posting_a.cadre
    cadre.phone = "13812345678"
    assert cadre.phone_for(posts.staff) == "13812345678"
    assert cadre.phone_for(posts.secretary_a) == "13812345678"
    for user in (posts.contact_a, posts.chief_a, posts.leader_a):
        assert cadre.phone_for(user) == "138****5678"


# --- the dashboards' figures -------------------------------------------------------------------
def test_the_dashboard_figures_count_active_postings_and_problems_solved(posts):
    from secretaries import selectors

    f.WorkLogFactory(posting=posts.posting_a, kind="problem_solved")
    f.WorkLogFactory(posting=posts.posting_a, kind="problem_solved")
    f.WorkLogFactory(posting=posts.posting_a, kind="visit")
    ended = f.PostingFactory(cadre=f.CadreFactory(source_unit=posts.dept_a), enterprise=posts.ent_a2, status="ended")
    assert selectors.active_postings_by_chain() == {posts.chain_a.pk: 1, posts.chain_b.pk: 1}
    by_unit = selectors.active_postings_by_source_unit()
    assert by_unit[posts.posting_a.cadre.source_unit_id] >= 1
    assert ended.cadre.source_unit_id not in by_unit
    assert selectors.problems_solved_by_cadre() == {posts.posting_a.cadre_id: 2}
