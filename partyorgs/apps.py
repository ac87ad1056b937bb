from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyorgsConfig(AppConfig):
    name = "partyorgs"
    verbose_name = _("Party organizations")

    def ready(self) -> None:
        # Imported here: it reaches the models, which load after the app configs.
        from partyorgs import excel

        excel.register()
