"""RSS 2.0 and Atom feeds of the site, a section, an author and a topic (Django's
syndication framework). Items carry the teaser, or the full text when
LESEFREI_FEEDS_FULL_TEXT is on, and the lead image as an enclosure.

The feed writers drop control characters (content/characters.py) from everything they
write: one article stored with such a character would otherwise make Django refuse the
whole feed (UnserializableContentError, a 500 for every reader)."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape

from lesefrei.content.characters import strip_control_characters_deep
from lesefrei.content.models import ArticlePage, AuthorPage, SectionPage, Topic, public

from .rendering import absolute, body_html, lead_rendition, page_url, topic_url
from .selectors import feed_articles, public_topic


class ControlCharacterFreeFeed(SyndicationFeed):
    """A feed writer that drops characters XML cannot carry from the feed and its items
    (a mixin before Django's RSS or Atom writer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *strip_control_characters_deep(args), **strip_control_characters_deep(kwargs)
        )

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(
            *strip_control_characters_deep(args), **strip_control_characters_deep(kwargs)
        )


class RssFeed(ControlCharacterFreeFeed, Rss201rev2Feed):
    pass


class AtomFeed(ControlCharacterFreeFeed, Atom1Feed):
    pass


class ArticleFeed(Feed):
    """The site's newest articles; subclasses narrow them to a section, author or topic."""

    feed_type: type[SyndicationFeed] = RssFeed
    language = "de"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return settings.WAGTAIL_SITE_NAME

    def description(self, obj: Any) -> str:
        return f"Neue Artikel von {settings.WAGTAIL_SITE_NAME}"

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)

    def link(self, obj: Any) -> str:
        return absolute("/")

    def items(self, obj: Any) -> Any:
        return feed_articles()

    def item_title(self, item: ArticlePage) -> str:
        return f"{item.kicker}: {item.title}" if item.kicker else item.title

    def item_description(self, item: ArticlePage) -> str:
        teaser = f"<p>{escape(item.teaser)}</p>"
        if settings.LESEFREI_FEEDS_FULL_TEXT:
            return teaser + body_html(item)
        return teaser

    def item_link(self, item: ArticlePage) -> str:
        return page_url(item)

    def item_guid(self, item: ArticlePage) -> str:
        return page_url(item)

    def item_author_name(self, item: ArticlePage) -> str | None:
        return ", ".join(author.title for author in item.authors) or None

    def item_author_link(self, item: ArticlePage) -> str | None:
        authors = item.authors
        return page_url(authors[0]) if authors else None

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [topic.name for topic in item.topics.all()]

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        return item.date_published

    def item_updateddate(self, item: ArticlePage) -> datetime | None:
        return item.last_published_at or item.date_published

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        rendition = lead_rendition(item)
        if rendition is None:
            return []
        return [
            Enclosure(
                absolute(rendition.url),
                str(rendition.file.size),
                "image/jpeg",  # LEAD_IMAGE_SPEC converts to JPEG
            )
        ]


class SectionFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> SectionPage:
        return get_object_or_404(public(SectionPage.objects.live()), slug=slug)

    def title(self, obj: SectionPage) -> str:
        return f"{obj.title} – {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj: SectionPage) -> str:
        return page_url(obj)

    def items(self, obj: SectionPage) -> Any:
        return feed_articles(section=obj)


class AuthorFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> AuthorPage:
        return get_object_or_404(public(AuthorPage.objects.live()), slug=slug)

    def title(self, obj: AuthorPage) -> str:
        return f"{obj.title} – {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj: AuthorPage) -> str:
        return page_url(obj)

    def items(self, obj: AuthorPage) -> Any:
        return feed_articles(author=obj)


class TopicFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Topic:
        # A topic only drafts or private articles have is as unknown as one never used.
        topic = public_topic(slug)
        if topic is None:
            raise Http404
        return topic

    def title(self, obj: Topic) -> str:
        return f"Thema: {obj.name} – {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj: Topic) -> str:
        return topic_url(obj) or absolute("/")

    def items(self, obj: Topic) -> Any:
        return feed_articles(topic=obj)


def atom(feed_class: type[ArticleFeed]) -> type[ArticleFeed]:
    """The Atom variant of an RSS feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": AtomFeed})
