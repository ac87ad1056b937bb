"""The chain routes in the permission matrix (tests/matrix.py): chain_a's objects."""

from chains.models import CultivationMeasure, FacilityKind, MeasureKind, ParkFacility
from tests import factories as f
from tests.matrix import api, page

A = {"contact_b": 404}


def objects(world):
    """A row of each chain model the cast lacks, for the admin's change, delete and history pages."""
    ParkFacility.objects.create(park=world.park_a, kind=FacilityKind.choices[0][0], name="党群服务中心")
    f.HonourFactory(enterprise=world.ent_a1)
    f.TaskForceMemberFactory(chain_master=world.master_a)
    CultivationMeasure.objects.create(chain_master=world.master_a, kind=MeasureKind.FISCAL, title="财政扶持")
    return {}


def _pk(name):
    return lambda w, o: {"pk": getattr(w, name).pk}


ROUTES = {
    "chains:chain-list": page(),
    "chains:chain-detail": page(kwargs=lambda w, o: {"code": w.chain_a.code}, **A),
    "chains:enterprise-list": page(),
    "chains:enterprise-detail": page(kwargs=_pk("ent_a1"), **A),
    "chains:park-list": page(),
    "chains:park-detail": page(kwargs=_pk("park_a"), **A),
    "chain-list": api(),
    "chain-detail": api(kwargs=_pk("chain_a"), security=404, auditor=404, outsider=404, **A),
    "enterprise-list": api(),
    "enterprise-detail": api(kwargs=_pk("ent_a1"), security=404, auditor=404, outsider=404, **A),
    "park-list": api(),
    "park-detail": api(kwargs=_pk("park_a"), security=404, auditor=404, outsider=404, **A),
    "chain-master-list": api(),
    "chain-master-detail": api(kwargs=_pk("master_a"), security=404, auditor=404, outsider=404, **A),
    # already designated: staff get the 409 of the state, the rest may never (403) or cannot see it (404)
    "chain-master-designate": api(
        ok=[], kwargs=_pk("master_a"), method="post", staff=409, security=404, auditor=404, outsider=404, **A
    ),
    "chain-master-revoke": api(
        ok=["staff"], kwargs=_pk("master_a"), method="post", security=404, auditor=404, outsider=404, **A
    ),
}
