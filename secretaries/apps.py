from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariesConfig(AppConfig):
    name = "secretaries"
    verbose_name = _("First secretaries")

    def ready(self):
        # The cadre-pool import and the postings and work-log exports (chainparty.jobs).
        from secretaries import spreadsheets

        spreadsheets.register()
