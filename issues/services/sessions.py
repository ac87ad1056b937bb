"""Complaint sessions (吐槽大会): district staff open one, then enter the issues collected there as a
grid, all rows or none."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Unit, UnitKind
from accounts.roles import Role
from chainparty.scope import parse_id
from chains.models import Chain
from issues.models import ComplaintSession, Issue
from issues.services.intake import submit_issue, validate_submission


@transaction.atomic
def create_complaint_session(*, actor, title, held_on, place, host_unit_id, chain_id=None, industry_committee_id=None):
    if not actor.has_role(Role.DISTRICT_STAFF):
        raise PermissionDenied(_("Only district staff run complaint sessions."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("This field is required.")
    if not (place or "").strip():
        errors["place"] = _("This field is required.")
    if not held_on:
        errors["held_on"] = _("This field is required.")
    host = Unit.objects.filter(pk=parse_id(host_unit_id)).first()
    if host is None:
        errors["host_unit"] = _("Choose the host unit.")
    if not chain_id and not industry_committee_id:
        errors["chain"] = _("Give the chain or the industry party committee the session is for.")
    if chain_id and not Chain.objects.filter(pk=parse_id(chain_id)).exists():
        errors["chain"] = _("Unknown chain.")
    committees = Unit.objects.filter(kind=UnitKind.INDUSTRY_PARTY_COMMITTEE)
    if industry_committee_id and not committees.filter(pk=parse_id(industry_committee_id)).exists():
        errors["industry_committee"] = _("Unknown industry party committee.")
    if errors:
        raise ValidationError(errors)
    return ComplaintSession.objects.create(
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        host_unit=host,
        chain_id=chain_id or None,
        industry_committee_id=industry_committee_id or None,
        created_by=actor,
    )


@transaction.atomic
def submit_session_issues(*, actor, session: ComplaintSession, rows: list[dict]) -> list[Issue]:
    """Enter many issues collected at a 吐槽大会. Every row is validated first; if any row has an
    error nothing is saved, and the error names the row (``rows[i].field``)."""
    errors = {}
    for index, row in enumerate(rows):
        try:
            validate_submission(
                actor=actor,
                enterprise_id=row.get("enterprise"),
                category_code=row.get("category"),
                title=row.get("title", ""),
                description=row.get("description", ""),
                chain_id=row.get("chain"),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"rows[{index}].{field}"] = messages
    if not rows:
        errors["rows"] = [_("Enter at least one issue.")]
    if errors:
        raise ValidationError(errors)
    return [
        submit_issue(
            actor=actor,
            enterprise_id=row["enterprise"],
            category_code=row["category"],
            title=row["title"],
            description=row["description"],
            chain_id=row.get("chain"),
            session=session,
        )
        for row in rows
    ]
