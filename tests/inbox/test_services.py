"""The inbox's services: notify about any object, mark read (one's own only), and the outbox that
claims each row before sending, releases the claim when sending fails, and is enqueued on commit
by the task's name."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from accounts.models import User
from inbox import services
from inbox.models import Notification
from inbox.tasks import send_pending_emails_task


def users(*people):
    return User.objects.filter(pk__in=[person.pk for person in people])


@pytest.fixture
def emails(world):
    for user in (world.staff, world.handler_a):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


@pytest.mark.django_db
class TestNotify:
    def test_a_notification_may_be_about_any_object(self, world):
        told = services.notify(
            recipients=users(world.staff, world.handler_a), target=world.chain_a, subject="产业链", body="正文"
        )
        assert told == 2
        about = Notification.objects.about(world.chain_a)
        assert sorted(about.values_list("recipient__username", flat=True)) == ["handler_a", "staff"]
        assert {n.target for n in about} == {world.chain_a}
        assert not Notification.objects.about(world.chain_b).exists()
        # The same id on another model is another object.
        unit = Notification.objects.create(
            recipient=world.staff,
            target_type=ContentType.objects.get_for_model(world.dept_a),
            target_id=world.chain_a.pk,
            subject="单位",
        )
        assert unit not in Notification.objects.about(world.chain_a)

    def test_recipients_are_told_once_and_nobody_is_told_of_nothing(self, world):
        doubled = users(world.staff) | users(world.staff, world.leader_a)
        assert services.notify(recipients=doubled, target=world.ent_a1, subject="甲") == 2
        assert services.notify(recipients=User.objects.none(), target=world.ent_a1, subject="乙") == 0
        assert Notification.objects.count() == 2

    def test_the_subject_is_cut_to_its_column(self, world):
        services.notify(recipients=users(world.staff), target=world.ent_a1, subject="长" * 300)
        assert Notification.objects.get().subject == "长" * 200

    def test_mail_is_asked_for_on_commit_by_the_tasks_name(self, world, enqueued, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.notify(recipients=users(world.staff), target=world.ent_a1, subject="甲")
            services.notify(recipients=users(world.staff), target=world.ent_a1, subject="乙", email=False)
        assert len(callbacks) == 1  # the one that is e-mailed
        assert enqueued == []  # nothing before the commit
        callbacks[0]()
        assert enqueued == [send_pending_emails_task.name]
        assert list(Notification.objects.order_by("pk").values_list("email_due", flat=True)) == [True, False]


@pytest.mark.django_db
class TestMarkRead:
    def test_one_marks_only_ones_own_notifications_read(self, world):
        services.notify(recipients=users(world.staff, world.handler_a), target=world.ent_a1, subject="甲")
        mine = Notification.objects.get(recipient=world.staff)
        theirs = Notification.objects.get(recipient=world.handler_a)
        assert services.mark_notifications_read(actor=world.staff, notification_ids=[mine.pk, theirs.pk]) == 1
        assert services.mark_notifications_read(actor=world.staff) == 0  # nothing unread left of mine
        assert Notification.objects.for_recipient(world.handler_a).unread().get() == theirs
        assert services.mark_notifications_read(actor=world.handler_a) == 1


@pytest.mark.django_db
class TestOutbox:
    def test_a_claimed_row_is_skipped_and_a_failed_send_releases_its_claim(self, world, emails, monkeypatch):
        services.notify(recipients=users(world.staff, world.handler_a), target=world.ent_a1, subject="甲")
        first, second = Notification.objects.order_by("pk")
        Notification.objects.filter(pk=first.pk).update(emailed_at=first.created_at)  # another worker's claim

        def broken(*args, **kwargs):
            raise OSError("SMTP down")

        monkeypatch.setattr(services, "send_mail", broken)
        assert services.send_pending_emails() == 0
        second.refresh_from_db()
        assert second.emailed_at is None  # released: the next run tries again
        monkeypatch.undo()

        assert services.send_pending_emails() == 1
        assert [message.to for message in mail.outbox] == [[second.recipient.email]]
        assert services.send_pending_emails() == 0

    def test_rows_not_due_for_mail_and_people_without_an_address_get_none(self, world, emails):
        services.notify(recipients=users(world.staff), target=world.ent_a1, subject="甲", email=False)
        services.notify(recipients=users(world.leader_a), target=world.ent_a1, subject="乙")  # no address
        assert services.send_pending_emails() == 0
        assert mail.outbox == []
        # The address-less row is settled (claimed), not retried on every run.
        assert Notification.objects.get(recipient=world.leader_a).emailed_at is not None
