"""The outbox: one line per subject, and a mail that keeps failing never blocks the rest."""

import pytest
from django.core import mail

from accounts.models import User
from inbox import services
from inbox.models import Notification
from tests import factories as f
from tests.robustness.mail import REFUSED


def test_a_title_with_line_breaks_is_stored_and_mailed_on_one_line(api, world, categories):
    api.force_authenticate(world.contact_a)
    response = api.post(
        "/api/v1/issues/",
        {"enterprise": world.ent_a1.pk, "category": "request", "title": "用地\r\nBcc: x@evil.org", "description": "慢"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["title"] == "用地 Bcc: x@evil.org"
    subjects = Notification.objects.values_list("subject", flat=True)
    assert subjects
    assert not any("\n" in s or "\r" in s for s in subjects)


def test_notify_puts_any_subject_on_one_line(world):
    services.notify(recipients=User.objects.filter(pk=world.staff.pk), target=world.ent_a1, subject="甲\n乙\r\n丙")
    assert Notification.objects.get().subject == "甲 乙 丙"


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.robustness.mail.RefusingBackend"


def test_a_mail_the_server_keeps_refusing_is_given_up_and_the_rest_go_out(world, refusing):
    poison = f.UserFactory(username="poison", email=REFUSED)
    world.staff.email = "staff@example.org"
    world.staff.save(update_fields=["email"])
    bad = [Notification.objects.create(recipient=poison, subject=f"坏{n}", email_due=True) for n in range(3)]
    good = Notification.objects.create(recipient=world.staff, subject="好", email_due=True)
    # Room for only the three bad ones in a run: they fail, lose priority, and the good one goes next.
    services.send_pending_emails(limit=3)
    assert mail.outbox == []
    services.send_pending_emails(limit=3)
    assert [m.subject for m in mail.outbox] == ["好"]
    for _ in range(services.MAX_EMAIL_ATTEMPTS * 2):
        services.send_pending_emails(limit=3)
    good.refresh_from_db()
    assert good.emailed_at is not None
    for row in bad:
        row.refresh_from_db()
        assert row.email_attempts == services.MAX_EMAIL_ATTEMPTS
        assert row.email_failed_at is not None
        assert row.emailed_at is None
    assert services.send_pending_emails() == 0  # given up: never tried again
