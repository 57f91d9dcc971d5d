"""What each content page shows, as page-cache tags, and which tags a change touches.

Every place that shows an article tags the page with `page:<id>` (the article page
itself, each teaser, each entry of the most-commented list), so a change of the article
drops exactly the pages showing it now. Lists also carry a tag of what selects them
(`list:section:<id>`, `list:author:<id>`, `list:topic-slug:<slug>`, `list:front`), so
an article that newly belongs to a list drops that list too. See lesefrei/cache/.

Every change of published content also changes the tag `content`, under which the
pieces of pages rendered without the page cache are kept (lesefrei/cache/pieces.py).
"""

from django.http import HttpRequest
from wagtail.models import Page

from lesefrei.cache import CONTENT, add_cache_tags, cached_value, changed, key

from .models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    HomePage,
    SectionPage,
    TopicIndexPage,
)

# Shown on every reader page: the section navigation and the site settings (tagline, footer).
EVERY_PAGE = ("nav", "site")
# The support box and the most-commented list stand on the front page and every article.
SHARED_BOXES = ("campaign", "most-commented")
# Search result pages: any publication may change any of them.
SEARCH = "search"


def tags_shown_by(page: Page, serve_args: tuple = (), serve_kwargs: dict | None = None) -> set[str]:
    tags = {*EVERY_PAGE, f"page:{page.pk}"}
    match page:
        case ArticlePage():
            tags |= {*SHARED_BOXES, f"comments:{page.pk}", f"section:{page.get_parent().pk}"}
            tags |= {
                f"author:{pk}" for pk in page.article_authors.values_list("author_id", flat=True)
            }
            tags |= {f"topic:{pk}" for pk in page.tagged_items.values_list("tag_id", flat=True)}
            if page.lead_image_id:
                tags.add(f"image:{page.lead_image_id}")
        case HomePage():
            tags |= {*SHARED_BOXES, "list:front"}
        case SectionPage():
            tags.add(f"list:section:{page.pk}")
        case AuthorPage():
            tags.add(f"list:author:{page.pk}")
        case AuthorIndexPage():
            tags.add("list:authors")
        case TopicIndexPage():
            slug = (serve_kwargs or {}).get("slug")
            tags.add(f"list:topic-slug:{slug}" if slug else "list:topics")
    return tags


def tag_request_for_page(page: Page, request: HttpRequest, args: tuple, kwargs: dict) -> None:
    """Before Wagtail serves a page: tag the request with what the page shows. The tags
    of a plain page (not a sub-route of a routable one) are kept per content version."""
    if args or kwargs:
        tags = tags_shown_by(page, args, kwargs)
    else:
        tags = cached_value(
            key(request, "page-tags", [CONTENT], page.pk),
            lambda: frozenset(tags_shown_by(page)),
        )
    add_cache_tags(request, *tags)


def article_list_tags(article: ArticlePage) -> set[str]:
    """The pages showing the article now (`page:<id>`) and the lists it belongs in now."""
    tags = {f"page:{article.pk}", "list:front", "list:topics"}
    parent = article.get_parent()
    if parent is not None:
        tags.add(f"list:section:{parent.pk}")
    tags |= {
        f"list:author:{pk}" for pk in article.article_authors.values_list("author_id", flat=True)
    }
    tags |= {
        f"list:topic-slug:{slug}"
        for slug in article.tagged_items.values_list("tag__slug", flat=True)
    }
    return tags


def tags_changed_by(page: Page) -> set[str]:
    page = page.specific
    match page:
        case ArticlePage():
            return article_list_tags(page)
        case SectionPage():
            return {
                f"page:{page.pk}",
                f"section:{page.pk}",
                f"list:section:{page.pk}",
                "nav",
                "list:front",
            }
        case AuthorPage():
            return {
                f"page:{page.pk}",
                f"author:{page.pk}",
                f"list:author:{page.pk}",
                "list:authors",
            }
        case _:
            return {f"page:{page.pk}"}


def page_changed(page: Page) -> None:
    """Publish, unpublish, delete: drop every cached page and piece showing `page`."""
    changed(CONTENT, SEARCH, *tags_changed_by(page))


def page_moved(page: Page, parent_before: Page, parent_after: Page) -> None:
    changed(
        CONTENT,
        *tags_changed_by(page),
        SEARCH,
        f"list:section:{parent_before.pk}",
        f"list:section:{parent_after.pk}",
        "nav",
    )
