from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import register_badge


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("Messages")

    def ready(self) -> None:
        # Imported here, not above: it reaches the models, which load after the app configs.
        from inbox.context_processors import unread_count_for_request

        # The main menu (accounts) shows the unread count on the inbox entry without importing the
        # inbox: accounts sits below every app, so the inbox hands it the count.
        register_badge("inbox:list", unread_count_for_request)
