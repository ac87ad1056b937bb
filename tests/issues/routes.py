"""The issue routes in the permission matrix (tests/matrix.py). The issue is ent_a1's, submitted
(chain_a's side of the cast); contact_b, on chain_b, never learns it exists."""

from django.core.files.base import ContentFile

from issues.models import Attachment, CategoryKind, IssueCategory, RoutingRule, StagedUpload
from tests.issues.builders import complaint_session, issue_in
from tests.matrix import api, page

SUBMITTED_A = {"contact_b": 404, "handler_a": 404}  # not dispatched yet: the lead unit does not see it
HIDDEN = {"security": 404, "auditor": 404, "outsider": 404, **SUBMITTED_A}
# A session is district staff's and the involved units' (handler_a's dept_a is chain_a's lead unit).
SESSION = dict.fromkeys(
    ("leader_a", "chief_a", "secretary_a", "contact_a", "contact_b", "security", "auditor", "outsider"), 404
)


def objects(world):
    for kind, days in {CategoryKind.INQUIRY: 2, CategoryKind.REQUEST: 10, CategoryKind.COMPLAINT: 15}.items():
        IssueCategory.objects.get_or_create(
            code=kind.value, defaults={"name": str(kind.label), "kind": kind, "resolve_days": days}
        )
    issue = issue_in(world, "submitted")
    attachment = Attachment.objects.create(
        issue=issue,
        file=ContentFile(b"%PDF-1.4 matrix", name="matrix.pdf"),
        original_name="matrix.pdf",
        stored_name="matrix.pdf",
        content_type="application/pdf",
        size=15,
        uploaded_by=world.contact_a,
    )
    rule = RoutingRule.objects.create(category=IssueCategory.objects.get(code="request"), unit=world.dept_a)
    # A file contact_a kept from a refused submission: theirs alone, whoever else asks.
    staged = StagedUpload.objects.create(
        owner=world.contact_a,
        token="0" * 32,
        file=ContentFile(b"%PDF-1.4 staged", name="staged.pdf"),
        original_name="staged.pdf",
        stored_name="staged.pdf",
        content_type="application/pdf",
        size=15,
    )
    return {
        "issue": issue,
        "attachment": attachment,
        "session": complaint_session(world),
        "rule": rule,
        "staged": staged,
    }


def _issue(world, o):
    return {"pk": o.issue.pk}


ROUTES = {
    # pages
    "issues:issue-list": page(),
    "issues:queue": page(ok=["handler_a"]),
    # 督办件: whoever the escalation ladder reaches (the committee's and other units' handlers, the
    # chain leader, district staff, the park chief); empty until something escalates.
    "issues:supervision-queue": page(ok=["staff", "leader_a", "handler_a", "chief_a"]),
    "issues:issue-submit": page(ok=["staff", "chief_a", "contact_a", "contact_b", "secretary_a"]),
    "issues:issue-detail": page(kwargs=_issue, **SUBMITTED_A),
    "issues:issue-action": page(
        ok=[], kwargs=lambda w, o: {"pk": o.issue.pk, "action": "accept"}, method="post", staff=302, **SUBMITTED_A
    ),
    "issues:attachment-download": page(kwargs=lambda w, o: {"pk": o.attachment.pk}, **SUBMITTED_A),
    "issues:staged-download": page(ok=["contact_a"], denied=404, kwargs=lambda w, o: {"pk": o.staged.pk}),
    "issues:enterprise-lookup": page(ok=["staff", "chief_a", "contact_a", "contact_b", "secretary_a"]),
    "issues:session-list": page(ok=["staff"]),
    "issues:session-create": page(ok=["staff"]),
    "issues:session-entry": page(ok=["staff"], kwargs=lambda w, o: {"pk": o.session.pk}),
    "issues:ranking": page(ok=["staff", "leader_a"]),
    # API
    "issue-list": api(),
    "issue-detail": api(kwargs=_issue, security=404, auditor=404, outsider=404, **SUBMITTED_A),
    "issue-events": api(kwargs=_issue, security=404, auditor=404, outsider=404, **SUBMITTED_A),
    "issue-category-list": api(),
    "issue-category-detail": api(kwargs=lambda w, o: {"code": "request"}, security=404, auditor=404, outsider=404),
    "complaint-session-list": api(),
    "complaint-session-detail": api(kwargs=lambda w, o: {"pk": o.session.pk}, **SESSION),
    "complaint-session-issues": api(
        ok=[], kwargs=lambda w, o: {"pk": o.session.pk}, method="post", staff=400, **SESSION
    ),
    "routing-rule-list": api(ok=["staff"], security=403, auditor=403, outsider=403),
    "routing-rule-detail": api(
        ok=["staff"], kwargs=lambda w, o: {"pk": o.rule.pk}, security=403, auditor=403, outsider=403
    ),
    # a unit's KPIs: district staff, the chain leader of its chains, its own handlers
    "unit-kpis": api(
        ok=["staff", "leader_a", "handler_a"],
        denied=404,
        kwargs=lambda w, o: {"pk": w.dept_a.pk},
        query="from=2026-01-01&to=2026-12-31",
        security=404,
        auditor=404,
        outsider=404,
    ),
}
# Empty bodies to the submitted issue: district staff get the state's 409 or the input's 400 (or
# accept it: 200); who may never take the step gets 403; who cannot see the issue 404.
ACTIONS = {
    "accept": {"staff": 200},
    "comment": dict.fromkeys(("staff", "leader_a", "chief_a", "secretary_a", "contact_a"), 400),
    "decide-extension": {"staff": 409},
    "dispatch": {"staff": 409},
    "rate": {"contact_a": 409},
    "reject": {"staff": 400},
    "reply-part": {},
    "request-extension": {},
    "resolve": {},
    "return": {},
    "sign": {},
    # Whoever the ladder reaches supervises and urges once it has escalated (not yet: 409): staff, the
    # park chief of the enterprise's park, the chain leader (the committee sees no submitted issue).
    "supervise": {"staff": 409, "chief_a": 409, "leader_a": 409},
    "urge": {"staff": 409, "chief_a": 409, "leader_a": 409},
    "answer-supervision": {},  # the lead unit's, which a submitted issue does not have
    # The chain leader and staff: the meetings' objects plan chain_a's meeting, leader_a (asked
    # before staff: tests/test_permission_matrix.ORDER) adds the issue, then it is on it already (409).
    "add-to-meeting": {"staff": 409, "leader_a": 200},
}
for _action, _allowed in ACTIONS.items():
    ROUTES[f"issue-{_action}"] = api(ok=[], kwargs=_issue, method="post", **{**HIDDEN, **_allowed})
