"""Demo content: original German articles (articles/*.txt, catalog.json) and images
drawn on the spot with Pillow, so the demo needs no download.

`load()` is safe to run again: what exists (by slug) is kept, what is missing is added.
"""

import colorsys
import hashlib
import io
import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.models import Site

from lesefrei.content.importers import parse_plain_text
from lesefrei.content.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    CreditedImage,
    HomePage,
    SectionPage,
    TopicIndexPage,
)
from lesefrei.content.services import create_article

DEMO_DIR = Path(__file__).resolve().parent
IMAGE_CREDIT = "lesefrei-Grafik"


def seeded_random(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def draw_landscape(key: str, width: int = 1600, height: int = 900) -> bytes:
    """An abstract, calm illustration (sky gradient, hills, a sun) unique to `key`."""
    rnd = seeded_random(key)
    hue = rnd.random()
    image = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        light = 0.85 - 0.35 * y / height
        r, g, b = colorsys.hls_to_rgb(hue, light, 0.45)
        draw.line([(0, y), (width, y)], fill=(int(r * 255), int(g * 255), int(b * 255)))
    sun_x, sun_y = (
        rnd.randint(width // 8, width * 7 // 8),
        rnd.randint(height // 8, height * 2 // 5),
    )
    radius = rnd.randint(height // 15, height // 7)
    draw.ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(250, 236, 200)
    )
    for layer in range(4):
        r, g, b = colorsys.hls_to_rgb((hue + 0.08 * layer) % 1, 0.55 - 0.1 * layer, 0.35)
        base = int(height * (0.45 + 0.13 * layer))
        points = [(0, height)]
        for x in range(0, width + 160, 160):
            points.append((x, base + rnd.randint(-70, 70)))
        points.append((width, height))
        draw.polygon(points, fill=(int(r * 255), int(g * 255), int(b * 255)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def draw_portrait(name: str, size: int = 400) -> bytes:
    """A round-friendly square with the author's initials."""
    rnd = seeded_random(name)
    r, g, b = colorsys.hls_to_rgb(rnd.random(), 0.35, 0.4)
    image = PILImage.new("RGB", (size, size), (int(r * 255), int(g * 255), int(b * 255)))
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def demo_image(title: str, key: str, data: bytes, description: str) -> CreditedImage:
    existing = CreditedImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = CreditedImage(title=title, description=description, credit=IMAGE_CREDIT)
    image.file.save(f"{key}.jpg", ImageFile(io.BytesIO(data), name=f"{key}.jpg"), save=False)
    image.save()
    return image


def child_by_slug(parent: Any, model: type, slug: str, **fields: Any) -> Any:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def load(out: TextIO) -> dict[str, int]:
    catalog = json.loads((DEMO_DIR / "catalog.json").read_text(encoding="utf-8"))
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("No home page: run the migrations first.")
    Site.objects.filter(is_default_site=True).update(root_page=home, site_name="lesefrei")

    sections = {
        item["slug"]: child_by_slug(
            home,
            SectionPage,
            item["slug"],
            title=item["title"],
            intro=item.get("intro", ""),
            show_in_menus=True,
        )
        for item in catalog["sections"]
    }
    author_index = child_by_slug(
        home, AuthorIndexPage, "autorinnen", title="Autorinnen und Autoren"
    )
    child_by_slug(home, TopicIndexPage, "themen", title="Themen")

    authors: dict[str, AuthorPage] = {}
    for item in catalog["authors"]:
        photo = demo_image(
            f"Porträt {item['name']}",
            f"autor-{item['slug']}",
            draw_portrait(item["name"]),
            f"Porträt von {item['name']}",
        )
        authors[item["slug"]] = child_by_slug(
            author_index,
            AuthorPage,
            item["slug"],
            title=item["name"],
            role=item["role"],
            bio=item["bio"],
            photo=photo,
        )

    created = 0
    now = timezone.now().replace(second=0, microsecond=0)
    for item in catalog["articles"]:
        slug = Path(item["file"]).stem.split("-", 1)[1]
        section = sections[item["section"]]
        if ArticlePage.objects.child_of(section).filter(slug=slug).exists():
            continue
        parsed = parse_plain_text(
            (DEMO_DIR / "articles" / item["file"]).read_text(encoding="utf-8")
        )
        lead_image = None
        if item.get("lead_image"):
            lead_image = demo_image(
                f"Illustration: {parsed.headline}",
                f"artikel-{slug}",
                draw_landscape(slug),
                f"Abstrakte Illustration zum Artikel „{parsed.headline}“",
            )
        create_article(
            section,
            headline=parsed.headline,
            teaser=parsed.teaser,
            kicker=item["kicker"],
            body=parsed.body,
            authors=[authors[a] for a in item["authors"]],
            topics=item.get("topics", []),
            place=item.get("place", ""),
            lead_image=lead_image,
            lead_image_caption=f"Illustration: {item['kicker']}" if lead_image else "",
            correction=f"<p>{item['correction']}</p>" if item.get("correction") else "",
            published_at=now - timedelta(hours=item["hours_ago"]),
            slug=slug,
            publish=True,
        )
        created += 1
    curated = curate_front(home, sections, catalog.get("front", {}))
    out.write(
        f"Demo-Inhalte: {len(sections)} Ressorts, {len(authors)} Autorinnen/Autoren, "
        f"{created} neue Artikel ({ArticlePage.objects.live().count()} insgesamt).\n"
    )
    return {
        "sections": len(sections),
        "authors": len(authors),
        "articles_created": created,
        "front_curated": curated,
    }


def curate_front(home: HomePage, sections: dict[str, SectionPage], front: dict[str, Any]) -> bool:
    """Choose the demo's lead (an article with an image, not the newest) and pin stories
    to their section blocks, as an editor would in the CMS. Only on a front page nobody
    has curated yet: running the loader again never undoes an editor's choice."""
    home = HomePage.objects.get(pk=home.pk)
    if home.lead_article_id or home.section_pins or not front:
        return False

    def article(section: SectionPage, slug: str) -> ArticlePage | None:
        return ArticlePage.objects.child_of(section).live().filter(slug=slug).first()

    lead = next(
        (found for section in sections.values() if (found := article(section, front["lead"]))),
        None,
    )
    blocks = []
    for section_slug, slugs in front.get("pinned", {}).items():
        pinned = [found for slug in slugs if (found := article(sections[section_slug], slug))]
        if pinned:
            blocks.append(("section", {"section": sections[section_slug], "articles": pinned}))
    home.lead_article = lead
    home.section_pins = blocks
    home.full_clean()
    home.save_revision().publish()
    return True
