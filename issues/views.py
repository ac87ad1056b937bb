"""Pages for the work on issues (design §4.6), one per role's task. Thin: parse a form, fetch through
the selectors (scope is theirs: an issue outside it is a 404 on every route), ask the workflow what
the user may do, call a service, render. Every rule is in issues/services/ and issues/workflow.py;
each action's form, service and message are declared once in issues/actions.py."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import business_page, role_page
from accounts.roles import Role
from chainparty.actions import apply_service_errors
from chainparty.dates import parse_instant
from chainparty.errors import RateLimited
from chainparty.pages import paginate
from chainparty.scope import get_visible_or_404, parse_id
from issues import forms as issue_forms
from issues import kpis, services
from issues.actions import ISSUE_ACTIONS
from issues.badges import supervision_count_for_request
from issues.filters import ComplaintSessionFilter, IssueFilter, QueueFilter
from issues.models import (
    AlertKind,
    Attachment,
    Issue,
    IssueCategory,
    ReasonCode,
    Satisfaction,
    ShareStatus,
    Status,
)
from issues.selectors import (
    get_issue_for_user,
    list_complaint_sessions_for_user,
    list_events_for_user,
    list_issues_for_user,
    list_queue_for_user,
    list_staged_uploads_for_user,
    list_supervision_queue_for_user,
    sees_internal,
    staged_on_form,
    with_enterprise_link,
)
from issues.workflow import Action, blocked_actions, urgeable_shares

SESSION_GRID_ROWS = 5
# The chain leader's tab: what climbed the ladder to them (level 2) or beyond.
ESCALATED_TO_LEADER = {"min_escalation_level": "2"}


# --- lists -------------------------------------------------------------------------------------------
@business_page
def issue_list(request):
    user = request.user
    filterset = IssueFilter(request.GET or None, queryset=list_issues_for_user(user), user=user)
    asked = {key: value for key, value in request.GET.items() if key != "page"}
    context = {
        **paginate(request, with_enterprise_link(filterset.page_rows(), user)),
        "form": filterset.page_form(),
        "is_chain_leader": user.has_role(Role.CHAIN_LEADER),
        "escalated_query": urlencode(ESCALATED_TO_LEADER),
        "escalated_view": asked == ESCALATED_TO_LEADER,
    }
    return render(request, "issues/issue_list.html", context)


# Whom the ladder reaches (issues.workflow.overseer): they have 督办件.
OVERSEER_ROLES = (Role.UNIT_HANDLER, Role.CHAIN_LEADER, Role.DISTRICT_STAFF, Role.PARK_CHIEF)


def _queue_tabs(request, current: str) -> list[dict]:
    """The two queues' tabs, each with its count: 我的待办 (a unit's shares) and 督办件 (what the ladder
    brought to the user). One count query per tab shown."""
    user = request.user
    tabs = []
    if user.has_role(Role.UNIT_HANDLER) and user.unit_id:
        tabs.append(
            {
                "label": _("My queue"),
                "url": reverse("issues:queue"),
                "count": list_queue_for_user(user).count() if current != "queue" else None,
                "current": current == "queue",
            }
        )
    tabs.append(
        {
            "label": _("Supervision (督办件)"),
            "url": reverse("issues:supervision-queue"),
            "count": supervision_count_for_request(request) if current != "supervision" else None,
            "current": current == "supervision",
        }
    )
    return tabs


@role_page(Role.UNIT_HANDLER)
def queue(request):
    """我的待办: the unit's shares waiting for a signature or an answer, the nearest deadline first;
    the tab beside it counts the 督办件 the ladder brought to the unit."""
    user = request.user
    if not user.unit_id:
        raise PermissionDenied
    # ?show= narrows it to one part (the counts on the handler's home link here).
    filterset = QueueFilter(request.GET or None, queryset=list_queue_for_user(user), user=user)
    listed = paginate(request, filterset.page_rows())
    rows = [
        {
            "share": share,
            "issue": share.issue,
            "pending": share.status == ShareStatus.PENDING,
            "due": share.due,
            "overdue": share.past_due,
            "reply_by": share.reply_by,
            "reply_overdue": share.reply_overdue,
        }
        for share in listed["rows"]
    ]
    tabs = _queue_tabs(request, "queue")
    context = {
        **listed,
        "rows": rows,
        "form": filterset.form,
        "unit": user.unit,
        "tabs": tabs,
        "supervision_count": tabs[-1]["count"],
    }
    return render(request, "issues/queue.html", context, status=400 if filterset.form.errors else 200)


@role_page(*OVERSEER_ROLES)
def supervision_queue(request):
    """督办件: the issues being handled that the escalation ladder has brought to the user — the
    lead unit's industry party committee from level 1, the chain leader from 2, the district at 3 —
    with their supervisions' replies and urges."""
    user = request.user
    listed = paginate(request, list_supervision_queue_for_user(user))
    context = {**listed, "tabs": _queue_tabs(request, "supervision")}
    return render(request, "issues/supervision_queue.html", context)


