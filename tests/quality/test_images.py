"""Images on the rendered pages: Wagtail renditions in a <picture> with AVIF and WebP
sources and a JPEG fallback, srcset and sizes, explicit width and height, lazy loading
below the fold (only the first image of a page loads eagerly) and an alt attribute on
every image."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from lesefrei.content.models import ArticlePage, AuthorPage

pytestmark = pytest.mark.django_db


def _images(html: str) -> list:
    return BeautifulSoup(html, "html.parser").select("main img")


def test_images_are_responsive_pictures_with_fallback_size_lazy_loading_and_alt(client):
    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    article = (
        ArticlePage.objects.live()
        .filter(lead_image__isnull=False)
        .order_by("-published_at")
        .first()
    )
    author = AuthorPage.objects.live().exclude(photo=None).first()
    paths = ["/", article.url, article.get_parent().url]
    if author is not None:
        paths += [author.url, author.get_parent().url]
    problems = []
    seen = 0
    for path in paths:
        images = _images(client.get(path).content.decode())
        assert images, path
        for number, img in enumerate(images):
            seen += 1
            where = f"{path} image {number + 1}"
            picture = img.parent
            sources = {s.get("type"): s for s in picture.find_all("source")}
            if picture.name != "picture" or set(sources) != {"image/avif", "image/webp"}:
                problems.append(f"{where}: not a picture with AVIF and WebP sources")
            if not img.get("src", "").endswith((".jpg", ".jpeg")):
                problems.append(f"{where}: fallback is not a JPEG: {img.get('src')}")
            if not (img.get("srcset") and img.get("sizes")):
                problems.append(f"{where}: no srcset/sizes")
            if any(not (s.get("srcset") and s.get("sizes")) for s in sources.values()):
                problems.append(f"{where}: a source without srcset/sizes")
            if not (img.get("width", "").isdigit() and img.get("height", "").isdigit()):
                problems.append(f"{where}: no explicit width and height")
            if img.get("alt") is None:
                problems.append(f"{where}: no alt attribute")
            # The first image may be the largest paint; the first two may be above the
            # fold on a phone (an author's photo and the first teaser); the rest wait.
            if number > 1 and img.get("loading") != "lazy":
                problems.append(f"{where}: below the fold but not loading=lazy")
            if not number and img.get("loading") == "lazy":
                problems.append(f"{where}: the first image loads lazily")
    assert seen > 10
    assert problems == []


def test_content_images_have_a_text_alternative_from_the_image_library(client):
    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    article = ArticlePage.objects.live().filter(lead_image__isnull=False).first()
    lead = _images(client.get(article.url).content.decode())[0]
    assert lead["alt"] == article.lead_image.default_alt_text != ""
