"""Reads of cadres' postings that other apps rely on (scope, who hears of an enterprise's issue).
Other apps call these instead of querying the posting model, so its shape stays this app's."""

from datetime import date

from django.db.models import QuerySet

from accounts.models import User
from secretaries.models import Posting, PostingKind


def enterprise_ids_posted_to(cadre: User) -> QuerySet[Posting, int]:
    """Ids of the enterprises the cadre is posted to today (a subquery: use it with ``__in``)."""
    return Posting.objects.active().filter(cadre=cadre).values_list("enterprise_id", flat=True)


def cadre_ids_posted_to(enterprise_id: int) -> QuerySet[Posting, int]:
    """Ids of the cadres posted to the enterprise today (a subquery: use it with ``__in``)."""
    return Posting.objects.active().filter(enterprise_id=enterprise_id).values_list("cadre_id", flat=True)


def enterprise_ids_with_work_coverage(on: date | None = None) -> QuerySet[Posting, int]:
    """Ids of the enterprises with an active first secretary or party-building instructor on the day
    (today by default): the "work coverage" of design §4.3 (a subquery: use it with ``__in``)."""
    kinds = [PostingKind.FIRST_SECRETARY, PostingKind.INSTRUCTOR]
    return Posting.objects.active(on).filter(kind__in=kinds).values_list("enterprise_id", flat=True)
