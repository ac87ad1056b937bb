"""Pages of the project as a whole: the home page, which draws on several apps, and the health check.
They live here, above every app, so that no app needs to import another to build them."""

from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from accounts.roles import Role
from chainparty.api import api_error_response
from chains.selectors import list_chains_led_by, list_parks_led_by
from dashboards import subjects
from dashboards.periods import Period, PeriodKind
from issues.badges import supervision_count_for_request
from issues.figures import issue_figures
from issues.kpis import unit_kpis
from issues.models import Status
from issues.selectors import (
    count_issues_in_status_for_user,
    count_issues_with_pending_extension_for_user,
    count_open_issues_at_level_for_user,
    enterprise_issue_counts_for_user,
    issue_counts_by_chain,
    issue_counts_by_park,
    list_issues_in_handling_for_user,
    list_issues_to_rate_for_user,
    open_issue_counts_by_enterprise,
    queue_counts_for_user,
)
from issues.workflow import DISTRICT_RUNG
from meetings.selectors import count_meetings_without_minutes_for_user
from partyorgs.selectors import coverage_by_chain, coverage_counts
from secretaries.selectors import list_own_postings

# How many cards (chains, parks, postings) and issues a home lists before its "more" link.
HOME_CARDS = 12
HOME_ISSUES = 10
FAVICON = Path(settings.BASE_DIR, "static", "favicon.ico")

# What each back-office list is for, on the administrators' home (which lists a user gets is the
# admin's own permission check: admin.site.get_app_list).
ADMIN_WORK = {
    "accounts.user": _("Create accounts, attach them to a unit or an enterprise, grant roles, deactivate them."),
    "auth.group": _("Who holds each role."),
    "authtoken.tokenproxy": _("Issue, rotate and revoke the API tokens of other systems' accounts."),
    "accounts.auditevent": _(
        "Sign-ins, changes of accounts and roles, exports and reads of personal data: filter, search, export to Excel."
    ),
    "axes.accessattempt": _("Accounts locked after repeated failed sign-ins."),
    "axes.accesslog": _("Every sign-in and sign-out, with its address."),
    "axes.accessfailurelog": _("Every failed sign-in, with its address."),
}


@login_required
def home(request):
    """Each role's home is its dashboard (issue 14): what waits for the user, each count the count of
    the list it links to, read through the owning apps' selectors in a fixed number of queries per role
    (tests/home). Someone holding several roles gets each role's panel, in the order of HOME_PANELS.
    The security and audit administrators' home lists their back-office work instead."""
    user = request.user
    roles = [Role(code).label for code in Role.values if code in user.roles]
    has_business_role = user.has_business_role
    panels = []
    if has_business_role:
        now = timezone.now()
        for role, build in HOME_PANELS:
            panel = build(request, now) if user.has_role(role) else None
            if panel is not None:
                panels.append(panel)
    context = {
        "roles": roles,
        "has_business_role": has_business_role,
        "panels": panels,
        "admin_work": [] if has_business_role else _admin_work(request),
    }
    return render(request, "home.html", context)


def _this_quarter(now) -> Period:
    return Period.holding(PeriodKind.QUARTER, timezone.localdate(now))


def _fraction(percent):
    """A coverage rate (partyorgs: a percentage) as the fraction that {% rate_light %} reads."""
    return None if percent is None else percent / 100


def _district_staff_panel(request, now) -> dict:
    """Their to-do (to accept, to dispatch, extensions to decide, escalated to the district, meetings
    without minutes) beside a few of the district dashboard's headline figures."""
    user = request.user
    district = subjects.district_for(user)
    quarter = _this_quarter(now)
    coverage = coverage_counts(district.enterprises(), on=timezone.localdate(now))
    return {
        "template": "home/_district_staff.html",
        "to_accept": count_issues_in_status_for_user(user, Status.SUBMITTED),
        "to_dispatch": count_issues_in_status_for_user(user, Status.ACCEPTED),
        "extensions": count_issues_with_pending_extension_for_user(user),
        "escalated": count_open_issues_at_level_for_user(user, DISTRICT_RUNG),
        "district_rung": DISTRICT_RUNG,
        "minutes_pending": count_meetings_without_minutes_for_user(user),
        "quarter": quarter,
        "issues": issue_figures(district.issues(), start=quarter.start, end=quarter.end, at=now),
        "coverage": coverage,
        "coverage_fraction": _fraction(coverage.organization_rate),
    }


def _chain_leader_panel(request, now) -> dict:
    """The chains they lead as cards of the chain's facts (every enterprise of it, its designated
    master, its open and escalated issues, its organization coverage), each leading to the chain's
    dashboard; and their 督办件."""
    chains = list(list_chains_led_by(request.user)[: HOME_CARDS + 1])
    shown = chains[:HOME_CARDS]
    ids = [chain.pk for chain in shown]
    issues = issue_counts_by_chain(chain_ids=ids) if ids else {}
    coverage = coverage_by_chain(on=timezone.localdate(now), chain_ids=ids) if ids else {}
    cards = []
    for chain in shown:
        row = coverage.get(chain.pk)
        rate = row.organization_rate if row else None
        cards.append(
            {
                "chain": chain,
                "issues": issues.get(chain.pk, {"open": 0, "escalated": 0}),
                "organization_rate": rate,
                "organization_fraction": _fraction(rate),
            }
        )
    return {
        "template": "home/_chain_leader.html",
        "cards": cards,
        "more": len(chains) > HOME_CARDS,
        "supervision": supervision_count_for_request(request),
    }


