"""Complaint sessions (吐槽大会): district staff open one, then enter the issues collected there as a
grid, all rows or none."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Unit, UnitKind, User
from chainparty.permissions import require_district_staff
from chainparty.scope import find_by_id
from chains.models import Chain
from issues.models import ComplaintSession, Issue
from issues.services.enterprise_refs import resolve_enterprise_refs
from issues.services.intake import check_submission, submit_issue


@transaction.atomic
def create_complaint_session(
    *,
    actor: User,
    title: str,
    held_on: date | None,
    place: str,
    host_unit_id: int | None,
    chain_id: int | None = None,
    industry_committee_id: int | None = None,
) -> ComplaintSession:
    require_district_staff(actor, _("Only district staff run complaint sessions."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("This field is required.")
    if not (place or "").strip():
        errors["place"] = _("This field is required.")
    if not held_on:
        errors["held_on"] = _("This field is required.")
    host = find_by_id(Unit.objects.all(), host_unit_id)
    if host is None:
        errors["host_unit"] = _("Choose the host unit.")
    if not chain_id and not industry_committee_id:
        errors["chain"] = _("Give the chain or the industry party committee the session is for.")
    if chain_id and find_by_id(Chain.objects.all(), chain_id) is None:
        errors["chain"] = _("Unknown chain.")
    committees = Unit.objects.filter(kind=UnitKind.INDUSTRY_PARTY_COMMITTEE)
    if industry_committee_id and find_by_id(committees, industry_committee_id) is None:
        errors["industry_committee"] = _("Unknown industry party committee.")
    # A missing host or date is in `errors` already; naming them again tells the type checker.
    if errors or host is None or held_on is None:
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
def submit_session_issues(*, actor: User, session: ComplaintSession, rows: list[dict[str, Any]]) -> list[Issue]:
    """Enter many issues collected at a 吐槽大会. Every row is checked, every field of it, before any
    is written; if any row has an error nothing is saved, and each error names its row
    (``rows[i].field``). A row names its enterprise by id (``enterprise``: the API) or as it was
    typed (``enterprise_ref``: a credit code or the exact name, the grid; resolved for all rows at
    once by enterprise_refs.resolve_enterprise_refs)."""
    typed = resolve_enterprise_refs(
        actor=actor, refs=[row["enterprise_ref"] for row in rows if "enterprise_ref" in row]
    )
    errors: dict[str, list[str]] = {}
    checked = []
    for index, row in enumerate(rows):
        row = dict(row)
        ref = typed.get(row.pop("enterprise_ref", None) or "")
        if ref is not None:
            row["enterprise"] = ref.enterprise_id
        *_resolved, row_errors = check_submission(
            actor=actor,
            enterprise_id=row.get("enterprise"),
            category_code=row.get("category"),
            title=row.get("title", ""),
            description=row.get("description", ""),
            chain_id=row.get("chain"),
        )
        if ref is not None and ref.error:
            row_errors["enterprise"] = [ref.error]  # what is wrong with what was typed, not "choose one"
        for field, messages in row_errors.items():
            errors[f"rows[{index}].{field}"] = messages
        checked.append(row)
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
        for row in checked
    ]
