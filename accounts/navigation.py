"""The main menu: one list of entries, each naming the roles that see it. Apps add entries here.

accounts sits below every other app and imports none of them: the menu names their pages by URL
name only, and an app that wants a count on its entry registers it (`register_badge`, from its
AppConfig.ready), as the inbox does for its unread count."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import BUSINESS_ROLES, Role


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset


MENU = [
    MenuEntry(_("Home"), "home", frozenset(Role)),
    MenuEntry(_("Dashboard"), "dashboards:index", frozenset({Role.DISTRICT_STAFF, Role.CHAIN_LEADER, Role.PARK_CHIEF})),
    MenuEntry(_("Chains"), "chains:chain-list", BUSINESS_ROLES),
    MenuEntry(_("Enterprises"), "chains:enterprise-list", BUSINESS_ROLES),
    MenuEntry(_("Parks"), "chains:park-list", BUSINESS_ROLES),
    MenuEntry(_("Party organizations"), "partyorgs:org-list", BUSINESS_ROLES),
    MenuEntry(_("Issues"), "issues:issue-list", BUSINESS_ROLES),
    MenuEntry(_("My queue"), "issues:queue", frozenset({Role.UNIT_HANDLER})),
    # What the escalation ladder brought to them; a unit handler reaches it from their queue's tab.
    MenuEntry(
        _("Supervision (督办件)"),
        "issues:supervision-queue",
        frozenset({Role.CHAIN_LEADER, Role.DISTRICT_STAFF, Role.PARK_CHIEF}),
    ),
    MenuEntry(
        _("Submit an issue"),
        "issues:issue-submit",
        frozenset({Role.ENTERPRISE_CONTACT, Role.FIRST_SECRETARY, Role.PARK_CHIEF}),
    ),
    MenuEntry(_("Complaint sessions"), "issues:session-list", frozenset({Role.DISTRICT_STAFF})),
    MenuEntry(
        _("Chain meetings"),
        "meetings:meeting-list",
        frozenset({Role.DISTRICT_STAFF, Role.CHAIN_LEADER, Role.UNIT_HANDLER}),
    ),
    MenuEntry(_("Postings"), "secretaries:posting-list", BUSINESS_ROLES),
    MenuEntry(_("My enterprises"), "secretaries:mine", frozenset({Role.FIRST_SECRETARY})),
    MenuEntry(_("My parks"), "secretaries:parks", frozenset({Role.PARK_CHIEF})),
    MenuEntry(_("Cadre pool"), "secretaries:cadre-list", frozenset({Role.DISTRICT_STAFF})),
    MenuEntry(_("Coverage matching"), "secretaries:suggestions", frozenset({Role.DISTRICT_STAFF})),
    MenuEntry(_("Messages"), "inbox:list", BUSINESS_ROLES),
    MenuEntry(_("Unit ranking"), "issues:ranking", frozenset({Role.DISTRICT_STAFF, Role.CHAIN_LEADER})),
    MenuEntry(_("API docs"), "api-docs", frozenset({Role.DISTRICT_STAFF})),
]

# url_name -> the count shown on that entry, for the current request.
BADGES: dict[str, Callable[[HttpRequest], int]] = {}


def register_badge(url_name: str, count: Callable[[HttpRequest], int]) -> None:
    BADGES[url_name] = count


def menu_for(request: HttpRequest) -> list[dict]:
    """The entries the user sees. The active one is the entry with the longest URL that the current
    path starts with (so /issues/queue/ lights "My queue", not "Issues"). An entry with a registered
    badge carries its count (`badge`), also written into its label; such an entry (`badged`) is also
    shown in the header bar, so a phone shows the count without opening the menu."""
    user, current_path = request.user, request.path
    entries = []
    for entry in MENU:
        if not (user.roles & entry.roles) and not user.is_superuser:
            continue
        url = reverse(entry.url_name)
        label = entry.label
        badge = BADGES[entry.url_name](request) if entry.url_name in BADGES else 0
        if badge:
            label = gettext("%(label)s (%(count)d)") % {"label": label, "count": badge}
        entries.append(
            {
                "label": label,
                "name": entry.label,
                "url": url,
                "active": False,
                "badge": badge,
                "badged": entry.url_name in BADGES,
            }
        )
    matches = [
        e for e in entries if (current_path == e["url"] if e["url"] == "/" else current_path.startswith(e["url"]))
    ]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    return entries
