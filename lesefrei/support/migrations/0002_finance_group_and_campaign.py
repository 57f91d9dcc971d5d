"""The "Finanzen" group (supporter care and finance) and the first campaign."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FINANCE_GROUP = "Finanzen"
FINANCE_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("support", "view_supporter"),
    ("support", "view_pledge"),
    ("support", "view_mandate"),
    ("support", "view_collection"),
    ("support", "view_collectionrun"),
    ("support", "view_returnimport"),
    ("support", "view_collectionreturn"),
    ("support", "view_ibanaccesslog"),
    ("support", "view_full_iban"),
    ("support", "run_collections"),
    ("support", "add_campaign"),
    ("support", "change_campaign"),
    ("support", "view_campaign"),
]


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=FINANCE_GROUP)
    for app_label, codename in FINANCE_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    Campaign = apps.get_model("support", "Campaign")
    if not Campaign.objects.exists():
        Campaign.objects.create(title="50.000 Unterstützerinnen und Unterstützer", goal=50_000)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=FINANCE_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
