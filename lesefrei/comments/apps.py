from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "lesefrei.comments"
    label = "comments"
    verbose_name = _("Kommentare")

    def ready(self) -> None:
        from lesefrei.cache import register

        from . import caching

        # Most reader pages show the ranking, an article page its comments: their versions
        # are read with the content version when a page is routed (lesefrei/cache/).
        register(every_page=[caching.MOST_COMMENTED_TAG], per_page=caching.page_tag)
