"""Replace Wagtail's placeholder welcome page with the newspaper's home page, so a fresh
install has a working front page before any demo content is loaded."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("content.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    # Wagtail's own first migration makes a plain page at depth 2; only that one is removed.
    Page.objects.filter(depth=2, content_type__model="page", numchild=0).delete()
    if HomePage.objects.exists():
        return
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="content")
    root = Page.objects.get(depth=1)
    existing = Page.objects.filter(depth=2).order_by("-path").first()
    next_step = int(existing.path[4:8]) + 1 if existing else 1
    home = HomePage.objects.create(
        title="Startseite",
        draft_title="Startseite",
        slug="start",
        content_type=home_type,
        path=f"{root.path}{next_step:04d}",
        depth=2,
        numchild=0,
        url_path="/start/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True,
        site_name="lesefrei",
    )


def remove_home_page(apps, schema_editor):
    HomePage = apps.get_model("content.HomePage")
    Site = apps.get_model("wagtailcore.Site")
    Site.objects.filter(root_page__in=HomePage.objects.all()).delete()
    HomePage.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
