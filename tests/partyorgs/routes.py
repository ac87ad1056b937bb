"""The party-organization routes in the permission matrix (tests/matrix.py)."""

from datetime import date

from tests import factories as f
from tests.matrix import Route, api, page

# Who sees no object of anyone's on the API (the administrators and the roleless): a 404 for a detail.
HIDDEN = {"security": 404, "auditor": 404, "outsider": 404}


def objects(world):
    """甲一企业党支部 (ent_a1, chain A) with a meeting, paired with dept_a's organization on chain A, and
    chain A's plan filed by it: each detail route is asked of a real object, so that every member of
    the cast who may not see it gets the 404."""
    from partyorgs.models import MeetingKind, OrgMeeting, Pairing

    org = f.PartyOrganizationFactory(name="甲一企业党支部", covers=[world.ent_a1])
    department = f.PartyOrganizationFactory(name="经济部门A机关党支部", unit=world.dept_a)
    pairing = Pairing.objects.create(
        department_org=department, enterprise_org=org, chain=world.chain_a, start_on=date(2026, 1, 1), goals="共建"
    )
    plan = org.party_plans.create(
        chain=world.chain_a, year=2026, title="年度规划", filed_on=date(2026, 2, 1), filed_by=world.staff
    )
    plan.targets.create(description="党建联盟", weight=100)
    meeting = OrgMeeting.objects.create(
        organization=org,
        kind=MeetingKind.THEME_DAY,
        held_on=date(2026, 11, 5),
        topic="主题党日",
        attendance=8,
        recorded_by=world.staff,
    )
    return {"org": org, "pairing": pairing, "plan": plan, "org_meeting": meeting}


# Recorded from the pages and API as they answered the cast when the matrix arrived (issue 12), then
# read for leaks: the administrators and the roleless get 404 on every page and nothing from the
# API. Every detail route names a real object of objects() above.
ROUTES = {
    "partyorgs:org-list": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:org-create": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 403,
            "handler_a": 403,
            "chief_a": 403,
            "secretary_a": 403,
            "contact_a": 403,
            "contact_b": 403,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:coverage": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:should-establish": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:terms": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:meetings": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:pairing-list": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:pairing-create": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 403,
            "handler_a": 403,
            "chief_a": 403,
            "secretary_a": 403,
            "contact_a": 403,
            "contact_b": 403,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:pairing-detail": page(contact_b=404, kwargs=lambda w, o: {"pk": o.pairing.pk}),
    "partyorgs:chain-pairings": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 404,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
        kwargs=lambda w, o: {"code": w.chain_a.code},
    ),
    "partyorgs:plan-file": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 403,
            "handler_a": 403,
            "chief_a": 403,
            "secretary_a": 403,
            "contact_a": 200,
            "contact_b": 404,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
        kwargs=lambda w, o: {"code": w.chain_a.code},
    ),
    "partyorgs:plans": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
    ),
    "partyorgs:plan-detail": page(contact_b=404, kwargs=lambda w, o: {"pk": o.plan.pk}),
    "partyorgs:org-detail": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 404,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
        kwargs=lambda w, o: {"pk": o.org.pk},
    ),
    "partyorgs:org-edit": Route(
        expect={
            "anonymous": 302,
            "staff": 200,
            "leader_a": 403,
            "handler_a": 403,
            "chief_a": 403,
            "secretary_a": 403,
            "contact_a": 403,
            "contact_b": 403,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
        kwargs=lambda w, o: {"pk": o.org.pk},
    ),
    "partyorgs:meeting-record": Route(
        expect={
            "anonymous": 302,
            "staff": 302,
            "leader_a": 302,
            "handler_a": 302,
            "chief_a": 302,
            "secretary_a": 302,
            "contact_a": 302,
            "contact_b": 404,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
        kwargs=lambda w, o: {"pk": o.org.pk},
    ),
    "party-organization-list": Route(
        expect={
            "anonymous": 401,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 200,
            "auditor": 200,
            "outsider": 200,
        },
    ),
    "party-organization-detail": Route(
        expect={
            "anonymous": 401,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 404,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
        kwargs=lambda w, o: {"pk": o.org.pk},
    ),
    "party-organization-descendants": Route(
        expect={
            "anonymous": 401,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 404,
            "security": 404,
            "auditor": 404,
            "outsider": 404,
        },
        kwargs=lambda w, o: {"pk": o.org.pk},
    ),
    "coverage-list": Route(
        expect={
            "anonymous": 401,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 200,
            "auditor": 200,
            "outsider": 200,
        },
    ),
    "org-meeting-list": Route(
        expect={
            "anonymous": 401,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 200,
            "auditor": 200,
            "outsider": 200,
        },
    ),
    "org-meeting-detail": api(contact_b=404, **HIDDEN, kwargs=lambda w, o: {"pk": o.org_meeting.pk}),
    "pairing-list": Route(
        expect={
            "anonymous": 401,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 200,
            "auditor": 200,
            "outsider": 200,
        },
    ),
    "pairing-detail": api(contact_b=404, **HIDDEN, kwargs=lambda w, o: {"pk": o.pairing.pk}),
    "pairing-activities": api(
        ok=(),
        staff=400,  # the paired organizations' people and staff: an empty body
        handler_a=400,
        contact_a=400,
        contact_b=404,
        **HIDDEN,
        kwargs=lambda w, o: {"pk": o.pairing.pk},
        method="post",
    ),
    "party-plan-list": Route(
        expect={
            "anonymous": 401,
            "staff": 200,
            "leader_a": 200,
            "handler_a": 200,
            "chief_a": 200,
            "secretary_a": 200,
            "contact_a": 200,
            "contact_b": 200,
            "security": 200,
            "auditor": 200,
            "outsider": 200,
        },
    ),
    "party-plan-detail": api(contact_b=404, **HIDDEN, kwargs=lambda w, o: {"pk": o.plan.pk}),
    "party-plan-score": api(
        ok=(), staff=400, contact_b=404, **HIDDEN, kwargs=lambda w, o: {"pk": o.plan.pk}, method="post"
    ),
}
