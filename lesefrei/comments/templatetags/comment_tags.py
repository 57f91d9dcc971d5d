"""Template tags of the comment include points (article page, home page)."""

from typing import Any

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

from lesefrei.content.models import ArticlePage
from lesefrei.site.pagecache import add_cache_tags

from .. import caching, selectors

register = template.Library()


@register.inclusion_tag("comments/includes/section.html", takes_context=True)
def article_comments(context: dict[str, Any], article: ArticlePage) -> dict[str, Any]:
    """The comment section under an article: count, first comments, links. The same
    HTML for every visitor (nothing personal, no form, no cookie)."""
    add_cache_tags(context.get("request"), caching.page_tag(article.pk))
    return {"article": article, **selectors.article_comment_summary(article)}


@register.inclusion_tag("comments/includes/most_commented.html", takes_context=True)
def most_commented(context: dict[str, Any]) -> dict[str, Any]:
    ranking = selectors.most_commented()
    add_cache_tags(
        context.get("request"),
        caching.MOST_COMMENTED_TAG,
        *(f"page:{item.article_id}" for item in ranking),
    )
    return {"ranking": ranking}


@register.filter
def comment_html(text: str) -> SafeString:
    """A comment's plain text as HTML: escaped, paragraphs and line breaks kept, web
    addresses turned into links that search engines do not follow."""
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return mark_safe(linebreaks(linked, autoescape=False))
