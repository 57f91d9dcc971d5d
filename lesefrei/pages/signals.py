"""Side effects of publishing on the legal pages and the corrections log. The rules are
in services.py; these receivers only say when they apply.

- An article published with a new correction note: an entry in the corrections log.
- A page every page links (footer link, the Kontakt page, the corrections log) changes
  its title or address, goes live or offline, moves or is deleted; the footer setting
  changes: every cached page drops (tag "site"), as for the site settings.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, post_page_move

from lesefrei.content.models import ArticlePage

from .models import CorrectionsPage, FooterLink, FooterSettings, LegalPage
from .services import record_correction, site_links_changed


@receiver(page_published)
def _article_published(sender: type, instance: Page, **kwargs: Any) -> None:
    if isinstance(instance, ArticlePage):
        record_correction(instance)


def linked_from_every_page(page: Page) -> bool:
    return isinstance(page, LegalPage | CorrectionsPage) or (
        page.pk is not None and FooterLink.objects.filter(page_id=page.pk).exists()
    )


@receiver(pre_save)
def _linked_page_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, Page) or instance.pk is None:
        return
    if not linked_from_every_page(instance):
        return
    before = Page.objects.filter(pk=instance.pk).values("title", "url_path", "live").first()
    if before is None:
        return
    now = {"title": instance.title, "url_path": instance.url_path, "live": instance.live}
    if before != now and (before["live"] or instance.live):
        site_links_changed()


@receiver(pre_delete)
def _linked_page_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    live_page = isinstance(instance, Page) and type(instance) is not Page and instance.live
    if live_page and linked_from_every_page(instance):
        site_links_changed()


@receiver(post_page_move)
def _linked_page_moved(sender: type, instance: Page, **kwargs: Any) -> None:
    if linked_from_every_page(instance):
        site_links_changed()


@receiver(post_save, sender=FooterSettings)
@receiver(post_save, sender=FooterLink)
@receiver(post_delete, sender=FooterLink)
def _footer_setting_changed(sender: type, **kwargs: Any) -> None:
    site_links_changed()