def _unit_handler_panel(request, now) -> dict | None:
    """Their unit's queue in its parts, and the unit's rates this quarter with their lights."""
    user = request.user
    if not user.unit_id:
        return None
    quarter = _this_quarter(now)
    rows = unit_kpis(unit_ids=[user.unit_id], start=quarter.start, end=quarter.end, at=now)
    return {
        "template": "home/_unit_handler.html",
        "unit": user.unit,
        "queue": queue_counts_for_user(user),
        "supervision": supervision_count_for_request(request),
        "quarter": quarter,
        "kpis": rows[0] if rows else None,
    }


def _park_chief_panel(request, now) -> dict:
    """The parks they are chief of, each with its enterprises and open issues and a link to the park's
    dashboard; and their 督办件."""
    parks = list(list_parks_led_by(request.user)[: HOME_CARDS + 1])
    shown = parks[:HOME_CARDS]
    ids = [park.pk for park in shown]
    issues = issue_counts_by_park(park_ids=ids) if ids else {}
    return {
        "template": "home/_park_chief.html",
        "parks": [{"park": park, "issues": issues.get(park.pk, {"open": 0, "escalated": 0})} for park in shown],
        "more": len(parks) > HOME_CARDS,
        "supervision": supervision_count_for_request(request),
    }


def _first_secretary_panel(request, now) -> dict:
    """Their postings (active first), each enterprise with its open issues."""
    user = request.user
    postings = list(list_own_postings(user)[: HOME_CARDS + 1])
    shown = postings[:HOME_CARDS]
    ids = [posting.enterprise_id for posting in shown if posting.enterprise_id]
    issues = open_issue_counts_by_enterprise(user, enterprise_ids=ids) if ids else {}
    return {
        "template": "home/_first_secretary.html",
        "postings": [{"posting": p, "open_issues": issues.get(p.enterprise_id, 0)} for p in shown],
        "more": len(postings) > HOME_CARDS,
    }


def _enterprise_contact_panel(request, now) -> dict:
    """A prominent "submit a problem", their open issues with the time left on each, and what waits
    for their rating."""
    user = request.user
    return {
        "template": "home/_enterprise_contact.html",
        "counts": enterprise_issue_counts_for_user(user, at=now),
        "handling": list(list_issues_in_handling_for_user(user)[:HOME_ISSUES]),
        "to_rate": list(list_issues_to_rate_for_user(user, at=now)[:HOME_ISSUES]),
    }


# Each business role's panel on the home, in the order shown to someone holding several.
HOME_PANELS = (
    (Role.DISTRICT_STAFF, _district_staff_panel),
    (Role.CHAIN_LEADER, _chain_leader_panel),
    (Role.UNIT_HANDLER, _unit_handler_panel),
    (Role.PARK_CHIEF, _park_chief_panel),
    (Role.FIRST_SECRETARY, _first_secretary_panel),
    (Role.ENTERPRISE_CONTACT, _enterprise_contact_panel),
)


def _admin_work(request) -> list[dict]:
    """The back-office lists this administrator may open, as the admin's index offers them."""
    work = []
    for app in admin.site.get_app_list(request):
        for model in app["models"]:
            key = f"{app['app_label']}.{model['object_name'].lower()}"
            work.append({"name": model["name"], "url": model["admin_url"], "about": ADMIN_WORK.get(key, "")})
    return work


@require_safe
def favicon(request):
    """/favicon.ico, which a browser asks for on its own (the admin's pages, the API's, a first visit)."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def health(request):
    """Liveness and database reachability, for the load balancer and `docker compose`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- error pages: the portal's own, and JSON in the documented shape on every /api/ path --------------
# (DRF's exception handler answers for the API's views; these answer for what never reaches one: a
# path no route matches, such as /api/v1/issues/abc/, and a crash.)
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _is_api(request):
        return api_error_response(404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return api_error_response(403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """A form sent without its (or with an expired) CSRF token: usually a page left open past the
    session, or cookies blocked. Django's own page says so in technical English."""
    message = _(
        "The form had expired, or your browser refused the portal's cookie. Go back, reload the page and send it again."
    )
    if _is_api(request):
        return api_error_response(403, code="csrf_failed", detail=message)
    return render(request, "403.html", {"reason": message}, status=403)


def bad_request(request, exception):
    if _is_api(request):
        return api_error_response(400)
    return defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        return api_error_response(500)
    return defaults.server_error(request)


class SchemaView(SpectacularAPIView):
    """/api/schema/: the OpenAPI document, generated once per process for each API version and
    language, then served from memory. It describes the code, which does not change while the process
    runs, and it is the same for every caller (SERVE_PUBLIC: no endpoint is left out for a caller's
    permissions); generating it costs about a second of CPU for each request that asks. Who may read
    it is still checked on every request (SERVE_PERMISSIONS), before this runs."""

    _documents: ClassVar[dict[tuple[str | None, str | None], dict]] = {}

    def _get_schema_response(self, request):
        # drf-spectacular's own method (SpectacularAPIView.get calls it, inside its `?lang=` override),
        # keeping the generated document.
        if not self.serve_public:
            return super()._get_schema_response(request)
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language())
        document = self._documents.get(key)
        if document is None:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            document = self._documents[key] = generator.get_schema(request=request, public=True)
        return Response(
            data=document,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
