"""The main menu: one list of entries, each naming the roles that see it. Apps add entries here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import BUSINESS_ROLES, Role


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset


INBOX_URL_NAME = "issues:inbox"

MENU = [
    MenuEntry(_("Home"), "home", frozenset(Role)),
    MenuEntry(_("Chains"), "chains:chain-list", BUSINESS_ROLES),
    MenuEntry(_("Enterprises"), "chains:enterprise-list", BUSINESS_ROLES),
    MenuEntry(_("Parks"), "chains:park-list", BUSINESS_ROLES),
    MenuEntry(_("Issues"), "issues:issue-list", BUSINESS_ROLES),
    MenuEntry(_("My queue"), "issues:queue", frozenset({Role.UNIT_HANDLER})),
    MenuEntry(_("Submit an issue"), "issues:issue-submit", frozenset({Role.ENTERPRISE_CONTACT, Role.FIRST_SECRETARY})),
    MenuEntry(_("Complaint sessions"), "issues:session-list", frozenset({Role.DISTRICT_STAFF})),
    MenuEntry(_("Messages"), INBOX_URL_NAME, BUSINESS_ROLES),
    MenuEntry(_("Unit ranking"), "issues:ranking", frozenset({Role.DISTRICT_STAFF, Role.CHAIN_LEADER})),
    MenuEntry(_("API docs"), "api-docs", frozenset({Role.DISTRICT_STAFF})),
]


def menu_for(user, current_path: str, *, unread: int = 0) -> list[dict]:
    """The entries the user sees. The active one is the entry with the longest URL that the current
    path starts with (so /issues/queue/ lights "My queue", not "Issues"). The inbox entry carries the
    unread count (`badge`), also written into its label so the header shows it on every page."""
    entries = []
    for entry in MENU:
        if not (user.roles & entry.roles) and not user.is_superuser:
            continue
        url = reverse(entry.url_name)
        label = entry.label
        badge = unread if entry.url_name == INBOX_URL_NAME else 0
        if badge:
            label = gettext("%(label)s (%(count)d)") % {"label": label, "count": badge}
        entries.append({"label": label, "url": url, "active": False, "badge": badge})
    matches = [
        e for e in entries if (current_path == e["url"] if e["url"] == "/" else current_path.startswith(e["url"]))
    ]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    return entries
