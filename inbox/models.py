"""The inbox and the outbox: notifications addressed to a user about any object (an issue today;
a meeting, a party organization or a posting next). A row is written in the same transaction as the
event it reports, so nothing is lost when Redis or the workers are down; e-mail goes out later, and
`emailed_at` is claimed with a conditional update so nothing is sent twice (inbox.services)."""

from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class NotificationQuerySet(models.QuerySet["Notification"]):
    def about(self, obj: models.Model) -> Self:
        """The notifications about one object, whatever its model."""
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)

    def for_recipient(self, user: User) -> Self:
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """The target is generic (content type and id) so that any app can notify about its objects
    without the inbox knowing them. A target's model defines get_absolute_url (the inbox's "open"
    button leads there), and a GenericRelation to this model (as issues.Issue does), so that its
    notifications are deleted with it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("about (type)"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_due = models.BooleanField(_("to be e-mailed"), default=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # A mail the server keeps refusing is given up after inbox.services.MAX_EMAIL_ATTEMPTS, so that it
    # never blocks the outbox (the inbox row stays: the notification itself is not lost).
    # db_default: the sweep writes notifications in raw INSERT … SELECT statements.
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0, db_default=0)
    email_failed_at = models.DateTimeField(_("e-mail given up at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The unread badge on every page: COUNT by (recipient, read_at).
            models.Index(fields=["recipient", "read_at"], name="inbox_unread"),
            # The outbox sender's scan of what is due and not yet e-mailed.
            models.Index(fields=["email_due", "emailed_at"], name="inbox_outbox"),
            # .about(obj): an object's notifications.
            models.Index(fields=["target_type", "target_id"], name="inbox_about"),
        ]

    def __str__(self) -> str:
        return self.subject
