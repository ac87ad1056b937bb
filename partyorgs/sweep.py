"""换届提醒, the term reminders of design §4.4: 6 and 3 months before a term ends, and monthly once it
has lapsed, to district staff and to the people of the organization's superior — the unit handlers of
the unit it covers and the contacts of the enterprises it covers — through the inbox.

The shape of issues/sweep.py: a declared list of steps; each inserts TermReminder rows with
ON CONFLICT DO NOTHING against the (organization, kind, term end, period) unique constraint, and only
the rows this sweep inserted (marked with its id) produce notifications, re-checking that the
organization's term is still the one reminded of. Two sweeps racing, or a rerun, add nothing; a sweep
after downtime sends the reminder now due (not every one it missed: a term that ends in two months is
reminded once, at three months, never at six). A fixed number of statements whatever the number of
organizations: one INSERT per step, and one notification INSERT per step that found work."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from inbox.models import Notification
from inbox.services import request_email_delivery
from partyorgs.models import OrgCoverage, PartyOrganization, ReminderKind, TermReminder
from partyorgs.terms import add_months


@dataclass(frozen=True)
class Step:
    kind: ReminderKind
    # The window of term ends this step reminds of, as months from today: ends_after < end <= ends_by.
    ends_after: int | None
    ends_by: int
    # The period of the reminder: the term's end (once per term), or the month of the sweep (monthly).
    monthly: bool = False


STEPS = [
    Step(ReminderKind.SIX_MONTHS, ends_after=3, ends_by=6),
    Step(ReminderKind.THREE_MONTHS, ends_after=0, ends_by=3),
    Step(ReminderKind.LAPSED, ends_after=None, ends_by=0, monthly=True),
]


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@transaction.atomic
def sweep_term_reminders(*, today: date | None = None) -> dict[str, int]:
    """Send the term reminders due on ``today`` (the district's date; today by default)."""
    today = today or timezone.localdate()
    now: datetime = timezone.now()
    sweep_id = uuid.uuid4()
    sweep = TermReminder._meta.get_field("sweep").get_db_prep_value(sweep_id, connection)
    org, reminder, note = _table(PartyOrganization), _table(TermReminder), _table(Notification)
    coverage = _table(OrgCoverage)
    user, user_groups = _table(User), _table(User.groups.through)
    group = _table(User.groups.field.related_model)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for step in STEPS:
            period_sql = "%s" if step.monthly else "o.term_ends_on"
            period_params = [today.replace(day=1)] if step.monthly else []
            window, window_params = "o.term_ends_on <= %s", [add_months(today, step.ends_by)]
            if step.ends_after is not None:
                window += " AND o.term_ends_on > %s"
                window_params.append(add_months(today, step.ends_after))
            cursor.execute(
                f"INSERT INTO {reminder} (organization_id, kind, term_ends_on, period, sweep, created_at) "
                f"SELECT o.id, %s, o.term_ends_on, {period_sql}, %s, %s FROM {org} o "
                f"WHERE o.term_ends_on IS NOT NULL AND {window} "
                # Skip what was sent already (cheap, by the unique index); ON CONFLICT settles races.
                f"AND NOT EXISTS (SELECT 1 FROM {reminder} x WHERE x.organization_id = o.id AND x.kind = %s "
                f"AND x.term_ends_on = o.term_ends_on AND x.period = {period_sql}) "
                f"ON CONFLICT (organization_id, kind, term_ends_on, period) DO NOTHING",
                [step.kind.value, *period_params, sweep, now, *window_params, step.kind.value, *period_params],
            )
            counts[step.kind.value] = cursor.rowcount
            if not cursor.rowcount:
                continue
            # Who hears: district staff; the handlers of the unit the superior covers; the contacts of
            # the enterprises the superior covers. The term is re-checked: a renewal recorded since
            # the INSERT above silences the reminder of the old term.
            cursor.execute(
                f"INSERT INTO {note} (recipient_id, target_type_id, target_id, subject, body, email_due, created_at) "
                f"SELECT DISTINCT u.id, ct.id, o.id, %s || o.name || %s || CAST(r.term_ends_on AS TEXT), '', %s, %s "
                f"FROM {reminder} r JOIN {org} o ON o.id = r.organization_id AND o.term_ends_on = r.term_ends_on "
                f"LEFT JOIN {org} s ON s.id = o.parent_id "
                f"JOIN {_table(ContentType)} ct ON ct.app_label = %s AND ct.model = %s "
                f"CROSS JOIN {user} u JOIN {user_groups} ug ON ug.user_id = u.id JOIN {group} g ON g.id = ug.group_id "
                f"WHERE r.sweep = %s AND r.kind = %s AND u.is_active = %s AND ("
                f"g.name = %s "
                f"OR (g.name = %s AND u.unit_id IS NOT NULL AND u.unit_id = s.unit_id) "
                f"OR (g.name = %s AND u.enterprise_id IN (SELECT c.enterprise_id FROM {coverage} c "
                f"WHERE c.organization_id = s.id)))",
                [
                    "[" + str(step.kind.label) + "] ",
                    " · ",
                    True,
                    now,
                    PartyOrganization._meta.app_label,
                    PartyOrganization._meta.model_name,
                    sweep,
                    step.kind.value,
                    True,
                    Role.DISTRICT_STAFF.value,
                    Role.UNIT_HANDLER.value,
                    Role.ENTERPRISE_CONTACT.value,
                ],
            )
    if any(counts.values()):
        request_email_delivery()
    return counts
