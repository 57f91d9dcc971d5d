"""Editors and moderators (Wagtail's groups) may add, correct, pin and delete ticker
entries; nobody else unless given the permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors", "Moderators")
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    # Permissions are created after all migrations ran; this one needs them now.
    config = apps.get_app_config("live")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="live",
        codename__in=[f"{action}_liveentry" for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="live",
        codename__in=[f"{action}_liveentry" for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_live_tickers_and_entries"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
