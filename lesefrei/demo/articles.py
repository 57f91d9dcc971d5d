"""Demo articles: sections, authors and original German articles (data/articles/*.txt,
data/catalog.json), created through lesefrei.content.services like an editor's, and the
curated front page. Images come from images.py.

`load()` is safe to run again: what exists (by slug) is kept, what is missing is added.
"""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from lesefrei.content.importers import parse_plain_text
from lesefrei.content.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    HomePage,
    SectionPage,
    TopicIndexPage,
)
from lesefrei.content.services import create_article

from .images import demo_image, draw_landscape, draw_portrait

DATA_DIR = Path(__file__).resolve().parent / "data"


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
    catalog = json.loads((DATA_DIR / "catalog.json").read_text(encoding="utf-8"))
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
            (DATA_DIR / "articles" / item["file"]).read_text(encoding="utf-8")
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
