"""Pages of the party-organization app: the tree (a searchable list and each organization with what
sits below it), coverage, 应建未建. Parse, fetch through the selectors (scope is theirs), render;
writes through partyorgs.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import PARTY_MEMBERS, reads_personal_data
from accounts.decorators import business_page, role_page
from accounts.roles import Role
from chainparty.actions import apply_service_errors
from chainparty.pages import paginate
from chainparty.scope import get_visible_or_404
from chains.models import Chain
from partyorgs import services, tree
from partyorgs.compliance import Quarter, compliance_for
from partyorgs.filters import OrganizationFilter, PairingFilter
from partyorgs.forms import (
    OrganizationForm,
    OrgMeetingForm,
    PairingActivityForm,
    PairingForm,
    PartyPlanForm,
    PlanDeadlineForm,
    PlanScoreForm,
    QuarterForm,
)
from partyorgs.models import MeetingKind, PartyOrganization
from partyorgs.selectors import (
    chain_pairing_status,
    coverage_for_user,
    list_branches_without_committee_for_user,
    list_meetings_for_user,
    list_organizations_for_user,
    list_pairings_for_user,
    list_party_plans_for_user,
    list_should_establish_for_user,
    list_terms_ending_for_user,
    meeting_compliance_for_user,
    plan_status_for_user,
)

SHOULD_ESTABLISH_SHOWN = 100
MEETINGS_SHOWN = 10


def _visible(user):
    return None if user.is_district_staff else PartyOrganization.objects.visible_to(user)


def _with_rollups(user, orgs) -> list[dict]:
    orgs = list(orgs)
    rollups = tree.rollups([o.pk for o in orgs], visible=_visible(user))
    return [{"org": org, "rollup": rollups.get(org.pk)} for org in orgs]


@business_page
@reads_personal_data(PARTY_MEMBERS)
def org_list(request):
    user = request.user
    data = request.GET.copy()
    if not data:
        data["top_level"] = "true"  # the tree's roots first; a search looks at every level
    filterset = OrganizationFilter(data, queryset=list_organizations_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "filter": filterset, "form": filterset.form}
    context["rows"] = _with_rollups(user, context["rows"])
    context["today"] = timezone.localdate()
    return render(request, "partyorgs/org_list.html", context)


def _detail(request, org: PartyOrganization, meeting_form: OrgMeetingForm | None = None, status: int = 200):
    user = request.user
    visible = _visible(user)
    ancestors = tree.ancestor_ids(org.pk)
    orgs = list_organizations_for_user(user)
    shown = {o.pk: o for o in orgs.filter(pk__in=ancestors)}
    quarter = Quarter.of(timezone.localdate())
    if meeting_form is None and services.may_record_meetings(user, org):
        meeting_form = OrgMeetingForm()
    context = {
        "org": org,
        "quarter": quarter,
        "compliance": compliance_for([org], quarter)[org.pk],
        "meetings": list_meetings_for_user(user).filter(organization=org)[:MEETINGS_SHOWN],
        "meeting_form": meeting_form,
        "rollup": tree.rollups([org.pk], visible=visible).get(org.pk),
        # Only the superiors the user may see, nearest last (as breadcrumbs read).
        "ancestors": [shown[pk] for pk in reversed(ancestors) if pk in shown],
        "children": _with_rollups(user, orgs.filter(parent=org)),
        "today": timezone.localdate(),
    }
    return render(request, "partyorgs/org_detail.html", context, status=status)


@business_page
@reads_personal_data(PARTY_MEMBERS)
def org_detail(request, pk):
    return _detail(request, get_visible_or_404(list_organizations_for_user(request.user), pk=pk))


def _org_form_page(request, org: PartyOrganization | None):
    if request.method == "POST":
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                if org is None:
                    org = services.create_organization(actor=request.user, data=form.cleaned_data)
                else:
                    org = services.update_organization(actor=request.user, organization=org, data=form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The organization %(name)s was saved.") % {"name": org.name})
                return redirect(org.get_absolute_url())
        status = 400
    else:
        form = OrganizationForm(initial=OrganizationForm.initial_for(org) if org else None)
        status = 200
    return render(request, "partyorgs/org_form.html", {"form": form, "org": org}, status=status)


@role_page(Role.DISTRICT_STAFF)
def org_create(request):
    return _org_form_page(request, None)


@role_page(Role.DISTRICT_STAFF)
@reads_personal_data(PARTY_MEMBERS)
def org_edit(request, pk):
    return _org_form_page(request, get_visible_or_404(PartyOrganization.objects.visible_to(request.user), pk=pk))


@business_page
def coverage(request):
    result = coverage_for_user(request.user)
    return render(request, "partyorgs/coverage.html", {"coverage": result, "district_rows": [result.district]})


@business_page
@reads_personal_data(PARTY_MEMBERS)
def should_establish(request):
    user = request.user
    enterprises = list_should_establish_for_user(user)
    branches = list_branches_without_committee_for_user(user)
    context = {
        **paginate(request, enterprises),
        "branches": branches[:SHOULD_ESTABLISH_SHOWN],
        "branches_count": branches.count(),
    }
    return render(request, "partyorgs/should_establish.html", context)


@business_page
def terms(request):
    """换届: the terms ending in the next six months, and those lapsed already."""
    today = timezone.localdate()
    context = {**paginate(request, list_terms_ending_for_user(request.user, today=today)), "today": today}
    return render(request, "partyorgs/terms.html", context)


@business_page
def meeting_record(request, pk):
    """Record a meeting of 三会一课 on the organization's page (POST only)."""
    user = request.user
    org = get_visible_or_404(list_organizations_for_user(user), pk=pk)
    if request.method != "POST":
        return redirect(org.get_absolute_url())
    if not services.may_record_meetings(user, org):
        raise PermissionDenied
    form = OrgMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.record_org_meeting(actor=user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect(org.get_absolute_url())
    return _detail(request, org, meeting_form=form, status=400)


@business_page
def meetings(request):
    """三会一课 compliance in a quarter: per industry party committee, per chain, per organization."""
    user = request.user
    form = QuarterForm(request.GET or None)
    chosen = form.cleaned_data["quarter"] if form.is_valid() else None
    quarter = chosen or Quarter.of(timezone.localdate())
    result = meeting_compliance_for_user(user, quarter)
    context = {**paginate(request, list_organizations_for_user(user)), "form": form, "result": result}
    context["rows"] = [{"org": org, "compliance": result.by_org.get(org.pk)} for org in context["rows"]]
    context["kinds"] = MeetingKind.choices
    return render(
        request, "partyorgs/meetings.html", context, status=200 if form.is_valid() or not form.is_bound else 400
    )


# --- 红联共建 -----------------------------------------------------------------------------------
@business_page
def pairing_list(request):
    user = request.user
    filterset = PairingFilter(request.GET or None, queryset=list_pairings_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "filter": filterset, "form": filterset.form}
    context["today"] = timezone.localdate()
    return render(request, "partyorgs/pairing_list.html", context)


def _pairing_detail(request, pairing, form=None, status=200):
    if form is None and services.may_log_pairing_activity(request.user, pairing):
        form = PairingActivityForm()
    context = {"pairing": pairing, "form": form, "today": timezone.localdate()}
    return render(request, "partyorgs/pairing_detail.html", context, status=status)


@business_page
def pairing_detail(request, pk):
    pairing = get_visible_or_404(list_pairings_for_user(request.user), pk=pk)
    if request.method != "POST":
        return _pairing_detail(request, pairing)
    if not services.may_log_pairing_activity(request.user, pairing):
        raise PermissionDenied
    form = PairingActivityForm(request.POST)
    if form.is_valid():
        try:
            services.log_pairing_activity(actor=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was logged."))
            return redirect(pairing.get_absolute_url())
    return _pairing_detail(request, pairing, form=form, status=400)


@role_page(Role.DISTRICT_STAFF)
def pairing_create(request):
    if request.method == "POST":
        form = PairingForm(request.POST)
        if form.is_valid():
            try:
                pairing = services.create_pairing(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The pairing was created."))
                return redirect(pairing.get_absolute_url())
        return render(request, "partyorgs/pairing_form.html", {"form": form}, status=400)
    return render(request, "partyorgs/pairing_form.html", {"form": PairingForm(initial=request.GET.dict())})


@business_page
def chain_pairings(request, code):
    """A chain's enterprise party organizations, paired (with whom) or not: linked from the chain page."""
    user = request.user
    chain = get_visible_or_404(Chain.objects.visible_to(user), code=code)
    status = chain_pairing_status(chain=chain, user=user, on=timezone.localdate())
    context = {"chain": chain, "rows": status, "paired": sum(item.paired for item in status)}
    return render(request, "partyorgs/chain_pairings.html", context)


# --- annual party plans ------------------------------------------------------------------------
def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


@business_page
def plans(request):
    """The chain masters' annual party plans of a year, flagged when missing past the deadline."""
    user, year, today = request.user, _year(request), timezone.localdate()
    deadline_form = None
    if user.is_district_staff:
        deadline_form = PlanDeadlineForm(request.POST or None)
        if request.method == "POST" and deadline_form.is_valid():
            try:
                services.set_plan_deadline(actor=user, year=year, due_on=deadline_form.cleaned_data["due_on"])
            except ValidationError as exc:
                apply_service_errors(deadline_form, exc)
            else:
                messages.success(request, _("The deadline was set."))
                return redirect(f"{request.path}?year={year}")
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "year": year,
        "rows": plan_status_for_user(user, year=year, today=today),
        "deadline_form": deadline_form,
    }
    status = 400 if deadline_form is not None and deadline_form.is_bound and deadline_form.errors else 200
    return render(request, "partyorgs/plans.html", context, status=status)


def _plan_detail(request, plan, form=None, status=200):
    if form is None and request.user.is_district_staff:
        form = PlanScoreForm(plan=plan)
    return render(request, "partyorgs/plan_detail.html", {"plan": plan, "form": form}, status=status)


@business_page
def plan_detail(request, pk):
    plan = get_visible_or_404(list_party_plans_for_user(request.user), pk=pk)
    if request.method != "POST":
        return _plan_detail(request, plan)
    if not request.user.is_district_staff:
        raise PermissionDenied
    form = PlanScoreForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.score_party_plan(
                actor=request.user, plan=plan, scores=form.scores(), business_score=form.cleaned_data["business_score"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was scored."))
            return redirect(plan.get_absolute_url())
    return _plan_detail(request, plan, form=form, status=400)


@business_page
def plan_file(request, code):
    """File the chain's plan: the chain master's organization's people and district staff."""
    user = request.user
    chain = get_visible_or_404(Chain.objects.visible_to(user), code=code)
    organizations = services.chain_master_organizations(chain).filter(
        pk__in=PartyOrganization.objects.visible_to(user).values("pk")
    )
    if not any(services.may_record_meetings(user, org) for org in organizations):
        raise PermissionDenied
    form = PartyPlanForm(request.POST or None, organizations=organizations, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.file_party_plan(actor=user, chain=chain, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was filed."))
            return redirect(plan.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render(request, "partyorgs/plan_form.html", {"form": form, "chain": chain}, status=status)
