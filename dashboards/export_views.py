"""A dashboard taken away: its Excel workbook (/dashboard/…/export.xlsx, the page's period
parameters) and a chain's printable quarterly report (/dashboard/chains/<pk>/report/?quarter=2026Q4).
Each opens for exactly those who open the dashboard (subjects.*_for: a 404 for anyone else)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from chainparty.spreadsheets import xlsx_response
from dashboards import exports, subjects
from dashboards.periods import PeriodForm
from dashboards.report import QuarterForm, chain_report


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


@login_required
@require_safe
def chain_report_page(request, pk: int):
    """One printable A4 page (static/css/print.css); a bad quarter is a 400 naming the field."""
    subject = subjects.chain_for(request.user, pk)
    form = QuarterForm(request.GET, today=timezone.localdate())
    context = {
        "subject": subject,
        "chain": subject.chain,
        "form": form,
        "dashboard_url": reverse("dashboards:chain", args=(pk,)),
    }
    if not form.is_valid():
        return render(request, "dashboards/chain_report.html", context, status=400)
    context.update(chain_report(subject, form.value))
    return render(request, "dashboards/chain_report.html", context)
