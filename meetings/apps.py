from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Chain meetings")

    def ready(self) -> None:
        # Imported here, not above: it reaches the models, which load after the app configs.
        from meetings import exports

        exports.register()
