"""A curated front page: per section block, the articles editors pin to its top
(HomePage.section_pins), and the size of a block kept between 1 and 12.

Reversible: going back drops the pins (the front page then fills itself again, newest
first); the chosen lead (lead_article) stays, as it existed before.
"""

import django.core.validators
import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_article_published_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="homepage",
            name="section_pins",
            field=wagtail.fields.StreamField(
                [("section", 3)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {"label": "Ressort", "page_type": ["content.SectionPage"]},
                    ),
                    1: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {"label": "Artikel", "page_type": ["content.ArticlePage"]},
                    ),
                    2: (
                        "wagtail.blocks.ListBlock",
                        (1,),
                        {
                            "help_text": "Stehen in dieser Reihenfolge oben im Block des Ressorts; die übrigen Plätze füllen die neuesten Artikel.",
                            "label": "Angeheftete Artikel",
                            "min_num": 1,
                        },
                    ),
                    3: ("wagtail.blocks.StructBlock", [[("section", 0), ("articles", 2)]], {}),
                },
                help_text="Ein Block je Ressort, das nicht nur die neuesten Artikel zeigen soll: die angehefteten Artikel stehen oben, der Rest füllt sich automatisch.",
                verbose_name="Angeheftete Artikel je Ressort",
            ),
        ),
        migrations.AlterField(
            model_name="homepage",
            name="articles_per_section",
            field=models.PositiveSmallIntegerField(
                default=4,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="Artikel je Ressort",
            ),
        ),
        migrations.AlterField(
            model_name="homepage",
            name="lead_article",
            field=models.ForeignKey(
                blank=True,
                help_text="Leer lassen: der neueste Artikel mit Bild ist der Aufmacher. Ist der gewählte Artikel nicht (mehr) veröffentlicht, wird wieder automatisch gewählt.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="content.articlepage",
                verbose_name="Aufmacher",
            ),
        ),
    ]
