from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReaderProfile(models.Model):
    """A reader's public face: the pseudonym shown above their comments.

    Django's user holds login and e-mail (with allauth's EmailAddress for confirmation);
    nothing else about a reader is public.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile"
    )
    pseudonym = models.CharField(_("Pseudonym"), max_length=40)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Leserprofil")
        verbose_name_plural = _("Leserprofile")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("pseudonym"), name="unique_pseudonym_case_insensitive"
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym
