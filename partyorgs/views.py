"""Pages of the party-organization app: the tree (a searchable list and each organization with what
sits below it), coverage, 应建未建. Parse, fetch through the selectors (scope is theirs), render;
writes through partyorgs.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import business_page, role_page
from accounts.roles import Role
from chainparty.actions import apply_service_errors
from chainparty.pages import paginate
from chainparty.scope import get_visible_or_404
from partyorgs import services, tree
from partyorgs.filters import OrganizationFilter
from partyorgs.forms import OrganizationForm
from partyorgs.models import PartyOrganization
from partyorgs.selectors import (
    coverage_for_user,
    list_branches_without_committee_for_user,
    list_organizations_for_user,
    list_should_establish_for_user,
    list_terms_ending_for_user,
)

SHOULD_ESTABLISH_SHOWN = 100


def _visible(user):
    return None if user.is_district_staff else PartyOrganization.objects.visible_to(user)


def _with_rollups(user, orgs) -> list[dict]:
    orgs = list(orgs)
    rollups = tree.rollups([o.pk for o in orgs], visible=_visible(user))
    return [{"org": org, "rollup": rollups.get(org.pk)} for org in orgs]


@business_page
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


@business_page
def org_detail(request, pk):
    user = request.user
    orgs = list_organizations_for_user(user)
    org = get_visible_or_404(orgs, pk=pk)
    visible = _visible(user)
    ancestors = tree.ancestor_ids(org.pk)
    shown = {o.pk: o for o in orgs.filter(pk__in=ancestors)}
    context = {
        "org": org,
        "rollup": tree.rollups([org.pk], visible=visible).get(org.pk),
        # Only the superiors the user may see, nearest last (as breadcrumbs read).
        "ancestors": [shown[pk] for pk in reversed(ancestors) if pk in shown],
        "children": _with_rollups(user, orgs.filter(parent=org)),
        "today": timezone.localdate(),
    }
    return render(request, "partyorgs/org_detail.html", context)


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
def org_edit(request, pk):
    return _org_form_page(request, get_visible_or_404(PartyOrganization.objects.visible_to(request.user), pk=pk))


@business_page
def coverage(request):
    result = coverage_for_user(request.user)
    return render(request, "partyorgs/coverage.html", {"coverage": result, "district_rows": [result.district]})


@business_page
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
