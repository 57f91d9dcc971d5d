"""The body of a legal or service page: the article's text blocks, with lists in the
paragraphs (a privacy policy is mostly enumerations)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from lesefrei.content.blocks import InfoBoxBlock, SubheadingBlock

LEGAL_PARAGRAPH_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class LegalBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Absatz"), features=LEGAL_PARAGRAPH_FEATURES)
    subheading = SubheadingBlock()
    info_box = InfoBoxBlock()
