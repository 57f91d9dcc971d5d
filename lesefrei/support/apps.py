from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "lesefrei.support"
    label = "support"
    verbose_name = _("Unterstützung")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from lesefrei.cache import register

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import Campaign
        from .selectors import CAMPAIGN_CACHE_TAG

        # The support box stands on most reader pages (lesefrei/cache/).
        register(every_page=[CAMPAIGN_CACHE_TAG])

        def campaign_changed(**kwargs: object) -> None:
            # Editing the campaign in the CMS changes the support box on every page.
            from .services import progress_changed

            progress_changed()

        post_save.connect(campaign_changed, sender=Campaign, weak=False)
        post_delete.connect(campaign_changed, sender=Campaign, weak=False)
