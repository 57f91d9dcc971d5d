"""The blocks of an article's body, in the order an editor reaches for them."""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link"]


class SubheadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Zwischenüberschrift")
        template = "content/blocks/subheading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"), help_text=_("Ohne Anführungszeichen."))
    attribution = blocks.CharBlock(label=_("Wer hat es gesagt?"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "content/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=400)
    credit = blocks.CharBlock(
        label=_("Bildnachweis"),
        required=False,
        max_length=200,
        help_text=_("Leer lassen, um den Nachweis aus der Bildverwaltung zu nehmen."),
    )

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "content/blocks/image.html"


class EmbedValue(blocks.StructValue):
    def host(self) -> str:
        return urlsplit(self.get("url") or "").hostname or ""


class EmbedBlock(blocks.StructBlock):
    """External content (video, post, map) as a link card.

    Readers' pages make no third-party request, so nothing is loaded from the other
    site until the reader follows the link.
    """

    url = blocks.URLBlock(label=_("Adresse (URL)"))
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=200)
    description = blocks.CharBlock(label=_("Beschreibung"), required=False, max_length=400)

    class Meta:
        icon = "media"
        label = _("Externer Inhalt")
        template = "content/blocks/embed.html"
        value_class = EmbedValue


class InfoBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Infokasten")
        template = "content/blocks/info_box.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Absatz"), features=PARAGRAPH_FEATURES)
    subheading = SubheadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock()
    info_box = InfoBoxBlock()
