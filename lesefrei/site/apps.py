from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "lesefrei.site"
    label = "site"
    verbose_name = _("Website")

    def ready(self) -> None:
        from .tasks import isolate_wagtail_tasks

        isolate_wagtail_tasks()
