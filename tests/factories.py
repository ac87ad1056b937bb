"""factory_boy factories: the one place tests build data."""

import itertools
from datetime import date

import factory

from accounts.models import Unit, UnitKind, User
from accounts.roles import Role
from accounts.services import assign_roles
from chains import models as chain_models
from chains.credit_code import make_credit_code
from partyorgs import models as partyorg_models
from secretaries.models import Cadre, Posting, SourceKind, WorkLog

_codes = itertools.count(1)


def next_credit_code() -> str:
    # 9144011 + a 10-digit serial = 17 characters; the check character is computed.
    return make_credit_code(f"9144011{next(_codes):010d}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.ECONOMIC_DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("Correct-Horse-42")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            assign_roles(user=self, roles=list(extracted))


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.Park

    name = factory.Sequence(lambda n: f"园区{n}")
    kind = chain_models.ParkKind.INDUSTRIAL_PARK


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.Chain

    name = factory.Sequence(lambda n: f"产业链{n}")
    code = factory.Sequence(lambda n: f"chain-{n}")
    lead_unit = factory.SubFactory(UnitFactory)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.ChainSegment

    chain = factory.SubFactory(ChainFactory)
    position = chain_models.SegmentPosition.MIDSTREAM
    name = factory.Sequence(lambda n: f"环节{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n:06d}有限公司")
    credit_code = factory.LazyFunction(next_credit_code)
    size_class = chain_models.SizeClass.SMALL
    employees = 50


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.ChainMembership

    enterprise = factory.SubFactory(EnterpriseFactory)
    segment = factory.SubFactory(SegmentFactory)
    chain = factory.SelfAttribute("segment.chain")


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.EnterpriseHonour

    enterprise = factory.SubFactory(EnterpriseFactory)
    honour = chain_models.Honour.HIGH_TECH
    year = 2024


class LeadershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.ChainLeadership

    chain = factory.SubFactory(ChainFactory)
    user = factory.SubFactory(UserFactory, roles=[Role.CHAIN_LEADER])


class ChainMasterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.ChainMaster

    chain = factory.SubFactory(ChainFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


class TaskForceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.TaskForceMember

    chain_master = factory.SubFactory(ChainMasterFactory)
    name = factory.Sequence(lambda n: f"专班成员{n}")
    source = chain_models.MemberSource.INTERNAL


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = chain_models.CultivationMeasure

    chain_master = factory.SubFactory(ChainMasterFactory)
    kind = chain_models.MeasureKind.FISCAL
    title = factory.Sequence(lambda n: f"培育措施{n}")


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"干部{n}")
    source_kind = SourceKind.ECONOMIC_DEPARTMENT
    source_unit = factory.SubFactory(UnitFactory)
    phone = "13912345678"


def cadre_for(user: User) -> Cadre:
    """The pool's cadre for an account (made from it the first time), so tests may post a user."""
    cadre = Cadre.objects.filter(user=user).first()
    if cadre is None:
        unit = user.unit or UnitFactory()
        cadre = CadreFactory(name=user.full_name or user.username, source_unit=unit, user=user)
    return cadre


class PostingFactory(factory.django.DjangoModelFactory):
    """`cadre` may be a Cadre or a User (an account posted: its cadre is found or made)."""

    class Meta:
        model = Posting

    cadre = factory.SubFactory(CadreFactory, user=factory.SubFactory(UserFactory, roles=[Role.FIRST_SECRETARY]))
    enterprise = factory.SubFactory(EnterpriseFactory)
    start_date = date(2026, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if isinstance(kwargs.get("cadre"), User):
            kwargs["cadre"] = cadre_for(kwargs["cadre"])
        return super()._create(model_class, *args, **kwargs)


class WorkLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkLog

    posting = factory.SubFactory(PostingFactory)
    kind = "visit"
    date = factory.LazyAttribute(lambda log: log.posting.start_date)
    summary = factory.Sequence(lambda n: f"工作纪实{n}")


# --- party organizations ------------------------------------------------------------------------
class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    """An organization; `covers=[enterprise, ...]` records the enterprises it covers."""

    class Meta:
        model = partyorg_models.PartyOrganization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试党组织{n}")
    kind = partyorg_models.OrgKind.BRANCH
    formal_members = 3

    @factory.post_generation
    def covers(self, create, extracted, **kwargs):
        if create and extracted:
            for enterprise in extracted:
                partyorg_models.OrgCoverage.objects.create(organization=self, enterprise=enterprise)


class PartyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = partyorg_models.EnterprisePartyProfile

    enterprise = factory.SubFactory(EnterpriseFactory)
    formal_members = 3