# --- submit ------------------------------------------------------------------------------------------
@role_page(*services.SUBMITTER_ROLES)
def issue_submit(request):
    """The submission form. A refused try shows every problem at once and keeps the files that were
    fine (staged on the form's token, listed by name, each with a box to remove it); the successful try
    attaches them."""
    user = request.user
    status = 200
    if request.method == "POST":
        form = issue_forms.IssueSubmitForm(request.POST, request.FILES, user=user)
        form.is_valid()  # parsing only: every rule is the service's, which reports the form's errors too
        data = form.cleaned_data
        token = data.get("upload_token", "")
        uploads = [services.Upload(name=f.name, content=f, size=f.size) for f in data.get("attachments") or []]
        # Kept files ticked "remove" leave the form first, whatever this try's outcome.
        services.discard_staged_uploads(actor=user, token=token, ids=data.get("remove_staged", []))
        kept = [pk for pk in data.get("staged", []) if pk not in data.get("remove_staged", [])]
        try:
            submission = services.submit_issue_once(
                actor=user,
                enterprise_id=data["enterprise"].pk if data.get("enterprise") else None,
                category_code=data["category"].code if data.get("category") else None,
                title=data.get("title", ""),
                description=data.get("description", ""),
                chain_id=data["chain"].pk if data.get("chain") else None,
                uploads=uploads,
                staged_ids=kept,
                staging_token=token or None,
                input_errors={field: list(errors) for field, errors in form.errors.items()},
                idempotency_key=data.get("idempotency_key") or None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            issue = submission.issue
            messages.success(request, _("Your issue %(number)s was submitted.") % {"number": issue.number})
            return redirect("issues:issue-detail", pk=issue.pk)
        status = 400
    else:
        form = issue_forms.IssueSubmitForm(user=user)
        token = form.initial["upload_token"]
        # From a posting's page: the enterprise it names, if the user may submit for it.
        chosen = parse_id(request.GET.get("enterprise"))
        if chosen and form.fields["enterprise"].queryset.filter(pk=chosen).exists():
            form.initial["enterprise"] = chosen
    context = {"form": form, "staged": staged_on_form(user, token)}
    return render(request, "issues/issue_submit.html", context, status=status)


@business_page
def staged_download(request, pk):
    """A file kept from a refused try, for its uploader alone (404 for everyone else)."""
    staged = get_visible_or_404(list_staged_uploads_for_user(request.user), pk=pk)
    try:
        handle = staged.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=staged.original_name, content_type=staged.content_type)


# --- detail and actions -----------------------------------------------------------------------------
def _timeline(user, issue):
    entries = []
    for event in list_events_for_user(user, issue):
        data = event.data or {}
        if data.get("alert") in AlertKind.values:
            label = AlertKind(data["alert"]).label
        elif event.action in Action.values:
            label = Action(event.action).label
        else:
            label = event.action
        entries.append(
            {
                "event": event,
                "label": label,
                # The status is shown where it changed (a comment or a co-unit's step leaves it).
                "status": Status(event.to_status).label
                if event.to_status in Status.values and event.to_status != event.from_status
                else "",
                "status_code": event.to_status,
                "satisfaction": Satisfaction(data["satisfaction"]).label
                if data.get("satisfaction") in Satisfaction.values
                else "",
                "reasons": [
                    ReasonCode(code).label if code in ReasonCode.values else code
                    for code in data.get("reason_codes", [])
                ],
                # The sweep writes its own label as the note, and a submission the title: both said already.
                "note": _extension_note(data)
                if event.action == Action.EXTEND
                else ("" if data.get("alert") or event.action == Action.SUBMIT else event.note),
                "system": event.actor_id is None,
            }
        )
    return entries


