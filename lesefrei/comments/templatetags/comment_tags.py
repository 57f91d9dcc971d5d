"""Template tags of the comment include points (article page, home page)."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

from lesefrei.cache import add_cache_tags, cached, key
from lesefrei.content.models import ArticlePage

from .. import caching, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def article_comments(context: dict[str, Any], article: ArticlePage) -> str:
    """The comment section under an article: count, first comments, links. The same
    HTML for every visitor (nothing personal, no form, no cookie), kept under the
    version of the article's comments (and whether they are open now)."""
    request = context.get("request")
    add_cache_tags(request, caching.page_tag(article.pk))
    is_open, close_at = selectors.comments_open(article), selectors.comments_close_at(article)
    kept_as = key(
        request,
        "comments",
        [caching.page_tag(article.pk)],
        article.pk,
        is_open,
        close_at.isoformat() if close_at else "",
    )

    def render() -> str:
        summary = selectors.article_comment_summary(article)
        return render_to_string("comments/includes/section.html", {"article": article, **summary})

    return cached(request, kept_as, render, caching.timeout())


@register.simple_tag(takes_context=True)
def most_commented(context: dict[str, Any]) -> str:
    """ "meistkommentiert", kept under the ranking's version."""
    request = context.get("request")
    kept_as = key(request, "most-commented", [caching.MOST_COMMENTED_TAG])

    def render() -> str:
        ranking = selectors.most_commented()
        add_cache_tags(
            request,
            caching.MOST_COMMENTED_TAG,
            *(f"page:{item.article_id}" for item in ranking),
        )
        return render_to_string("comments/includes/most_commented.html", {"ranking": ranking})

    return cached(request, kept_as, render, caching.timeout())


@register.filter
def comment_html(text: str) -> SafeString:
    """A comment's plain text as HTML: escaped, paragraphs and line breaks kept, web
    addresses turned into links that search engines do not follow."""
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return mark_safe(linebreaks(linked, autoescape=False))
