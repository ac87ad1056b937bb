"""Every write on the cadre pool, postings and work logs (§4.5). Each checks all its input at once
and raises one ValidationError naming every field and why, before anything is written; each runs in
one transaction. District staff keep the pool and post cadres; the posted cadre logs their work."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Unit, User
from chainparty.permissions import require_district_staff
from chainparty.scope import find_by_id
from chains.models import Enterprise, Park
from inbox.services import notify
from secretaries import workflow
from secretaries.models import (
    ENTERPRISE_KINDS,
    Cadre,
    GoalsMet,
    Posting,
    PostingKind,
    PostingStatus,
    SourceKind,
    WorkLog,
    WorkLogKind,
)
from secretaries.workflow import Action

MAX_TAGS = 20
MAX_TAG_LENGTH = 30


def _text(errors: dict, field: str, value: object, *, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > max_length:
        errors[field] = _("At most %(max)d characters (this has %(n)d).") % {"max": max_length, "n": len(text)}
    return text


def _choice(errors: dict, field: str, value: object, choices) -> str:
    if value in (None, ""):
        errors[field] = _("This field is required.")
    elif value not in choices.values:
        errors[field] = _("“%(value)s” is not one of the choices.") % {"value": value}
    return str(value or "")


def normalise_tags(value: object) -> list[str] | None:
    """Expertise tags from a list or from text separated by commas or 、; None when not a list of text."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        parts: Iterable[object] = value.replace("、", ",").replace("，", ",").split(",")
    elif isinstance(value, list | tuple):
        parts = value
    else:
        return None
    if not all(isinstance(part, str) for part in parts):
        return None
    tags: list[str] = []
    for part in parts:
        tag = str(part).strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


# --- the cadre pool ----------------------------------------------------------------------------
def cadre_field_errors(
    *,
    name: object,
    source_kind: object,
    position: object = "",
    party_member: object = True,
    birth_date: date | None = None,
    expertise: object = (),
    phone: object = "",
) -> tuple[dict, dict[str, str]]:
    """The cleaned fields of a cadre that need no lookup, and the errors among them (by field)."""
    errors: dict[str, str] = {}
    clean: dict = {
        "name": _text(errors, "name", name, max_length=50),
        "source_kind": _choice(errors, "source_kind", source_kind, SourceKind),
        "position": _text(errors, "position", position, max_length=100, required=False),
        "party_member": bool(party_member),
        "birth_date": birth_date,
        "phone": _text(errors, "phone", phone, max_length=20, required=False),
    }
    if birth_date is not None and birth_date >= timezone.localdate():
        errors["birth_date"] = _("The date of birth must be in the past.")
    phone_text = clean["phone"]
    if phone_text and not all(ch.isdigit() or ch in "-+ " for ch in phone_text):
        errors["phone"] = _("A phone number has digits (and - + or spaces) only.")
    tags = normalise_tags(expertise)
    if tags is None:
        errors["expertise"] = _("Give the expertise as a list of words.")
    elif len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        errors["expertise"] = _("At most %(n)d tags of at most %(len)d characters each.") % {
            "n": MAX_TAGS,
            "len": MAX_TAG_LENGTH,
        }
    clean["expertise"] = tags or []
    return clean, errors


DUPLICATE_CADRE = _lazy("A cadre of this name from this unit is in the pool already.")


def validate_cadre(
    *,
    source_unit_id: object,
    user_id: object = None,
    exclude_pk: int | None = None,
    **fields,
) -> dict:
    """The cleaned fields of a cadre, or one ValidationError naming every field in error. Shared by
    the page and the API; the spreadsheet import (secretaries/spreadsheets.py) checks the same fields
    with cadre_field_errors and looks the units up in bulk."""
    clean, errors = cadre_field_errors(**fields)
    unit = find_by_id(Unit.objects.all(), source_unit_id)
    if unit is None:
        errors["source_unit"] = _("Choose the unit the cadre comes from.")
    clean["source_unit_id"] = unit.pk if unit else None
    others = Cadre.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Cadre.objects.all()
    clean["user_id"] = None
    if user_id not in (None, ""):
        account = find_by_id(User.objects.filter(is_active=True), user_id)
        if account is None:
            errors["user"] = _("No such active account.")
        elif others.filter(user=account).exists():
            errors["user"] = _("This account belongs to another cadre already.")
        else:
            clean["user_id"] = account.pk
    named = unit is not None and clean["name"] and "name" not in errors
    if named and others.filter(name=clean["name"], source_unit=unit).exists():
        errors["name"] = str(DUPLICATE_CADRE)
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_cadre(*, actor: User, **fields) -> Cadre:
    require_district_staff(actor)
    clean = validate_cadre(**fields)
    return Cadre.objects.create(**clean)


@transaction.atomic
def update_cadre(*, actor: User, cadre_id: int, **fields) -> Cadre:
    """Change a cadre of the pool: every field is given again (a page's form, a PUT) and checked as
    a new one would be, this cadre apart."""
    require_district_staff(actor)
    cadre = Cadre.objects.select_for_update().get(pk=cadre_id)
    clean = validate_cadre(exclude_pk=cadre.pk, **fields)
    for name, value in clean.items():
        setattr(cadre, name, value)
    cadre.save()
    return cadre


