"""Wagtail's initial migration names the editorial workflow and its task after the
"Moderators" group ("Moderators approval"), which the CMS then shows to German editors
("In Moderators approval einreichen"). Existing sites get the newsroom's German name;
a workflow renamed by hand keeps its name."""

from django.db import migrations

WAGTAIL_DEFAULT_NAME = "Moderators approval"
GERMAN_NAME = "Freigabe durch die Chefredaktion"


def rename(apps, old: str, new: str) -> None:
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old).update(name=new)
    apps.get_model("wagtailcore", "Task").objects.filter(name=old).update(name=new)


def to_german(apps, schema_editor) -> None:
    rename(apps, WAGTAIL_DEFAULT_NAME, GERMAN_NAME)


def to_wagtail_default(apps, schema_editor) -> None:
    rename(apps, GERMAN_NAME, WAGTAIL_DEFAULT_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0001_initial"),
        # The default workflow is created in 0048; the latest one keeps us after it.
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_german, to_wagtail_default)]
