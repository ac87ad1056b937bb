from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariesConfig(AppConfig):
    name = "secretaries"
    verbose_name = _("First secretaries")
