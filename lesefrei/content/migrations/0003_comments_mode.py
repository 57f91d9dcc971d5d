"""Comments per article: open, closed, or closed automatically N days after publication.

Replaces the on/off switch `comments_enabled`: on becomes "open", off becomes "closed".
"""

from django.db import migrations, models


def enabled_to_mode(apps, schema_editor):
    ArticlePage = apps.get_model("content", "ArticlePage")
    ArticlePage.objects.filter(comments_enabled=False).update(comments_mode="closed")


def mode_to_enabled(apps, schema_editor):
    ArticlePage = apps.get_model("content", "ArticlePage")
    ArticlePage.objects.filter(comments_mode="closed").update(comments_enabled=False)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_create_home_page"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlepage",
            name="comments_mode",
            field=models.CharField(
                choices=[
                    ("open", "offen"),
                    ("closed", "geschlossen"),
                    ("auto", "offen, schließen automatisch nach einigen Tagen"),
                ],
                default="open",
                max_length=6,
                verbose_name="Kommentare",
            ),
        ),
        migrations.AddField(
            model_name="articlepage",
            name="comments_close_after_days",
            field=models.PositiveSmallIntegerField(
                default=14,
                help_text="Nur für „schließen automatisch“: Tage nach der Veröffentlichung.",
                verbose_name="Kommentare schließen nach (Tagen)",
            ),
        ),
        migrations.RunPython(enabled_to_mode, mode_to_enabled),
        migrations.RemoveField(model_name="articlepage", name="comments_enabled"),
    ]
