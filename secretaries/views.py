"""Pages of the secretaries app: postings (everyone in scope), the posting's detail with its actions
and work logs, the cadre pool and posting a cadre (district staff), a first secretary's enterprises,
matching for a chain (district staff) and a park chief's parks. Parse, fetch through the selectors
(scope is theirs), call a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.forms import ModelChoiceField
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import PARTY_MEMBERS, PHONE, reads_personal_data, record_personal_data_read
from accounts.decorators import business_page, role_page
from accounts.roles import Role
from chainparty.actions import apply_service_errors
from chainparty.pages import paginate
from chainparty.scope import find_by_id, get_visible_or_404
from chains.models import Chain, Enterprise, Park
from secretaries import figures, matching, selectors, services
from secretaries.actions import POSTING_ACTIONS
from secretaries.filters import CadreFilter, PostingFilter
from secretaries.forms import CadreForm, PostingForm
from secretaries.models import ENTERPRISE_KINDS, Cadre, Posting, PostingKind, PostingStatus, WorkLogKind

SUGGESTIONS_ON_PAGE = 25


# --- postings ----------------------------------------------------------------------------------
@business_page
def posting_list(request):
    user = request.user
    filterset = PostingFilter(request.GET or None, queryset=selectors.list_postings_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "filter": filterset, "form": filterset.form}
    return render(request, "secretaries/posting_list.html", context)


def _render_detail(request, posting: Posting, *, bound=None, status: int = 200):
    user = request.user
    context = {
        "posting": posting,
        "logs": posting.work_logs.all(),
        "phone": posting.cadre.phone_for(user),
        "action_forms": POSTING_ACTIONS.page_actions(
            posting,
            user,
            url=lambda action: reverse("secretaries:posting-action", args=[posting.pk, action]),
            bound=bound,
        ),
        "may_raise_issue": posting.enterprise_id is not None
        and posting.status == PostingStatus.ACTIVE
        and posting.cadre.user_id == user.pk,
    }
    return render(request, "secretaries/posting_detail.html", context, status=status)


@business_page
def posting_detail(request, pk):
    posting = selectors.get_posting_for_user(request.user, pk)
    cadre = posting.cadre
    if cadre.phone and cadre.user_id != request.user.pk and cadre.phone_for(request.user) == cadre.phone:
        record_personal_data_read(request, what=PHONE, target=cadre)
    return _render_detail(request, posting)


@require_POST
@business_page
def posting_action(request, pk, action):
    posting = selectors.get_posting_for_user(request.user, pk)  # first: outside scope every action is a 404
    outcome = POSTING_ACTIONS.submit(request, posting, action)
    if outcome.form is not None:
        return _render_detail(request, posting, bound={outcome.spec.name: outcome.form}, status=400)
    return redirect("secretaries:posting-detail", pk=posting.pk)


@role_page(Role.DISTRICT_STAFF)
def posting_create(request):
    if request.method == "POST":
        form = PostingForm(request.POST)
        if form.is_valid():
            try:
                posting = services.post_cadre(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The cadre was posted."))
                return redirect("secretaries:posting-detail", pk=posting.pk)
        status = 400
    else:
        initial = {"kind": request.GET.get("kind") or PostingKind.FIRST_SECRETARY}
        cadre = find_by_id(Cadre.objects.all(), request.GET.get("cadre"))
        enterprise = find_by_id(Enterprise.objects.all(), request.GET.get("enterprise"))
        if cadre:
            initial["cadre"] = cadre.pk
        if enterprise:
            initial["enterprise"] = enterprise.credit_code
        form = PostingForm(initial=initial)
        status = 200
    return render(request, "secretaries/posting_form.html", {"form": form}, status=status)


# --- the cadre pool ----------------------------------------------------------------------------
@role_page(Role.DISTRICT_STAFF)
@reads_personal_data(PHONE)
def cadre_list(request):
    user = request.user
    filterset = CadreFilter(request.GET or None, queryset=selectors.list_cadres_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "filter": filterset, "form": filterset.form}
    return render(request, "secretaries/cadre_list.html", context)


@role_page(Role.DISTRICT_STAFF)
def cadre_create(request):
    return _cadre_form(request, None)


@role_page(Role.DISTRICT_STAFF)
@reads_personal_data(PHONE)
def cadre_edit(request, pk):
    return _cadre_form(request, get_visible_or_404(selectors.list_cadres_for_user(request.user), pk=pk))


def _cadre_form(request, cadre: Cadre | None):
    if request.method == "POST":
        form = CadreForm(request.POST)
        if form.is_valid():
            try:
                if cadre is None:
                    services.create_cadre(actor=request.user, **form.service_kwargs())
                else:
                    services.update_cadre(actor=request.user, cadre_id=cadre.pk, **form.service_kwargs())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The cadre was added to the pool.") if cadre is None else _("The cadre was saved.")
                )
                return redirect("secretaries:cadre-list")
        status = 400
    else:
        form = CadreForm(initial=_cadre_initial(cadre) if cadre else None)
        status = 200
    return render(request, "secretaries/cadre_form.html", {"form": form, "cadre": cadre}, status=status)


def _cadre_initial(cadre: Cadre) -> dict:
    fields = ("name", "source_kind", "position", "party_member", "birth_date", "phone")
    initial = {name: getattr(cadre, name) for name in fields}
    return initial | {"source_unit": cadre.source_unit_id, "expertise": "，".join(cadre.expertise)}


# --- a first secretary's enterprises -----------------------------------------------------------
@role_page(Role.FIRST_SECRETARY)
def my_postings(request):
    """The cadre's postings, each enterprise with its issue progress (figures lent by issues)."""
    postings = list(selectors.list_own_postings(request.user))
    enterprise_ids = [p.enterprise_id for p in postings if p.enterprise_id]
    progress = {
        row["pk"]: row
        for row in figures.with_figures(
            Enterprise.objects.filter(pk__in=enterprise_ids), figures.OPEN_ISSUES, figures.RESOLVED_ISSUES
        ).values("pk", figures.OPEN_ISSUES, figures.RESOLVED_ISSUES)
    }
    totals = (
        selectors.list_work_logs_for_user(request.user)
        .filter(posting__in=[p.pk for p in postings])
        .order_by()
        .values("posting_id")
        .annotate(
            logs=Count("pk"),
            members=Sum("members_developed"),
            activists=Sum("activists_found"),
            solved=Count("pk", filter=Q(kind=WorkLogKind.PROBLEM_SOLVED)),
        )
    )
    by_posting = {row["posting_id"]: row for row in totals}
    rows = [
        {"posting": posting, "progress": progress.get(posting.enterprise_id), "totals": by_posting.get(posting.pk)}
        for posting in postings
    ]
    return render(request, "secretaries/my_postings.html", {"rows": rows})