@transaction.atomic
def import_cadres(*, actor: User, rows: list[dict]) -> list[Cadre]:
    """Add checked rows (cleaned fields with `source_unit_id`) to the pool in one statement. The
    unique (name, unit) constraint refuses a row someone added meanwhile: all roll back."""
    require_district_staff(actor)
    try:
        with transaction.atomic():
            return Cadre.objects.bulk_create(Cadre(**row) for row in rows)
    except IntegrityError as exc:
        raise ValidationError({"name": str(DUPLICATE_CADRE)}) from exc


# --- postings ----------------------------------------------------------------------------------
@transaction.atomic
def post_cadre(
    *,
    actor: User,
    cadre_id: object,
    kind: object,
    start_date: date | None,
    enterprise_id: object = None,
    park_id: object = None,
    end_date: date | None = None,
    goals: object = "",
) -> Posting:
    """Post (派驻) a cadre: a first secretary or an instructor to an enterprise, a park chief to a park.
    One active posting of a kind per enterprise; a cadre serves one enterprise at a time unless the
    district allows several (settings.SECRETARIES_MULTIPLE_ENTERPRISES). A park chief's account joins
    the park's chiefs (Park.chiefs), which is what their scope reads."""
    require_district_staff(actor)
    errors: dict[str, str] = {}
    kind = _choice(errors, "kind", kind, PostingKind)
    goals_text = _text(errors, "goals", goals, max_length=5000, required=False)
    # The cadre row is locked: two postings of one cadre at once would both pass the check below.
    cadre = find_by_id(Cadre.objects.select_for_update(), cadre_id)
    if cadre is None:
        errors["cadre"] = _("Choose a cadre from the pool.")
    if start_date is None:
        errors["start_date"] = _("This field is required.")
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    enterprise = find_by_id(Enterprise.objects.all(), enterprise_id)
    park = find_by_id(Park.objects.all(), park_id)
    if kind == PostingKind.PARK_CHIEF:
        if enterprise_id not in (None, ""):
            errors["enterprise"] = _("A park chief is posted to a park, not to an enterprise.")
        if park is None:
            errors["park"] = _("Choose the park.") if park_id in (None, "") else _("No such park.")
    elif kind in ENTERPRISE_KINDS:
        if park_id not in (None, ""):
            errors["park"] = _("Only a park chief is posted to a park.")
        if enterprise is None:
            errors["enterprise"] = (
                _("Choose the enterprise.") if enterprise_id in (None, "") else _("No such enterprise.")
            )
    if not errors and kind in ENTERPRISE_KINDS:
        assert enterprise is not None
        assert cadre is not None
        assert start_date is not None
        # Locked too, so that two staff members posting to it at once are told apart here.
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        if Posting.objects.filter(enterprise=enterprise, kind=kind, status=PostingStatus.ACTIVE).exists():
            errors["enterprise"] = _("%(enterprise)s already has an active %(kind)s; end that posting first.") % {
                "enterprise": enterprise.name,
                "kind": PostingKind(kind).label,
            }
        elif not settings.SECRETARIES_MULTIPLE_ENTERPRISES and _overlapping(cadre, start_date, end_date).exists():
            errors["cadre"] = _(
                "%(cadre)s is already posted to another enterprise in this period; the district does not "
                "allow a cadre to serve several at once."
            ) % {"cadre": cadre.name}
    if errors:
        raise ValidationError(errors)
    assert cadre is not None
    assert start_date is not None
    try:
        with transaction.atomic():
            posting = Posting.objects.create(
                cadre=cadre,
                kind=kind,
                enterprise=enterprise if kind in ENTERPRISE_KINDS else None,
                park=park if kind == PostingKind.PARK_CHIEF else None,
                start_date=start_date,
                end_date=end_date,
                goals=goals_text,
                created_by=actor,
            )
    except IntegrityError as exc:  # a race the checks above could not see
        raise ValidationError({"enterprise": _("This enterprise already has an active posting of this kind.")}) from exc
    if park is not None and kind == PostingKind.PARK_CHIEF and cadre.user_id:
        park.chiefs.add(cadre.user_id)
    _tell_cadre(
        posting,
        _("You are posted to %(target)s as %(kind)s") % {"target": posting.target, "kind": posting.get_kind_display()},
    )
    return posting


def _overlapping(cadre: Cadre, start: date, end: date | None):
    """The cadre's active enterprise postings whose period meets [start, end]."""
    overlap = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        overlap &= Q(start_date__lte=end)
    return Posting.objects.filter(cadre=cadre, status=PostingStatus.ACTIVE, kind__in=ENTERPRISE_KINDS).filter(overlap)


def _tell_cadre(posting: Posting, subject: str, body: str = "") -> None:
    if posting.cadre.user_id:
        notify(recipients=User.objects.filter(pk=posting.cadre.user_id), target=posting, subject=subject, body=body)


