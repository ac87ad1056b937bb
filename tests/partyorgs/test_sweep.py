"""换届提醒 (design §4.4): 6 and 3 months before a term ends and monthly once it has lapsed, each
exactly once however often the sweep runs, to district staff and the superior's people. Time travel."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from accounts.roles import Role
from inbox.models import Notification
from partyorgs.models import OrgKind, ReminderKind, TermReminder
from partyorgs.sweep import sweep_term_reminders
from partyorgs.tasks import sweep_term_reminders_task
from tests import factories as f
from tests.clock import at

pytestmark = pytest.mark.django_db

END = date(2027, 6, 30)


@pytest.fixture
def term(orgs):
    """branch_a1's term ends on 30 June 2027; its superior, committee_x, covers the unit ic_a, which
    has a handler; contact_a is the contact of the enterprise branch_a1 itself covers."""
    orgs.branch_a1.term_started_on = date(2024, 6, 30)
    orgs.branch_a1.term_ends_on = END
    orgs.branch_a1.save()
    orgs.handler_ic = f.UserFactory(username="handler_ic", unit=orgs.ic_a, roles=[Role.UNIT_HANDLER])
    return orgs


def sweep(day: date) -> dict[str, int]:
    with time_machine.travel(at(day.month, day.day, year=day.year), tick=False):
        return {kind: n for kind, n in sweep_term_reminders().items() if n}


def sent() -> list[tuple[str, date]]:
    return list(TermReminder.objects.order_by("created_at", "kind").values_list("kind", "period"))


class TestWhen:
    def test_the_ladder_of_reminders_over_the_term_and_after(self, term):
        assert sweep(date(2026, 12, 29)) == {}  # one day more than six months ahead
        assert sweep(date(2026, 12, 30)) == {ReminderKind.SIX_MONTHS: 1}
        assert sweep(date(2026, 12, 30)) == {}  # the same day again
        assert sweep(date(2027, 2, 15)) == {}
        assert sweep(date(2027, 3, 29)) == {}
        assert sweep(date(2027, 3, 30)) == {ReminderKind.THREE_MONTHS: 1}
        assert sweep(date(2027, 6, 29)) == {}
        assert sweep(date(2027, 6, 30)) == {ReminderKind.LAPSED: 1}  # the last day: lapsed
        assert sweep(date(2027, 6, 30)) == {}
        assert sweep(date(2027, 7, 1)) == {ReminderKind.LAPSED: 1}  # a new month
        assert sweep(date(2027, 7, 31)) == {}
        assert sweep(date(2027, 8, 2)) == {ReminderKind.LAPSED: 1}
        assert sent() == [
            (ReminderKind.SIX_MONTHS, END),
            (ReminderKind.THREE_MONTHS, END),
            (ReminderKind.LAPSED, date(2027, 6, 1)),
            (ReminderKind.LAPSED, date(2027, 7, 1)),
            (ReminderKind.LAPSED, date(2027, 8, 1)),
        ]

    def test_after_downtime_only_the_reminder_now_due(self, term):
        assert sweep(date(2027, 5, 1)) == {ReminderKind.THREE_MONTHS: 1}  # the six-month one is past
        assert sweep(date(2027, 11, 20)) == {ReminderKind.LAPSED: 1}  # one, not one per missed month

    def test_a_renewed_term_is_reminded_afresh(self, term):
        sweep(date(2027, 7, 1))
        term.branch_a1.term_started_on = date(2027, 7, 5)
        term.branch_a1.term_ends_on = date(2030, 7, 5)
        term.branch_a1.save()
        assert sweep(date(2027, 7, 20)) == {}  # the new term has years to go
        assert sweep(date(2030, 1, 5)) == {ReminderKind.SIX_MONTHS: 1}

    def test_no_term_no_reminder(self, orgs):
        assert sweep(date(2030, 1, 1)) == {}


class TestWho:
    def test_district_staff_and_the_superiors_people_hear_of_it(self, term):
        sweep(date(2026, 12, 30))
        recipients = set(Notification.objects.values_list("recipient__username", flat=True))
        assert recipients == {"staff", "handler_ic"}
        note = Notification.objects.get(recipient=term.staff)
        assert note.target == term.branch_a1
        assert "甲一企业党支部" in note.subject
        assert "2027-06-30" in note.subject

    def test_the_contacts_of_a_superior_enterprise_organization_hear_of_it(self, term):
        """An enterprise's committee is the superior of its branches: its contacts are told."""
        committee = f.PartyOrganizationFactory(name="甲二企业党委", kind=OrgKind.COMMITTEE, covers=[term.ent_a2])
        contact = f.UserFactory(username="contact_a2", enterprise=term.ent_a2, roles=[Role.ENTERPRISE_CONTACT])
        branch = f.PartyOrganizationFactory(
            name="甲二企业第一支部", parent=committee, covers=[term.ent_a2], term_ends_on=END
        )
        sweep(date(2027, 4, 1))
        about_branch = Notification.objects.filter(target_id=branch.pk).values_list("recipient__username", flat=True)
        assert set(about_branch) == {"staff", contact.username}
        # branch_a1's superior covers a unit, not contact_a's enterprise: contact_a hears nothing.
        assert not Notification.objects.filter(recipient=term.contact_a).exists()

    def test_nobody_else(self, term):
        sweep(date(2026, 12, 30))
        for who in ("leader_a", "handler_a", "chief_a", "secretary_a", "contact_a", "security", "auditor"):
            assert not Notification.objects.filter(recipient=getattr(term, who)).exists(), who


class TestExactlyOnce:
    def test_task_and_command_share_the_record(self, term, capsys):
        with time_machine.travel(at(12, 30), tick=False):
            assert sweep_term_reminders_task()[ReminderKind.SIX_MONTHS] == 1
            call_command("sweep_term_reminders")
        assert "nothing due" in capsys.readouterr().out
        assert TermReminder.objects.count() == 1
        assert Notification.objects.count() == 2

    def test_the_command_takes_a_day(self, term, capsys):
        call_command("sweep_term_reminders", "--on", "2027-03-30")
        assert "three_months=1" in capsys.readouterr().out

    def test_statements_do_not_grow_with_the_organizations(self, term, django_assert_num_queries):
        for _ in range(5):
            f.PartyOrganizationFactory(parent=term.committee_x, term_ends_on=END)
        # A savepoint and its release (the sweep's transaction inside the test's), 3 INSERTs of
        # reminders, 1 notification INSERT for the one step that fired (six months).
        with django_assert_num_queries(6), time_machine.travel(at(12, 30), tick=False):
            assert sweep_term_reminders()[ReminderKind.SIX_MONTHS] == 6
