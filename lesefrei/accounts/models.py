from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pseudonyms import MAX_LENGTH, pseudonym_key


class ReaderProfile(models.Model):
    """A reader's public face: the pseudonym shown above their comments.

    Django's user holds login and e-mail (with allauth's EmailAddress for confirmation);
    nothing else about a reader is public. The username of a reader is an opaque
    "leser-…" value, never the e-mail address, so nothing personal leaks through it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile"
    )
    pseudonym = models.CharField(_("Pseudonym"), max_length=MAX_LENGTH)
    # Case-folded, without separators: "Mara K." and "mara_k" are one pseudonym, on
    # SQLite (whose LOWER() knows only ASCII) as on PostgreSQL.
    pseudonym_key = models.CharField(max_length=MAX_LENGTH * 3, unique=True, editable=False)
    pseudonym_changed_at = models.DateTimeField(_("Pseudonym geändert"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Leserprofil")
        verbose_name_plural = _("Leserprofile")

    def __str__(self) -> str:
        return self.pseudonym

    def save(self, *args, **kwargs) -> None:
        self.pseudonym_key = pseudonym_key(self.pseudonym)
        super().save(*args, **kwargs)
