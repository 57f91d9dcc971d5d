from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "lesefrei.support"
    label = "support"
    verbose_name = _("Unterstützung")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
