"""Pages of the quarterly chain meetings (design §4.7): the list by quarter and chain, the meeting
page (agenda, invitees, minutes, decisions and their follow-ups), the printable minutes, the .ics
downloads and the person's calendar feed. Thin: fetch through the selectors (a meeting outside scope
is a 404 on every route), ask the workflow, call a service, render."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import business_page
from chainparty.pages import paginate
from meetings import ical, selectors, services
from meetings.actions import MEETING_ACTIONS
from meetings.filters import MeetingFilter
from meetings.forms import DecideForm, DiscussForm
from meetings.quarters import parse_quarter, quarter_of
from meetings.workflow import Action, allowed_actions

ICS = "text/calendar; charset=utf-8"
# The item-level forms are shown on each agenda item, not in the side panel.
ITEM_ACTIONS = (Action.DISCUSS,)
AGENDA_PER_PAGE = 50


@business_page
def meeting_list(request):
    user = request.user
    filterset = MeetingFilter(request.GET or None, queryset=selectors.list_meetings_for_user(user), user=user)
    quarter = quarter_of()
    if filterset.is_bound and filterset.is_valid() and filterset.form.cleaned_data.get("quarter"):
        quarter = parse_quarter(filterset.form.cleaned_data["quarter"])
    context = {
        **paginate(request, filterset.page_rows()),
        "form": filterset.form,
        "current_quarter": str(quarter_of()),
        # 吐槽大会 sessions of the quarter shown, on the same calendar as the meetings (§4.7).
        "sessions_quarter": str(quarter),
        "sessions": selectors.list_sessions_in_quarter_for_user(user, quarter),
    }
    return render(request, "meetings/meeting_list.html", context)


def _render_detail(request, meeting, *, bound=None, status=200):
    user = request.user
    allowed = allowed_actions(meeting, user)
    # The agenda a page at a time: a chain with thousands of overdue issues has as many items.
    listed = paginate(request, selectors.list_agenda(meeting), per_page=AGENDA_PER_PAGE)
    agenda = list(listed["rows"])
    decisions = list(selectors.list_decisions(meeting))
    item_forms = {}
    # The units a follow-up may go to, read once for every decision form of the page.
    unit_choices = list(DecideForm(user=user).fields["follow_up_unit"].choices) if Action.DECIDE in allowed else []
    if Action.DISCUSS in allowed or Action.DECIDE in allowed:
        for item in agenda:
            item_forms[item.pk] = {
                "discuss": DiscussForm(
                    initial={"agenda_item_id": item.pk, "discussion": item.discussion}, prefix="discuss", user=user
                )
                if Action.DISCUSS in allowed
                else None,
                "decide": DecideForm(initial={"agenda_item_id": item.pk}, prefix="decide", user=user)
                if Action.DECIDE in allowed
                else None,
            }
    action_forms = [
        item
        for item in MEETING_ACTIONS.page_actions(
            meeting,
            user,
            url=lambda action: reverse("meetings:meeting-action", args=[meeting.pk, action]),
            bound=bound,
        )
        if item["action"] not in ITEM_ACTIONS
    ]
    for form in [
        *(f["decide"] for f in item_forms.values()),
        *(a["form"] for a in action_forms if a["action"] == Action.DECIDE),
    ]:
        if form is not None:
            form.fields["follow_up_unit"].choices = unit_choices
    by_item: dict = {}
    for decision in decisions:
        by_item.setdefault(decision.agenda_item_id, []).append(decision)
    context = {
        "meeting": meeting,
        "agenda": [
            {"item": item, "forms": item_forms.get(item.pk), "decisions": by_item.get(item.pk, [])} for item in agenda
        ],
        "decisions": decisions,
        "general_decisions": by_item.get(None, []),
        "invitees": meeting.invitees.all(),
        "attendance": meeting.attendance.all(),
        "action_forms": action_forms,
        "discuss_url": reverse("meetings:meeting-action", args=[meeting.pk, Action.DISCUSS]),
        "decide_url": reverse("meetings:meeting-action", args=[meeting.pk, Action.DECIDE]),
        "bound": bound or {},
        "page": listed["page"],
        "querystring": listed["querystring"],
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@business_page
def meeting_detail(request, pk):
    return _render_detail(request, selectors.get_meeting_for_user(request.user, pk))


@require_POST
@business_page
def meeting_action(request, pk, action):
    meeting = selectors.get_meeting_for_user(request.user, pk)  # first: outside scope every action is a 404
    outcome = MEETING_ACTIONS.submit(request, meeting, action)
    if outcome.form is not None:
        return _render_detail(request, meeting, bound={outcome.spec.name: outcome.form}, status=400)
    return redirect("meetings:meeting-detail", pk=meeting.pk)


@business_page
def minutes_print(request, pk):
    """The minutes as one printable page (static/css/print.css: A4 width, Chinese fonts)."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    context = {
        "meeting": meeting,
        "agenda": selectors.list_agenda(meeting),
        "decisions": selectors.list_decisions(meeting),
        "attendance": meeting.attendance.all(),
        "invitees": meeting.invitees.all(),
    }
    return render(request, "meetings/minutes_print.html", context)


@business_page
def meeting_ics(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    body = ical.render_calendar(meeting.title, [meeting], request.build_absolute_uri)
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@business_page
def calendar_feed_settings(request):
    """The person's feed: its secret URL, a new one (the old one stops working) or none."""
    user = request.user
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_feed(actor=user)
            messages.success(request, _("The calendar feed was revoked; its address no longer works."))
        else:
            services.create_calendar_feed(actor=user)
            messages.success(request, _("A new calendar feed address was made; the old one no longer works."))
        return redirect("meetings:calendar")
    feed = selectors.live_feed_of(user)
    url = request.build_absolute_uri(reverse("meetings:feed", args=[feed.token])) if feed else ""
    return render(request, "meetings/calendar.html", {"feed": feed, "feed_url": url})


@require_GET
def calendar_feed(request, token):
    """The iCalendar feed: no session (calendar programs send none), the secret token is the
    credential; unknown or revoked it is a 404. What it shows is what its owner may see now."""
    feed = selectors.feed_for_token(token)
    if feed is None or not feed.user.is_active or not feed.user.has_business_role:
        raise Http404
    meetings, sessions = selectors.calendar_entries_for_user(feed.user)
    body = ical.render_calendar(
        _("Chain meetings"),
        meetings,
        request.build_absolute_uri,
        sessions=sessions,
        session_url=request.build_absolute_uri(reverse("issues:session-list")),
    )
    return HttpResponse(body, content_type=ICS)