def _extension_note(data) -> str:
    due = parse_instant(data.get("resolve_due_at") or "")
    return _("New deadline: %(day)s") % {"day": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")} if due else ""


def _earlier_answers(timeline) -> list[dict]:
    """The answers the enterprise refused (不满意), each with when it was given and the rating that
    reopened the issue: history, not the issue's current answer (design §4.6, 重办)."""
    earlier, answer = [], None
    for entry in timeline:
        event = entry["event"]
        if event.action == Action.RESOLVE:
            answer = entry
        elif event.action == Action.RATE and (event.data or {}).get("satisfaction") == Satisfaction.UNSATISFIED:
            if answer is not None:
                answer["superseded"] = True
                earlier.append({"answer": answer["event"], "rating": entry})
            answer = None
    return earlier


def _blocked(issue, user) -> list[dict]:
    """What the user would do next but cannot yet, and why (the reason in place of the button);
    actions refused for one reason are named together."""
    grouped: dict[str, list[str]] = {}
    for action, reason in blocked_actions(issue, user):
        grouped.setdefault(reason, []).append(str(Action(action).label))
    return [{"labels": "、".join(labels), "reason": reason} for reason, labels in grouped.items()]


def _render_detail(request, issue, *, bound=None, status=200):
    user = request.user
    internal = sees_internal(user)

    def initial(action):
        if action == Action.DISPATCH:
            lead = services.suggest_lead_unit(category=issue.category, chain=issue.chain)
            return {"lead_unit": lead.pk if lead else None}
        return None

    action_forms = ISSUE_ACTIONS.page_actions(
        issue,
        user,
        url=lambda action: reverse("issues:issue-action", args=[issue.pk, action]),
        bound=bound,
        initial=initial,
    )
    for item in action_forms:
        if item["action"] == Action.URGE:
            choices = [
                (share.unit_id, f"{share.unit} · {share.get_role_display()}") for share in urgeable_shares(issue, user)
            ]
            if len(choices) > 1:
                choices.insert(0, ("", _("Every unit still owing its part")))
            item["form"].fields["unit"].widget.choices = choices
    urges: dict[int, int] = {}
    for urge in issue.urges.all():
        urges[urge.unit_id] = urges.get(urge.unit_id, 0) + 1
    shares = list(issue.shares.all())
    for share in shares:
        share.urge_count = urges.get(share.unit_id, 0)  # shown beside the unit (催办 N 次)
    today = timezone.localdate()
    timeline = _timeline(user, issue)
    context = {
        "issue": issue,
        "shares": shares,
        "urge_total": sum(urges.values()),
        "supervisions": [
            {"supervision": item, "overdue": item.replied_at is None and item.reply_by < today}
            for item in issue.supervisions.all()
        ]
        if internal
        else [],
        "attachments": issue.attachments.all(),
        "extensions": issue.extension_requests.all() if internal else [],
        "timeline": timeline,
        "earlier_answers": _earlier_answers(timeline),
        "has_deadlines": bool(
            (issue.status == Status.SUBMITTED and issue.accept_due_at)
            or issue.sign_due_at
            or issue.resolve_due_at
            or issue.rate_due_at
            or issue.closed_at
        ),
        "action_forms": action_forms,
        "blocked": _blocked(issue, user),
        "internal": internal,
    }
    return render(request, "issues/issue_detail.html", context, status=status)


@business_page
def issue_detail(request, pk):
    return _render_detail(request, get_issue_for_user(request.user, pk))


@require_POST
@business_page
def issue_action(request, pk, action):
    user = request.user
    issue = get_issue_for_user(user, pk)  # first: outside scope every action is a 404
    outcome = ISSUE_ACTIONS.submit(request, issue, action)  # an unknown action is a 404; PermissionDenied a 403
    if outcome.form is not None:
        return _render_detail(request, issue, bound={outcome.spec.name: outcome.form}, status=400)
    if outcome.done and not Issue.objects.visible_to(user).filter(pk=issue.pk).exists():
        return redirect("issues:queue")  # returned by this unit: out of its sight now
    return redirect("issues:issue-detail", pk=issue.pk)


@business_page
def attachment_download(request, pk):
    visible = Issue.objects.visible_to(request.user).values("pk")
    attachment = get_visible_or_404(Attachment.objects.filter(issue__in=visible), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


# --- complaint sessions (吐槽大会) -------------------------------------------------------------------
@role_page(Role.DISTRICT_STAFF)
def session_list(request):
    user = request.user
    filterset = ComplaintSessionFilter(request.GET or None, queryset=list_complaint_sessions_for_user(user), user=user)
    context = {**paginate(request, filterset.page_rows()), "form": filterset.form}
    return render(request, "issues/session_list.html", context)


@role_page(Role.DISTRICT_STAFF)
def session_create(request):
    if request.method == "POST":
        form = issue_forms.ComplaintSessionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.create_complaint_session(
                    actor=request.user,
                    title=data["title"],
                    held_on=data["held_on"],
                    place=data["place"],
                    host_unit_id=data["host_unit"].pk if data["host_unit"] else None,
                    chain_id=data["chain"].pk if data["chain"] else None,
                    industry_committee_id=data["industry_committee"].pk if data["industry_committee"] else None,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The session was created. Enter the issues raised at it."))
                return redirect("issues:session-entry", pk=session.pk)
        status = 400
    else:
        form = issue_forms.ComplaintSessionForm(initial={"held_on": timezone.localdate()})
        status = 200
    return render(request, "issues/session_create.html", {"form": form}, status=status)


_ROW_KEY = re.compile(r"^rows\[(\d+)\]\.(\w+)$")


def _apply_grid_errors(formset, row_forms, exc: ValidationError) -> list[str]:
    """Map the service's `rows[i].field` keys back to the grid's forms; return what names no row."""
    grid_errors = []
    for key, messages_ in exc.message_dict.items():
        match = _ROW_KEY.match(key)
        if match and int(match.group(1)) < len(row_forms):
            form, field = row_forms[int(match.group(1))], match.group(2)
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
        else:
            grid_errors.extend(messages_)
    return grid_errors


@role_page(Role.DISTRICT_STAFF)
def session_entry(request, pk):
    """Many issues in one form, row by row; nothing saved until every row is valid, and one save shows
    every row's every error."""
    user = request.user
    session = get_visible_or_404(list_complaint_sessions_for_user(user), pk=pk)
    form_kwargs = {
        "category_choices": list(
            IssueCategory.objects.filter(is_active=True).order_by("kind", "name").values_list("code", "name")
        ),
        "lookup_url": reverse("issues:enterprise-lookup"),
    }
    grid_errors = []
    status = 200
    if request.method == "POST":
        data = request.POST.copy()
        if "add_row" in data:
            # Without JavaScript: the same grid back, one empty row longer, nothing checked yet.
            shown = data.get("rows-TOTAL_FORMS", "")
            total = min((int(shown) if shown.isdigit() else 0) + 1, issue_forms.SESSION_GRID_MAX_ROWS)
            data["rows-TOTAL_FORMS"] = str(total)
            formset = issue_forms.session_grid()(data, prefix="rows", form_kwargs=form_kwargs)
            return _render_session_entry(request, session, formset, grid_errors, status)
        formset = issue_forms.session_grid()(data, prefix="rows", form_kwargs=form_kwargs)
        if formset.is_valid():
            row_forms = [form for form in formset.forms if form.has_changed()]
            rows = [
                {
                    "enterprise_ref": form.cleaned_data["enterprise"],
                    "category": form.cleaned_data["category"],
                    "title": form.cleaned_data["title"],
                    "description": form.cleaned_data["description"],
                }
                for form in row_forms
            ]
            try:
                issues = services.submit_session_issues(actor=user, session=session, rows=rows)
            except ValidationError as exc:
                grid_errors = _apply_grid_errors(formset, row_forms, exc)
            else:
                messages.success(
                    request,
                    _("%(count)d issues were entered: %(numbers)s")
                    % {"count": len(issues), "numbers": ", ".join(issue.number for issue in issues)},
                )
                return redirect("issues:session-entry", pk=session.pk)
        else:
            grid_errors = list(formset.non_form_errors())
        status = 400
    else:
        formset = issue_forms.session_grid(SESSION_GRID_ROWS)(prefix="rows", form_kwargs=form_kwargs)
    return _render_session_entry(request, session, formset, grid_errors, status)


def _render_session_entry(request, session, formset, grid_errors, status):
    entered = (
        list_issues_for_user(request.user).filter(session=session).select_related(None).select_related("enterprise")
    )
    context = {"session": session, "formset": formset, "grid_errors": grid_errors, "entered": entered}
    return render(request, "issues/session_entry.html", context, status=status)


@role_page(*services.SUBMITTER_ROLES)
def enterprise_lookup(request):
    """The type-ahead of an enterprise field (static/js/enterprise-lookup.js): JSON, up to ten
    enterprises the user may submit for whose code begins with, or name contains, `q`."""
    found = services.suggest_enterprises(actor=request.user, text=request.GET.get("q", "")[:200])
    return JsonResponse({"results": found})


# --- unit ranking -----------------------------------------------------------------------------------
RATES = ("response_rate", "on_time_rate", "satisfaction_rate")


@role_page(Role.DISTRICT_STAFF, Role.CHAIN_LEADER)
def ranking(request):
    """The district's ranking of units (§4.6). District staff see every unit; a chain leader sees the
    units of their chains (kpis.unit_ranking_for_user, the API's rule), each with its district-wide rank."""
    user = request.user
    form = issue_forms.PeriodForm(request.GET)
    rows, start, end = [], None, None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = kpis.unit_ranking_for_user(user, start, end)
        for row in rows:
            row["percent"] = {name: None if row[name] is None else row[name] * 100 for name in RATES}
    context = {
        "form": form,
        "rows": rows,
        "start": start,
        "end": end,
        "whole_district": user.is_superuser or user.is_district_staff,
    }
    return render(request, "issues/ranking.html", context, status=200 if form.is_valid() else 400)
