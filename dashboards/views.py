"""The dashboard pages: the district's (district staff), a chain's (its leaders and the district),
a park's (its chiefs and the district), and the district's big screen (大屏) for the meeting-room
display. Each reads figures.current once (figures computed at most a minute ago) and renders them;
the period is the API's parameters (dashboards.periods)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from chains.selectors import list_dashboard_chains_for_user, list_dashboard_parks_for_user
from dashboards import charts, figures, subjects
from dashboards.periods import PeriodForm


@login_required
@require_safe
def index(request):
    """/dashboard/: the district's for district staff, else the first chain or park the user may open."""
    user = request.user
    if subjects.can_open_district(user):
        return redirect("dashboards:district")
    chain = list_dashboard_chains_for_user(user).order_by("name").first()
    if chain is not None:
        return redirect("dashboards:chain", chain.pk)
    park = list_dashboard_parks_for_user(user).order_by("name").first()
    if park is not None:
        return redirect("dashboards:park", park.pk)
    raise Http404


@login_required
@require_safe
def district(request):
    return _render(request, subjects.district_for(request.user))


@login_required
@require_safe
def chain(request, pk: int):
    return _render(request, subjects.chain_for(request.user, pk))


@login_required
@require_safe
def park(request, pk: int):
    return _render(request, subjects.park_for(request.user, pk))


def _render(request, subject):
    user = request.user
    form = PeriodForm(request.GET)
    context = {
        "subject": subject,
        "form": form,
        "chains": list_dashboard_chains_for_user(user).order_by("name").only("pk", "name"),
        "parks": list_dashboard_parks_for_user(user).order_by("name").only("pk", "name"),
        "district": subjects.can_open_district(user),
    }
    if not form.is_valid():
        return render(request, "dashboards/dashboard.html", context, status=400)
    data = figures.current(subject, form.value)
    context.update(figures=data, links=data["links"], charts=charts.for_page(data), period=form.value)
    return render(request, "dashboards/dashboard.html", context)


# How often the big screen fetches itself again (static/js/screen.js): figures fresh within a minute.
SCREEN_REFRESH_SECONDS = 60


@login_required
@require_safe
def screen(request):
    """/dashboard/screen/: the district's figures full-screen on the meeting-room display (dark,
    large, no scrolling at 1920×1080). The same figures as the district dashboard, fewer of them; the
    page fetches itself every minute and swaps its figures in place (static/js/screen.js)."""
    subject = subjects.district_for(request.user)
    form = PeriodForm(request.GET)
    context = {"subject": subject, "form": form, "refresh_seconds": SCREEN_REFRESH_SECONDS}
    if not form.is_valid():
        return render(request, "dashboards/screen.html", context, status=400)
    data = figures.current(subject, form.value)
    context.update(figures=data, links=data["links"], charts=charts.for_screen(data), period=form.value)
    return render(request, "dashboards/screen.html", context)