def _lock_for(posting_id: int, action: str, actor: User) -> Posting:
    posting = Posting.objects.select_for_update().select_related("cadre").get(pk=posting_id)
    workflow.require(posting, action, actor)
    return posting


def _release_park(posting: Posting) -> None:
    """A park chief whose posting ends leaves the park's chiefs, unless another posting keeps them."""
    if posting.kind != PostingKind.PARK_CHIEF or not posting.cadre.user_id or posting.park_id is None:
        return
    others = Posting.objects.filter(
        cadre__user_id=posting.cadre.user_id, park_id=posting.park_id, status=PostingStatus.ACTIVE
    ).exclude(pk=posting.pk)
    if not others.exists():
        Park.chiefs.through.objects.filter(park_id=posting.park_id, user_id=posting.cadre.user_id).delete()


@transaction.atomic
def end_posting(*, posting_id: int, actor: User, reason: str, ended_on: date | None = None) -> Posting:
    """End a posting before (or at) its term; it is evaluated afterwards."""
    posting = _lock_for(posting_id, Action.END, actor)
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, max_length=2000)
    day = ended_on or timezone.localdate()
    if day < posting.start_date:
        errors["ended_on"] = _("The posting cannot end before it started (%(start)s).") % {"start": posting.start_date}
    if errors:
        raise ValidationError(errors)
    posting.status = PostingStatus.ENDED
    posting.ended_on = day
    posting.end_reason = reason
    posting.save(update_fields=["status", "ended_on", "end_reason"])
    _release_park(posting)
    _tell_cadre(posting, _("Your posting to %(target)s has ended") % {"target": posting.target}, reason)
    return posting


@transaction.atomic
def evaluate_posting(
    *,
    posting_id: int,
    actor: User,
    goals_met: str,
    problems_solved: int | None,
    enterprise_opinion: str = "",
    evaluation: str = "",
) -> Posting:
    """The end-of-term evaluation (goals met, problems solved, the enterprise's opinion); the posting
    closes with it (an active one ends today)."""
    posting = _lock_for(posting_id, Action.EVALUATE, actor)
    errors: dict[str, str] = {}
    goals_met = _choice(errors, "goals_met", goals_met, GoalsMet)
    if problems_solved is None:
        errors["problems_solved"] = _("This field is required.")
    elif problems_solved < 0:
        errors["problems_solved"] = _("Ensure this value is greater than or equal to 0.")
    opinion = _text(errors, "enterprise_opinion", enterprise_opinion, max_length=5000, required=False)
    text = _text(errors, "evaluation", evaluation, max_length=5000)
    if errors:
        raise ValidationError(errors)
    was_active = posting.status == PostingStatus.ACTIVE
    posting.status = PostingStatus.EVALUATED
    if was_active:
        posting.ended_on = max(timezone.localdate(), posting.start_date)
    posting.goals_met, posting.problems_solved = goals_met, problems_solved
    posting.enterprise_opinion, posting.evaluation = opinion, text
    posting.evaluated_at = timezone.now()
    posting.save(
        update_fields=[
            "status",
            "ended_on",
            "goals_met",
            "problems_solved",
            "enterprise_opinion",
            "evaluation",
            "evaluated_at",
        ]
    )
    if was_active:
        _release_park(posting)
    _tell_cadre(posting, _("Your term at %(target)s was evaluated") % {"target": posting.target}, text)
    return posting


# --- work logs ---------------------------------------------------------------------------------
@transaction.atomic
def log_work(
    *,
    posting_id: int,
    actor: User,
    kind: str,
    date: date | None,
    summary: str,
    members_developed: int = 0,
    activists_found: int = 0,
) -> WorkLog:
    """A work log (工作纪实) on an active posting, by the posted cadre (or staff for them). A posting
    that has ended takes no more logs: refused with a message on the posting field."""
    posting = Posting.objects.select_for_update().select_related("cadre").get(pk=posting_id)
    if not workflow.TRANSITIONS[Action.LOG_WORK].who(posting, actor):
        raise PermissionDenied(_("Only the posted cadre may log work on this posting."))
    errors: dict[str, str] = {}
    if posting.status != PostingStatus.ACTIVE:
        errors["posting"] = _("This posting has ended; no more work can be logged on it.")
    kind = _choice(errors, "kind", kind, WorkLogKind)
    summary = _text(errors, "summary", summary, max_length=5000)
    today = timezone.localdate()
    if date is None:
        errors["date"] = _("This field is required.")
    elif date > today:
        errors["date"] = _("The date is in the future.")
    elif date < posting.start_date:
        errors["date"] = _("The date is before the posting started (%(start)s).") % {"start": posting.start_date}
    for field, value in (("members_developed", members_developed), ("activists_found", activists_found)):
        if value is None or value < 0:
            errors[field] = _("Ensure this value is greater than or equal to 0.")
    if errors:
        raise ValidationError(errors)
    assert date is not None
    return WorkLog.objects.create(
        posting=posting,
        kind=kind,
        date=date,
        summary=summary,
        members_developed=members_developed,
        activists_found=activists_found,
        author=actor,
    )
