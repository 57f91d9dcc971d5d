"""The "Community-Moderation" group (moderates comments, may enter the CMS), comment
permissions for Wagtail's Moderators (moderate, pick) and Editors (pick), and a first
list of rejection reasons that moderators can edit in the CMS."""

from django.db import migrations

REASONS = [
    (
        "Beleidigung",
        "Ihr Kommentar greift Menschen persönlich an oder beleidigt sie. Kritik an Positionen "
        "ist willkommen, Herabwürdigung von Personen nicht.",
    ),
    (
        "Diskriminierung",
        "Ihr Kommentar wertet Menschen wegen ihrer Herkunft, Religion, ihres Geschlechts, "
        "ihrer sexuellen Orientierung oder einer Behinderung ab.",
    ),
    (
        "Kein Bezug zum Artikel",
        "Ihr Kommentar hat keinen erkennbaren Bezug zum Thema des Artikels.",
    ),
    (
        "Werbung oder Spam",
        "Ihr Kommentar enthält Werbung, Links ohne Bezug zum Thema oder wiederholte Inhalte.",
    ),
    (
        "Falschbehauptung",
        "Ihr Kommentar stellt Tatsachenbehauptungen auf, die nachweislich falsch sind oder "
        "die wir nicht prüfen können.",
    ),
    (
        "Persönliche Daten",
        "Ihr Kommentar enthält persönliche Daten anderer Menschen (Adressen, Telefonnummern, "
        "vollständige Namen von Privatpersonen).",
    ),
]

GROUP = "Community-Moderation"


def create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    RejectionReason = apps.get_model("comments", "RejectionReason")

    moderate = Permission.objects.get(content_type__app_label="comments", codename="moderate_comment")
    pick = Permission.objects.get(content_type__app_label="comments", codename="pick_comment")
    reasons = Permission.objects.filter(
        content_type__app_label="comments",
        codename__in=["add_rejectionreason", "change_rejectionreason", "delete_rejectionreason"],
    )
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    community, _ = Group.objects.get_or_create(name=GROUP)
    community.permissions.add(moderate, pick, access_admin, *reasons)
    for name, permissions in (("Moderators", [moderate, pick, *reasons]), ("Editors", [pick])):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*permissions)

    for order, (label, text) in enumerate(REASONS):
        RejectionReason.objects.get_or_create(
            label=label, defaults={"text": text, "sort_order": order}
        )


def remove(apps, schema_editor):
    """Going back keeps the group (it may have members and other permissions by now);
    its comment permissions go with the comment models."""


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
