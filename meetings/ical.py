"""iCalendar (RFC 5545) for the meetings: a person's feed and one meeting's .ics. Times in
Asia/Shanghai (with its VTIMEZONE), each event linking back to its page; cancelled meetings stay in
the feed as CANCELLED so calendar programs remove them. 吐槽大会 sessions appear as all-day events."""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from chainparty.dates import SHANGHAI
from issues.models import ComplaintSession
from meetings.models import Meeting, Status

PRODID = "-//chainparty//chain meetings//ZH"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    return calendar


def _meeting_event(meeting: Meeting, url: str) -> Event:
    event = Event()
    start = timezone.localtime(meeting.starts_at, SHANGHAI)
    event.add("uid", f"meeting-{meeting.pk}@chainparty")
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", url)
    event.add("description", f"{'、'.join(meeting.kind_labels)}\n{url}")
    event.add("status", "CANCELLED" if meeting.status == Status.CANCELLED else "CONFIRMED")
    event.add("sequence", meeting.schedule_version - 1)
    return event


def _session_event(session: ComplaintSession, url: str) -> Event:
    event = Event()
    event.add("uid", f"complaint-session-{session.pk}@chainparty")
    event.add("dtstamp", session.created_at)
    event.add("dtstart", session.held_on)
    event.add("dtend", session.held_on + timedelta(days=1))
    event.add("summary", f"吐槽大会 · {session.title}")
    event.add("location", session.place)
    event.add("url", url)
    return event


def render_calendar(
    name: str,
    meetings: Iterable[Meeting],
    url_of: Callable[[str], str],
    sessions: Iterable[ComplaintSession] = (),
    session_url: str = "",
) -> bytes:
    """`url_of(path)` makes a page's absolute URL."""
    calendar = _calendar(name)
    for meeting in meetings:
        calendar.add_component(_meeting_event(meeting, url_of(meeting.get_absolute_url())))
    for session in sessions:
        calendar.add_component(_session_event(session, session_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
