"""Lists of articles walk an index on (published_at, page_ptr_id) instead of sorting the archive.

"The newest N live articles" (the home page's blocks, a section's first page) was a sort
of every article under the section: 0.1-0.4 s per list on 100,000 articles. Read
backwards, the new index has the lists' order (newest first, the id breaking ties), so
PostgreSQL stops after N matching rows. It replaces the index on published_at alone
(its leading column serves the same filters).

Lists leave out live articles without a date (content/selectors.py); ArticlePage.save
gives every live article one, and this migration dates the ones written around it.

On PostgreSQL the page tables are analyzed afterwards: whether walking the index is the
better plan depends on how many pages a path prefix matches, and a page type's few rows
are best joined from its own table; the planner only knows either from statistics (a
server without autovacuum may have none for a bulk-loaded archive).
"""

from django.db import migrations, models
from django.utils import timezone


def date_live_articles(apps, schema_editor):
    ArticlePage = apps.get_model("content", "ArticlePage")
    undated = ArticlePage.objects.filter(live=True, published_at__isnull=True)
    for article in undated.only("pk", "first_published_at", "last_published_at"):
        published = article.first_published_at or article.last_published_at or timezone.now()
        ArticlePage.objects.filter(pk=article.pk).update(published_at=published)


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in apps.get_app_config("content").get_models()]
    for table in sorted({*tables, "wagtailcore_page"}):
        schema_editor.execute(f"ANALYZE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_comments_mode"),
    ]

    operations = [
        migrations.RunPython(date_live_articles, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="articlepage",
            index=models.Index(fields=["published_at", "page_ptr"], name="article_published_idx"),
        ),
        migrations.AlterField(
            model_name="articlepage",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Leer lassen: der Zeitpunkt der ersten Veröffentlichung.",
                null=True,
                verbose_name="Veröffentlicht am",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
