"""The blocks of the curated front page: per section block, the articles editors pin to
its top, in their order. The rest of each block fills itself, newest first
(selectors.home_front)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks


class SectionPinsBlock(blocks.StructBlock):
    section = blocks.PageChooserBlock(
        page_type="content.SectionPage", label=gettext_lazy("Ressort")
    )
    articles = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="content.ArticlePage", label=gettext_lazy("Artikel")),
        label=gettext_lazy("Angeheftete Artikel"),
        help_text=gettext_lazy(
            "Stehen in dieser Reihenfolge oben im Block des Ressorts; "
            "die übrigen Plätze füllen die neuesten Artikel."
        ),
        min_num=1,
    )

    class Meta:
        icon = "pick"
        label = gettext_lazy("Ressort-Block")
        form_classname = "section-pins-block"

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        section = value.get("section")
        articles = [article for article in value.get("articles") or [] if article is not None]
        if section is None:
            return value
        errors = []
        outside = [article.title for article in articles if not in_section(article, section)]
        if outside:
            errors.append(
                _("Nicht im Ressort „%(section)s“: %(articles)s.")
                % {"section": section.title, "articles": ", ".join(f"„{t}“" for t in outside)}
            )
        if len({article.pk for article in articles}) < len(articles):
            errors.append(_("Ein Artikel ist in diesem Block doppelt angeheftet."))
        if errors:
            raise blocks.StructBlockValidationError(
                block_errors={"articles": ValidationError(" ".join(errors))}
            )
        return value


def in_section(article: Any, section: Any) -> bool:
    """Whether `article` stands right under `section` in the page tree (no query)."""
    return article.depth == section.depth + 1 and article.path.startswith(section.path)


class FrontSectionsBlock(blocks.StreamBlock):
    section = SectionPinsBlock()

    def clean(self, value: blocks.StreamValue) -> blocks.StreamValue:
        value = super().clean(value)
        seen: set[int] = set()
        for child in value:
            section = child.value.get("section")
            if section is None:
                continue
            if section.pk in seen:
                raise blocks.StreamBlockValidationError(
                    non_block_errors=[
                        ValidationError(
                            _("Das Ressort „%(section)s“ hat schon einen Block.")
                            % {"section": section.title}
                        )
                    ]
                )
            seen.add(section.pk)
        return value


def pinned_ids(raw_data: Any) -> dict[int, list[int]]:
    """{section id: [article ids in the editors' order]} from a FrontSectionsBlock's raw
    JSON, without loading a page: the selector loads all pinned articles in one query."""
    pins: dict[int, list[int]] = {}
    for child in raw_data or []:
        if child.get("type") != "section":
            continue
        value = child.get("value") or {}
        section_id = value.get("section")
        if not isinstance(section_id, int) or section_id in pins:
            continue  # one block per section (FrontSectionsBlock.clean): the first counts
        ids = []
        for item in value.get("articles") or []:
            # A ListBlock stores items as {"type": "item", "value": id, "id": …}
            # (older data: the bare id).
            article_id = item.get("value") if isinstance(item, dict) else item
            if isinstance(article_id, int) and article_id not in ids:
                ids.append(article_id)
        pins[section_id] = ids
    return pins
