"""The pages of imports, exports and their jobs (chainparty.jobs): one upload page per registered
importer, one export button for any list, and the job's page with its progress bar."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.decorators import business_page, role_holder_page
from chainparty import jobs
from chainparty.actions import apply_service_errors
from chainparty.models import Job, JobKind
from chainparty.scope import get_visible_or_404
from chainparty.spreadsheets import template_workbook, xlsx_response

RECENT_JOBS = 5


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), required=False)


def _importer(request, name: str) -> jobs.Importer:
    try:
        return jobs.importer_for(name, request.user)
    except LookupError as exc:
        raise Http404 from exc


def _exporter(request, name: str) -> jobs.Exporter:
    try:
        return jobs.exporter_for(name, request.user)
    except LookupError as exc:
        raise Http404 from exc
    except PermissionDenied:
        # 三员分立: to the security and audit administrators a business list does not exist.
        if not request.user.has_business_role:
            raise Http404 from None
        raise


@business_page
def import_page(request, name):
    importer = _importer(request, name)
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = jobs.start_import(actor=request.user, name=name, file=form.cleaned_data["file"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect(job)
        status = 400
    else:
        form = UploadForm()
    recent = Job.objects.visible_to(request.user).filter(kind=JobKind.IMPORT, name=name)[:RECENT_JOBS]
    context = {"importer": importer, "form": form, "recent": recent}
    return render(request, "jobs/import.html", context, status=status)


@business_page
def import_template(request, name):
    importer = _importer(request, name)
    content = template_workbook(importer.columns, title=importer.title, examples=importer.examples)
    return xlsx_response(content, f"{importer.title}-模板.xlsx")


@require_POST
@role_holder_page
def export_start(request, name):
    _exporter(request, name)
    result = jobs.export_list(actor=request.user, name=name, params=request.POST.get("params", ""))
    if isinstance(result, Job):
        return redirect(result)
    return xlsx_response(result.content, result.filename)


def _title(job: Job) -> str:
    registry: dict = jobs.EXPORTERS if job.kind == JobKind.EXPORT else jobs.IMPORTERS
    entry = registry.get(job.name)
    return str(entry.title) if entry else job.name


@role_holder_page
def job_detail(request, pk):
    job = get_visible_or_404(Job.objects.visible_to(request.user), pk=pk)
    imported = Job.objects.filter(checked=job).first() if job.dry_run else None
    context = {"job": job, "title": _title(job), "imported": imported}
    return render(request, "jobs/job_detail.html", context)


@role_holder_page
def job_status(request, pk):
    job = get_visible_or_404(Job.objects.visible_to(request.user), pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "phase": job.get_phase_display() if job.phase else "",
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.finished,
        }
    )


@require_POST
@business_page
def job_confirm(request, pk):
    check = get_visible_or_404(Job.objects.visible_to(request.user), pk=pk)
    try:
        job = jobs.confirm_import(actor=request.user, job_id=check.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(check)
    return redirect(job)


@role_holder_page
def job_download(request, pk):
    job = get_visible_or_404(Job.objects.visible_to(request.user), pk=pk)
    if not job.result:
        raise Http404
    filename = job.summary.get("filename") or "export.xlsx"
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=filename)
