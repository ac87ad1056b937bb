"""End-of-term reminders (issue 8): through the inbox, 30 and 7 days before a posting ends, each
exactly once. The shape of issues/sweep.py: a declared list of steps; each inserts PostingReminder
rows with ON CONFLICT DO NOTHING against the (posting, kind, end date) unique constraint, and only
the rows this sweep inserted (marked with its id) produce notifications — to the cadre's account and
district staff — in one statement that re-checks the posting is still active with that end date.
Two sweeps racing, or one re-run, add nothing; a sweep after downtime sends what fell due (a posting
first seen within 7 days of its end gets the 7-day reminder only). A posting whose end date moves is
reminded again for the new date."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from chainparty.dates import SHANGHAI
from chains.models import Enterprise, Park
from inbox.models import Notification
from inbox.services import request_email_delivery
from secretaries.models import Cadre, Posting, PostingReminder, PostingStatus, ReminderKind


@dataclass(frozen=True)
class Step:
    kind: str
    # Due when the end date is at most `within` days ahead and more than `after` days ahead.
    within: int
    after: int


STEPS = [
    Step(ReminderKind.DAYS_30, within=30, after=7),
    Step(ReminderKind.DAYS_7, within=7, after=-1),
]


def _subject(kind: str) -> str:
    if kind == ReminderKind.DAYS_30:
        return _("A posting ends in 30 days: ")
    return _("A posting ends in 7 days: ")


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@transaction.atomic
def remind_postings(*, at: datetime | None = None) -> dict[str, int]:
    at = at or timezone.now()
    today = at.astimezone(SHANGHAI).date()
    sweep_id = uuid.uuid4()
    posting, reminder, note = _table(Posting), _table(PostingReminder), _table(Notification)
    cadre, enterprise, park = _table(Cadre), _table(Enterprise), _table(Park)
    user, user_groups, group = _table(User), _table(User.groups.through), _table(Group)
    field = PostingReminder._meta.get_field("sweep")
    sweep_param = field.get_db_prep_value(sweep_id, connection)
    at_param = PostingReminder._meta.get_field("created_at").get_db_prep_value(at, connection)
    true = Notification._meta.get_field("email_due").get_db_prep_value(True, connection)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for step in STEPS:
            latest, earliest = today + timedelta(days=step.within), today + timedelta(days=step.after + 1)
            cursor.execute(
                f"INSERT INTO {reminder} (posting_id, kind, end_date, sweep, created_at) "
                f"SELECT p.id, %s, p.end_date, %s, %s FROM {posting} p "
                f"WHERE p.status = %s AND p.end_date IS NOT NULL AND p.end_date <= %s AND p.end_date >= %s "
                # Skip what is done (cheap, by the unique index); ON CONFLICT still settles races.
                f"AND NOT EXISTS (SELECT 1 FROM {reminder} x WHERE x.posting_id = p.id AND x.kind = %s "
                f"AND x.end_date = p.end_date) "
                f"ON CONFLICT (posting_id, kind, end_date) DO NOTHING",
                [step.kind, sweep_param, at_param, PostingStatus.ACTIVE.value, latest, earliest, step.kind],
            )
            counts[step.kind] = cursor.rowcount
            if not cursor.rowcount:
                continue
            cursor.execute(
                f"INSERT INTO {note} (recipient_id, target_type_id, target_id, subject, body, email_due, created_at) "
                f"SELECT DISTINCT u.id, ct.id, p.id, %s || COALESCE(e.name, k.name, ''), '', %s, %s "
                f"FROM {reminder} r JOIN {posting} p ON p.id = r.posting_id "
                f"JOIN {cadre} c ON c.id = p.cadre_id "
                f"LEFT JOIN {enterprise} e ON e.id = p.enterprise_id LEFT JOIN {park} k ON k.id = p.park_id "
                f"JOIN {_table(ContentType)} ct ON ct.app_label = %s AND ct.model = %s "
                f"JOIN {user} u ON u.is_active = %s AND (u.id = c.user_id OR EXISTS (SELECT 1 FROM {user_groups} ug "
                f"JOIN {group} g ON g.id = ug.group_id WHERE ug.user_id = u.id AND g.name = %s)) "
                # Still where the step found it: active, with the end date reminded of.
                f"WHERE r.sweep = %s AND r.kind = %s AND p.status = %s AND p.end_date = r.end_date",
                [
                    _subject(step.kind),
                    true,
                    at_param,
                    Posting._meta.app_label,
                    Posting._meta.model_name,
                    true,
                    Role.DISTRICT_STAFF.value,
                    sweep_param,
                    step.kind,
                    PostingStatus.ACTIVE.value,
                ],
            )
    if any(counts.values()):
        request_email_delivery()
    return counts
