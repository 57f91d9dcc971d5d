"""Keep the page cache right when content changes. Cache invalidation is a side effect of
publishing, not a business rule, so it hangs on Wagtail's and Django's signals."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from lesefrei.cache import CONTENT, changed
from lesefrei.site.models import SiteSettings

from .caching import page_changed, page_moved
from .models import ArticlePage, CreditedImage, Topic


@receiver(page_published)
@receiver(page_unpublished)
def _page_published_or_unpublished(sender: type, instance: Page, **kwargs: Any) -> None:
    page_changed(instance)
    if isinstance(instance, ArticlePage):
        _most_commented_follows(instance)


def _most_commented_follows(article: ArticlePage) -> None:
    """The ranking "meistkommentiert" is kept (live articles, with their headlines)
    until a comment is moderated. An article that leaves it (unpublished, also by the
    scheduler), changes its headline, or comes back live with approved comments needs a
    new ranking; any other publication leaves it alone."""
    from lesefrei.comments import caching as comment_caching
    from lesefrei.comments.models import Comment, Status
    from lesefrei.comments.selectors import most_commented

    ranked = any(entry.article_id == article.pk for entry in most_commented())
    if ranked or Comment.objects.filter(article_id=article.pk, status=Status.APPROVED).exists():
        changed(*comment_caching.tags_changed_by([article.pk]))


@receiver(pre_delete)
def _page_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page) and type(instance) is not Page and instance.live:
        page_changed(instance)


@receiver(post_page_move)
def _page_moved(
    sender: type, instance: Page, parent_page_before: Page, parent_page_after: Page, **kwargs: Any
) -> None:
    page_moved(instance, parent_page_before, parent_page_after)


@receiver(pre_save, sender=Topic)
def _topic_renamed(sender: type, instance: Topic, **kwargs: Any) -> None:
    if instance.pk:
        old_slug = Topic.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        changed(
            CONTENT,
            f"topic:{instance.pk}",
            "list:topics",
            f"list:topic-slug:{old_slug}",
            f"list:topic-slug:{instance.slug}",
        )


@receiver(post_save, sender=SiteSettings)
def _site_settings_saved(sender: type, created: bool, **kwargs: Any) -> None:
    # Wagtail creates the row with its defaults when a page first reads it, in the middle
    # of that page's render: stored pages showed those defaults already (dropping them
    # would also refuse to store the page being rendered); kept pieces are rebuilt.
    changed(CONTENT) if created else changed(CONTENT, "site")


@receiver(post_save, sender=CreditedImage)
def _image_saved(sender: type, instance: CreditedImage, created: bool, **kwargs: Any) -> None:
    if not created:
        changed(CONTENT, f"image:{instance.pk}")


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_delete, sender=Topic)
@receiver(post_delete, sender=CreditedImage)
def _site_restriction_topic_or_image_changed(sender: type, **kwargs: Any) -> None:
    """Sites and view restrictions decide which page an address shows and who may see
    it; deleted topics and images leave the pages showing them. The kept routes and
    pieces (lesefrei/cache/pieces.py) depend on all of these."""
    changed(CONTENT)
