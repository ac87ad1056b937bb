"""Who may do what, for the checks that roles alone decide. Roles come from group membership
(``accounts.roles``); object scope is ``chainparty.scope``'s business."""

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.models import User

STAFF_ONLY = _("Only district party-building staff may do this.")
# For data that everyone signed in may read but only the district keeps.
STAFF_ONLY_CHANGES = _("Only district party-building staff may change this.")


def require_district_staff(actor: User, message: str | Promise = STAFF_ONLY) -> None:
    """For services: raise PermissionDenied (a 403 on the API, the form's error on a page)."""
    if not actor.is_district_staff:
        raise PermissionDenied(message)


class IsDistrictStaff(permissions.BasePermission):
    """Every request to the view is district staff's."""

    message = STAFF_ONLY

    def has_permission(self, request, view) -> bool:
        return request.user.is_district_staff


class DistrictStaffWrites(permissions.BasePermission):
    """Reads for everyone signed in (scope does the rest); writes for district staff only.

    Writes on an object are decided in has_object_permission, i.e. after the object was fetched
    from the user's scope, so an object outside it is a 404 rather than a 403.
    """

    message = STAFF_ONLY_CHANGES

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or view.detail:
            return True
        return request.user.is_district_staff

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.is_district_staff
