"""What discovery stores of its own: which agency item became which article."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyndicatedItem(models.Model):
    """An imported ninjs item (by its uri) and the article it became.

    Re-importing the same uri updates that article instead of creating a second one;
    `version` and `version_created` decide whether the incoming copy is newer.
    """

    uri = models.CharField(_("URI"), max_length=500, unique=True)
    version = models.CharField(_("Version"), max_length=50, blank=True)
    version_created = models.DateTimeField(_("Version erstellt"), null=True, blank=True)
    article = models.OneToOneField(
        "content.ArticlePage",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="syndicated_item",
    )
    imported_at = models.DateTimeField(_("Importiert am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Zuletzt aktualisiert"), auto_now=True)

    class Meta:
        verbose_name = _("Agenturmeldung")
        verbose_name_plural = _("Agenturmeldungen")

    def __str__(self) -> str:
        return f"{self.uri} (Version {self.version or '–'})"
