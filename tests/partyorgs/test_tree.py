"""The recursive CTEs of partyorgs/tree.py: descendants, ancestors and rolled-up counts, one query each."""

import pytest

from partyorgs import tree
from partyorgs.models import OrgKind, PartyOrganization
from tests import factories as f

pytestmark = pytest.mark.django_db


def chain_of(depth: int) -> list[PartyOrganization]:
    """A committee with a general branch below it, and so on, `depth` deep; the last one a branch."""
    nodes, parent = [], None
    for level in range(depth):
        kind = OrgKind.BRANCH if level == depth - 1 else OrgKind.GENERAL_BRANCH
        parent = f.PartyOrganizationFactory(name=f"第{level}级", kind=kind, parent=parent, formal_members=level + 1)
        nodes.append(parent)
    return nodes


def test_descendants_at_any_depth_in_one_query(django_assert_num_queries):
    nodes = chain_of(8)
    side = f.PartyOrganizationFactory(parent=nodes[2])
    with django_assert_num_queries(1):
        below = tree.descendant_ids(nodes[0].pk)
    assert below == sorted([n.pk for n in nodes[1:]] + [side.pk])
    assert tree.descendant_ids(nodes[-1].pk) == []


def test_ancestors_nearest_first(django_assert_num_queries):
    nodes = chain_of(5)
    with django_assert_num_queries(1):
        assert tree.ancestor_ids(nodes[4].pk) == [n.pk for n in reversed(nodes[:4])]


def test_a_cycle_in_the_table_does_not_loop_forever():
    a, b = f.PartyOrganizationFactory(kind=OrgKind.COMMITTEE), f.PartyOrganizationFactory(kind=OrgKind.COMMITTEE)
    # Written past the services, as a broken import might: the walk still ends.
    PartyOrganization.objects.filter(pk=a.pk).update(parent=b)
    PartyOrganization.objects.filter(pk=b.pk).update(parent=a)
    assert set(tree.descendant_ids(a.pk)) == {a.pk, b.pk}
    assert tree.ancestor_ids(a.pk) == [b.pk]
    assert tree.rollups([a.pk])[a.pk].organizations == 2


def test_rollups_sum_each_subtree_in_one_query(orgs, django_assert_num_queries):
    with django_assert_num_queries(1):
        rollups = tree.rollups([orgs.committee_x.pk, orgs.branch_a1.pk])
    assert rollups[orgs.committee_x.pk] == tree.Rollup(organizations=3, formal=5 + 8 + 4, probationary=1 + 2)
    assert rollups[orgs.branch_a1.pk] == tree.Rollup(organizations=1, formal=8, probationary=2)


def test_rollups_walk_only_what_the_user_sees(orgs):
    visible = PartyOrganization.objects.visible_to(orgs.leader_b)
    assert list(visible) == [orgs.joint_b]
    assert tree.rollups([orgs.joint_b.pk], visible=visible)[orgs.joint_b.pk].formal == 4
    assert tree.descendant_ids(orgs.committee_x.pk, visible=visible) == [orgs.joint_b.pk]
