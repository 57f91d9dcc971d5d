"""Uniqueness of pseudonyms by a case-folded key without separators (SQLite's LOWER()
knows only ASCII, so the functional constraint let "Ärger" and "ärger" both in), and the
time of the last pseudonym change."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from lesefrei.accounts.pseudonyms import pseudonym_key

    ReaderProfile = apps.get_model("accounts", "ReaderProfile")
    for profile in ReaderProfile.objects.all():
        profile.pseudonym_key = pseudonym_key(profile.pseudonym) or f"#{profile.pk}"
        profile.save(update_fields=["pseudonym_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="readerprofile",
            name="pseudonym_key",
            field=models.CharField(editable=False, max_length=120, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="readerprofile",
            name="pseudonym_key",
            field=models.CharField(editable=False, max_length=120, unique=True),
        ),
        migrations.RemoveConstraint(
            model_name="readerprofile",
            name="unique_pseudonym_case_insensitive",
        ),
        migrations.AddField(
            model_name="readerprofile",
            name="pseudonym_changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="Pseudonym geändert"),
        ),
    ]
