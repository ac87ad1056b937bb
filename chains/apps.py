from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "chains"
    verbose_name = _("Chains and enterprises")

    def ready(self) -> None:
        # Imported here, not above: it reaches the models, which load after the app configs.
        from chains import exports

        exports.register()
