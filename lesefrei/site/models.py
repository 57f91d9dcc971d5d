from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the newsroom says about itself on every page."""

    tagline = models.CharField(
        _("Unterzeile"), max_length=200, blank=True, default="Frei lesen. Gemeinsam tragen."
    )
    footer_text = models.TextField(
        _("Text im Seitenfuß"),
        blank=True,
        default="Alle Artikel sind frei zugänglich – finanziert von unseren Leserinnen und Lesern.",
    )

    panels = [FieldPanel("tagline"), FieldPanel("footer_text")]

    class Meta:
        verbose_name = _("Website-Einstellungen")
