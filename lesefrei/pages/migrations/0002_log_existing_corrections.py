"""The corrections log starts with the notes live articles already show, dated at their
last publication (the best date known for them)."""

from django.db import migrations


def log_existing(apps, schema_editor):
    ArticlePage = apps.get_model("content", "ArticlePage")
    Correction = apps.get_model("pages", "Correction")
    articles = ArticlePage.objects.filter(live=True).exclude(correction="")
    for article in articles.only("pk", "correction", "last_published_at", "first_published_at"):
        note = article.correction.strip()
        when = article.last_published_at or article.first_published_at
        if note and when and not Correction.objects.filter(article_id=article.pk).exists():
            Correction.objects.create(article_id=article.pk, note=note, published_at=when)


def forget_logged(apps, schema_editor):
    apps.get_model("pages", "Correction").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_legal_pages_corrections_footer")]

    operations = [migrations.RunPython(log_existing, forget_logged)]
