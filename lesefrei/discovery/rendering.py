"""Articles rendered for other programs: clean body HTML with absolute links (feeds,
ninjs), the lead image rendition they point to, and addresses of topics."""

import logging
from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.images.models import SourceImageIOError
from wagtail.rich_text import expand_db_html

from lesefrei.content.models import ArticlePage, Topic, TopicIndexPage, credit_line

logger = logging.getLogger(__name__)

LEAD_IMAGE_SPEC = "fill-1200x675|format-jpeg"


def lead_rendition(article: ArticlePage) -> Any | None:
    """A 1200×675 JPEG of the lead image (the size feed readers and news apps expect)."""
    if article.lead_image is None:
        return None
    try:
        return article.lead_image.get_rendition(LEAD_IMAGE_SPEC)
    except SourceImageIOError:
        # The original file is missing (restored database without media): like Wagtail's
        # {% image %} tag, go on without the image instead of failing the page.
        logger.warning(
            "lead image %s of article %s: file missing", article.lead_image_id, article.pk
        )
        return None


def absolute(url: str) -> str:
    """`url` on the public address SITE_URL (feeds, ninjs and metadata leave the site)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + "/" + url.lstrip("/")


def page_url(page: Any) -> str:
    return absolute(page.get_url() or "/")


def body_html(article: ArticlePage) -> str:
    """The body as plain semantic HTML: <p>, <h2>, <blockquote>, <figure>, <aside>.

    Internal links are expanded to addresses; nothing site-specific (classes, srcset,
    scripts) goes out, so partners can style it as their own.
    """
    parts: list[str] = []
    for block in article.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(expand_db_html(value.source))
        elif kind == "subheading":
            parts.append(format_html("<h2>{}</h2>", value))
        elif kind == "quote":
            cite = (
                format_html("<footer>{}</footer>", value["attribution"])
                if value.get("attribution")
                else ""
            )
            parts.append(format_html("<blockquote><p>{}</p>{}</blockquote>", value["text"], cite))
        elif kind == "info_box":
            parts.append(
                format_html(
                    "<aside><h3>{}</h3>{}</aside>",
                    value["title"],
                    mark_safe(expand_db_html(value["text"].source)),  # CMS rich text
                )
            )
        elif kind == "image" and value.get("image"):
            rendition = value["image"].get_rendition("width-1200|format-jpeg")
            caption = value.get("caption") or ""
            credit = value.get("credit") or value["image"].credit
            text = caption
            if credit:
                text = f"{caption} ({credit_line(credit)})" if caption else credit_line(credit)
            parts.append(
                format_html(
                    '<figure><img src="{}" alt="{}" width="{}" height="{}">'
                    "<figcaption>{}</figcaption></figure>",
                    absolute(rendition.url),
                    value["image"].default_alt_text or "",
                    rendition.width,
                    rendition.height,
                    text,
                )
            )
        elif kind == "embed":
            parts.append(
                format_html(
                    '<p><a href="{}">{}</a></p>', value["url"], value.get("title") or value["url"]
                )
            )
    html = "\n".join(str(part) for part in parts)
    return html.replace('href="/', f'href="{settings.SITE_URL}/')


def topic_url(topic: Topic) -> str | None:
    index = TopicIndexPage.objects.live().first()
    if index is None:
        return None
    return absolute(index.get_url() + index.reverse_subpage("topic", args=[topic.slug]))