# --- matching ----------------------------------------------------------------------------------
@role_page(Role.DISTRICT_STAFF)
@reads_personal_data(PARTY_MEMBERS)  # each SME's party members
def suggestions(request):
    user = request.user
    chains = list(Chain.objects.visible_to(user).order_by("name"))
    chain = find_by_id(Chain.objects.visible_to(user), request.GET.get("chain"))
    context: dict = {"chains": chains, "chain": chain, "rows": []}
    if chain is not None:
        page = paginate(request, matching.uncovered_smes(chain), per_page=SUGGESTIONS_ON_PAGE)
        context |= page
        context["rows"] = matching.suggestion_rows(chain, list(page["rows"]))
    elif request.GET.get("chain"):
        context["invalid"] = ModelChoiceField.default_error_messages["invalid_choice"]
    return render(request, "secretaries/suggestions.html", context)


# --- a park chief's parks ----------------------------------------------------------------------
@role_page(Role.PARK_CHIEF, Role.DISTRICT_STAFF)
def park_overview(request):
    """Each park the user leads (staff: every park): its enterprises, how many a party organization
    covers and how many have work coverage, the chiefs posted, and its enterprises' open issues
    (organizations and issues lent through secretaries/figures.py)."""
    user = request.user
    parks = Park.objects.visible_to(user)
    if not user.is_district_staff:
        parks = parks.filter(chiefs=user)
    covered = Exists(Posting.objects.active().filter(enterprise_id=OuterRef("pk"), kind__in=ENTERPRISE_KINDS))
    enterprises = figures.with_figures(Enterprise.objects.filter(park__in=parks.values("pk")), figures.OPEN_ISSUES)
    organized = figures.organization_covered()  # lent by partyorgs (chainparty/apps.py)
    # One grouped query, whatever the number of enterprises.
    counts = {
        row["park_id"]: row
        for row in enterprises.annotate(covered=covered)
        .order_by()
        .values("park_id")
        .annotate(
            enterprises=Count("pk"),
            covered_count=Count("pk", filter=Q(covered=True)),
            organized_count=Count("pk", filter=organized) if organized is not None else Value(None),
            open_issue_count=Sum(figures.OPEN_ISSUES),
        )
    }
    chiefs = (
        Posting.objects.active()
        .filter(park__in=parks.values("pk"), kind=PostingKind.PARK_CHIEF)
        .select_related("cadre", "cadre__source_unit")
    )
    chiefs_by_park: dict[int, list] = {}
    for posting in chiefs:
        chiefs_by_park.setdefault(posting.park_id, []).append(posting)
    rows = [
        {
            "park": park,
            "counts": counts.get(park.pk),
            "chiefs": chiefs_by_park.get(park.pk, []),
        }
        for park in parks.order_by("name")
    ]
    return render(request, "secretaries/park_overview.html", {"rows": rows})
