"""Every meaningful write on an issue (design §4.6), each in a transaction, row-locked where it
races, checked against the workflow table, recorded in the timeline, and telling who it concerns.

One module per stage of an issue's life: intake (submission), sessions (complaint sessions),
handling (the district's and the units' steps), rating, comments. Callers use this package
(`from issues import services; services.accept_issue(...)`); the names below are its interface."""

from issues.routing import suggest_lead_unit
from issues.services.comments import comment_on_issue
from issues.services.enterprise_refs import resolve_enterprise_refs, suggest_enterprises
from issues.services.followups import FollowUp, open_supervised_issue, validate_supervised_issue
from issues.services.handling import (
    accept_issue,
    decide_extension,
    dispatch_issue,
    reject_issue,
    reply_part,
    request_extension,
    resolve_issue,
    return_issue,
    sign_issue,
)
from issues.services.intake import (
    SUBMITTER_ROLES,
    Submission,
    check_submission,
    submit_issue,
    submit_issue_once,
    submitter_enterprises,
)
from issues.services.oversight import add_issue_to_meeting, answer_supervision, supervise_issue, urge_issue
from issues.services.rating import rate_issue
from issues.services.sessions import create_complaint_session, submit_session_issues
from issues.services.uploads import (
    ALLOWED_EXTENSIONS,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    STAGED_KEEP,
    Upload,
    check_uploads,
    discard_staged_uploads,
    purge_staged_uploads,
    stage_uploads,
)

__all__ = [
    "ALLOWED_EXTENSIONS",
    "FollowUp",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "SUBMITTER_ROLES",
    "Upload",
    "STAGED_KEEP",
    "accept_issue",
    "add_issue_to_meeting",
    "answer_supervision",
    "check_submission",
    "check_uploads",
    "discard_staged_uploads",
    "purge_staged_uploads",
    "stage_uploads",
    "comment_on_issue",
    "create_complaint_session",
    "decide_extension",
    "dispatch_issue",
    "open_supervised_issue",
    "rate_issue",
    "reject_issue",
    "reply_part",
    "request_extension",
    "resolve_issue",
    "return_issue",
    "sign_issue",
    "Submission",
    "submit_issue",
    "submit_issue_once",
    "submit_session_issues",
    "resolve_enterprise_refs",
    "suggest_enterprises",
    "submitter_enterprises",
    "suggest_lead_unit",
    "supervise_issue",
    "urge_issue",
    "validate_supervised_issue",
]
