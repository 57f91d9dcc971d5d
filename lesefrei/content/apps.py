from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "lesefrei.content"
    label = "content"
    verbose_name = _("Inhalte")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the page-cache invalidation)
