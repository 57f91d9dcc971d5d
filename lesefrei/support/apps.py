from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "lesefrei.support"
    label = "support"
    verbose_name = _("Unterstützung")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import Campaign

        def campaign_changed(**kwargs: object) -> None:
            # Editing the campaign in the CMS changes the support box on every page.
            from .services import progress_changed

            progress_changed()

        post_save.connect(campaign_changed, sender=Campaign, weak=False)
        post_delete.connect(campaign_changed, sender=Campaign, weak=False)
