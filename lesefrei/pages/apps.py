from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "lesefrei.pages"
    label = "pages"
    verbose_name = _("Rechtliches und Service")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (corrections log and page-cache invalidation)
