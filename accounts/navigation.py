"""The main menu: one list of entries, each naming the roles that see it. Apps add entries here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import BUSINESS_ROLES, Role


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset


MENU = [
    MenuEntry(_("Home"), "home", frozenset(Role)),
    MenuEntry(_("Chains"), "chains:chain-list", BUSINESS_ROLES),
    MenuEntry(_("Enterprises"), "chains:enterprise-list", BUSINESS_ROLES),
    MenuEntry(_("Parks"), "chains:park-list", BUSINESS_ROLES),
    MenuEntry(_("API docs"), "api-docs", frozenset({Role.DISTRICT_STAFF})),
]


def menu_for(user, current_path: str) -> list[dict]:
    entries = []
    for entry in MENU:
        if not (user.roles & entry.roles) and not user.is_superuser:
            continue
        url = reverse(entry.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        entries.append({"label": entry.label, "url": url, "active": active})
    return entries
