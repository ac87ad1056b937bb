"""A dashboard taken away: its Excel workbook (/dashboard/…/export.xlsx, the page's period
parameters), for exactly those who open the dashboard (subjects.*_for: a 404 for anyone else)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from chainparty.spreadsheets import xlsx_response
from dashboards import exports, subjects
from dashboards.periods import PeriodForm


@login_required
@require_safe
def district_export(request):
    return _export(request, subjects.district_for(request.user), reverse("dashboards:district"))


@login_required
@require_safe
def chain_export(request, pk: int):
    return _export(request, subjects.chain_for(request.user, pk), reverse("dashboards:chain", args=(pk,)))


@login_required
@require_safe
def park_export(request, pk: int):
    return _export(request, subjects.park_for(request.user, pk), reverse("dashboards:park", args=(pk,)))


def _export(request, subject, dashboard_url: str):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        context = {"subject": subject, "form": form, "dashboard_url": dashboard_url}
        return render(request, "dashboards/export_refused.html", context, status=400)
    download = exports.export_dashboard(actor=request.user, subject=subject, period=form.value)
    return xlsx_response(download.content, download.filename)
