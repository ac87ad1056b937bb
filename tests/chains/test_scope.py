import pytest

from chains.models import Chain, ChainMaster, Enterprise, Park


def names(queryset):
    return sorted(str(obj) for obj in queryset)


@pytest.mark.django_db
class TestVisibility:
    def test_staff_sees_every_chain_and_enterprise(self, world):
        assert Chain.objects.visible_to(world.staff).count() == 2
        assert Enterprise.objects.visible_to(world.staff).count() == 3

    def test_chain_leader_sees_only_the_chains_they_lead(self, world):
        assert names(Chain.objects.visible_to(world.leader_a)) == ["生物医药链A"]
        assert names(Enterprise.objects.visible_to(world.leader_a)) == ["甲一企业", "甲二企业"]

    def test_unit_handler_sees_the_chains_of_their_unit(self, world):
        assert names(Chain.objects.visible_to(world.handler_a)) == ["生物医药链A"]
        assert names(Chain.objects.visible_to(world.handler_town)) == []

    def test_park_chief_sees_the_enterprises_of_their_park(self, world):
        assert names(Enterprise.objects.visible_to(world.chief_a)) == ["甲一企业"]
        assert names(Park.objects.visible_to(world.chief_a)) == ["科学城A"]

    def test_first_secretary_sees_the_enterprise_they_are_posted_to(self, world):
        assert names(Enterprise.objects.visible_to(world.secretary_a)) == ["甲一企业"]

    def test_enterprise_contact_sees_only_their_enterprise(self, world):
        assert names(Enterprise.objects.visible_to(world.contact_a)) == ["甲一企业"]
        assert names(Chain.objects.visible_to(world.contact_a)) == ["生物医药链A"]
        assert names(ChainMaster.objects.visible_to(world.contact_b)) == ["新能源链B · 乙一企业"]

    @pytest.mark.parametrize("who", ["security", "auditor", "outsider"])
    def test_administrators_and_outsiders_see_no_business_data(self, world, who):
        user = getattr(world, who)
        assert not Chain.objects.visible_to(user).exists()
        assert not Enterprise.objects.visible_to(user).exists()
        assert not Park.objects.visible_to(user).exists()
