import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator, FormatChecker

from lesefrei.content.models import ArticlePage, AuthorPage
from lesefrei.discovery.models import SyndicatedItem
from lesefrei.discovery.ninjs import article_to_ninjs, html_to_blocks
from tests import factories

from .helpers import image

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "ninjs-schema_2.2.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def assert_valid_ninjs(item: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(item), key=lambda error: error.path)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def import_ninjs(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_ninjs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def newsroom():
    factories.index_pages()
    return factories.section("Politik"), factories.section("Ausland")


# Export ---------------------------------------------------------------------------------


def test_exported_article_is_valid_ninjs_2_2_with_all_fields(settings):
    settings.SITE_URL = "https://zeitung.example"
    authors = [factories.author("Miriam Köhler"), factories.author("Jonas Straßer")]
    article = factories.article(
        headline="Streit um die Haltelinie",
        kicker="Debatte um die Rente",
        teaser="Im Bundestag prallen „zwei Generationen“ aufeinander.",
        authors=authors,
        topics=["Rente", "Bundestag"],
        lead_image=image(),
        lead_image_caption="Der Plenarsaal am Morgen",
        place="Berlin",
    )
    item = article_to_ninjs(article)
    assert_valid_ninjs(item)
    assert item["uri"] == f"https://zeitung.example/api/v1/articles/{article.pk}"
    assert item["type"] == "text"
    assert item["language"] == "de"
    assert item["pubstatus"] == "usable"
    assert item["headlines"][0] == {"role": "main", "value": "Streit um die Haltelinie"}
    assert {"role": "kicker", "value": "Debatte um die Rente"} in item["headlines"]
    assert item["descriptions"][0]["value"] == article.teaser
    body = item["bodies"][0]
    assert body["contenttype"] == "text/html"
    assert "<h2>Was jetzt geschieht</h2>" in body["value"]
    assert "<p>„Wir bleiben dran“, sagt die Sprecherin der Initiative.</p>" in body["value"]
    assert item["by"] == "Miriam Köhler und Jonas Straßer"
    assert [person["name"] for person in item["people"]] == ["Miriam Köhler", "Jonas Straßer"]
    assert [subject["name"] for subject in item["subjects"]] == ["Rente", "Bundestag"]
    assert item["firstcreated"] == article.first_published_at.isoformat()
    assert item["versioncreated"] == article.last_published_at.isoformat()
    assert item["located"] == "Berlin"
    assert item["associations"][0]["type"] == "picture"


def test_every_demo_like_article_exports_valid_ninjs():
    factories.article(headline="Ohne alles", topics=[], body=factories.DEFAULT_BODY)
    factories.article(
        headline="Mit Infokasten",
        body=[
            ("paragraph", '<p>Siehe <a href="https://example.org/?a=1&amp;b=2">Quelle</a>.</p>'),
            ("info_box", {"title": "Zahlen", "text": "<ul><li>412 Mitglieder</li></ul>"}),
            ("embed", {"url": "https://video.example/1", "title": "Video", "description": ""}),
        ],
    )
    for article in ArticlePage.objects.live():
        assert_valid_ninjs(article_to_ninjs(article))


# Import ---------------------------------------------------------------------------------


def test_import_creates_a_draft_with_blocks_bylines_and_topics(newsroom):
    out, err = import_ninjs(str(DATA / "agentur-2x-gipfel.json"), "--section", "ausland")
    assert err == ""
    assert "angelegt" in out
    article = ArticlePage.objects.get()
    assert not article.live
    assert article.get_parent().slug == "ausland"
    assert article.title == "EU-Gipfel einigt sich auf Klimafonds"
    assert article.kicker == "Europäische Union"
    assert article.teaser.startswith("Nach zähen Verhandlungen")
    assert article.place == "Brüssel"
    assert [author.title for author in article.authors] == ["Jana Oberländer", "Tomasz Wiśniewski"]
    assert sorted(topic.name for topic in article.topics.all()) == [
        "Europäische Union",
        "Klimaschutz",
    ]
    blocks = [(block.block_type, block.value) for block in article.body]
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["paragraph", "subheading", "paragraph", "quote", "paragraph"]
    assert blocks[1][1] == "Streit über die Höhe"
    assert blocks[2][1].source == (
        "<p>„Wir haben <b>geliefert</b>“, sagte ein Diplomat. "
        "Die Grünen sprachen von einem <i>ersten Schritt</i>.</p>"
    )
    assert blocks[3][1]["text"] == "Das Geld reicht bei Weitem nicht."
    assert blocks[3][1]["attribution"] == "Lena Müßig, Klimaforscherin"
    last = blocks[4][1].source
    assert '<a href="https://example.org/fonds">im Hintergrund</a>' in last
    assert "javascript" not in last and "onclick" not in last
    stored = json.dumps([block.get_prep_value() for block in article.body], ensure_ascii=False)
    assert "<script" not in stored and "iframe" not in stored and "alert" not in stored
    assert SyndicatedItem.objects.get().version == "1"


def test_reimport_updates_instead_of_duplicating_and_ignores_older(newsroom):
    import_ninjs(str(DATA / "agentur-2x-gipfel.json"), "--publish")
    article = ArticlePage.objects.get()
    assert article.live

    out, _ = import_ninjs(str(DATA / "agentur-2x-gipfel.json"), "--publish")
    assert "unverändert" in out

    out, _ = import_ninjs(str(DATA / "agentur-2x-gipfel-v2.json"), "--publish")
    assert "aktualisiert" in out
    assert ArticlePage.objects.count() == 1
    article.refresh_from_db()
    assert article.title == "EU-Gipfel einigt sich auf Klimafonds – Kritik aus Polen"
    assert AuthorPage.objects.filter(title="Jana Oberländer").count() == 1
    assert SyndicatedItem.objects.get().version == "2"

    out, _ = import_ninjs(str(DATA / "agentur-2x-gipfel.json"), "--publish")
    assert "ältere Version" in out
    article.refresh_from_db()
    assert article.title == "EU-Gipfel einigt sich auf Klimafonds – Kritik aus Polen"


def test_update_without_publish_leaves_the_live_version_alone(newsroom):
    import_ninjs(str(DATA / "agentur-2x-gipfel.json"), "--publish")
    import_ninjs(str(DATA / "agentur-2x-gipfel-v2.json"))
    article = ArticlePage.objects.get()
    assert article.title == "EU-Gipfel einigt sich auf Klimafonds"
    assert article.has_unpublished_changes
    latest = article.get_latest_revision_as_object()
    assert latest.title == "EU-Gipfel einigt sich auf Klimafonds – Kritik aus Polen"


def test_canceled_item_unpublishes_its_article(newsroom, tmp_path):
    import_ninjs(str(DATA / "agentur-2x-gipfel.json"), "--publish")
    item = json.loads((DATA / "agentur-2x-gipfel.json").read_text())
    item.update(version="3", pubstatus="canceled", versioncreated="2026-11-25T09:00:00+01:00")
    path = tmp_path / "storno.json"
    path.write_text(json.dumps(item), encoding="utf-8")
    out, _ = import_ninjs(str(path))
    assert "zurückgezogen" in out
    assert not ArticlePage.objects.get().live


def test_older_ninjs_shapes_are_understood(newsroom):
    import_ninjs(str(DATA / "agentur-1x-bus.json"))
    import_ninjs(str(DATA / "agentur-3x-kassel.json"))
    bus = ArticlePage.objects.get(title="Bürger kaufen ihren Bus")
    assert bus.teaser.startswith("In Nordfriesland gründen Einwohner")
    assert [a.title for a in bus.authors] == ["Hauke Wübbena"]
    assert sorted(t.name for t in bus.topics.all()) == ["Ländlicher Raum", "Mobilität"]
    assert [b.block_type for b in bus.body] == ["paragraph", "subheading", "paragraph"]
    assert bus.body[0].value.source == (
        "<p>Husum (agentur) – „Ohne den Bus wären wir abgehängt“, sagt Hauke Ketelsen.</p>"
    )
    kassel = ArticlePage.objects.get(title="Stadtbibliothek Kassel öffnet sonntags")
    assert [a.title for a in kassel.authors] == ["Ömer Yıldız"]
    assert SyndicatedItem.objects.get(article=kassel).uri.startswith("https://agentur.example")


def test_directory_import_reports_each_bad_file_and_imports_the_good_ones(newsroom, tmp_path):
    for name in ("agentur-1x-bus.json", "kaputt.json", "ohne-ueberschrift.json"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "binär.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="3 Meldung"):
        out, err = StringIO(), StringIO()
        try:
            call_command("import_ninjs", str(tmp_path), stdout=out, stderr=err)
        finally:
            errors = err.getvalue()
    assert "kaputt.json: keine gültige JSON-Datei" in errors
    assert "ohne-ueberschrift.json: nicht importiert – Der Meldung fehlt die Überschrift" in errors
    assert "binär.json" in errors
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["Bürger kaufen ihren Bus"]
    assert SyndicatedItem.objects.count() == 1


def test_a_failing_item_leaves_nothing_half_imported(newsroom, tmp_path):
    item = json.loads((DATA / "agentur-2x-gipfel.json").read_text())
    item["headlines"][0]["value"] = "Ü" * 300
    path = tmp_path / "zu-lang.json"
    path.write_text(json.dumps(item), encoding="utf-8")
    with pytest.raises(CommandError):
        import_ninjs(str(path))
    assert ArticlePage.objects.count() == 0
    assert AuthorPage.objects.filter(title="Jana Oberländer").count() == 0
    assert SyndicatedItem.objects.count() == 0


def test_unknown_section_and_missing_path_are_clear_errors(newsroom):
    with pytest.raises(CommandError, match="kein Ressort „sport“"):
        import_ninjs(str(DATA / "agentur-1x-bus.json"), "--section", "sport")
    with pytest.raises(CommandError, match="gibt es nicht"):
        import_ninjs(str(DATA / "fehlt.json"))


def test_sanitiser_keeps_typography_and_drops_markup():
    blocks = html_to_blocks(
        "<div><p style='color:red'>„Zitat“ – ‚halb‘ … ß</p><ul><li>Eins</li><li>Zwei</li></ul>"
        "<img src=x onerror=alert(1)></div>"
    )
    assert blocks == [
        ("paragraph", "<p>„Zitat“ – ‚halb‘ … ß</p>"),
        ("paragraph", "<p>Eins</p>"),
        ("paragraph", "<p>Zwei</p>"),
    ]


def test_same_version_with_publish_publishes_the_imported_draft(newsroom):
    import_ninjs(str(DATA / "agentur-3x-kassel.json"))
    assert not ArticlePage.objects.get().live
    out, _ = import_ninjs(str(DATA / "agentur-3x-kassel.json"), "--publish")
    assert "veröffentlicht" in out
    assert ArticlePage.objects.get().live
    out, _ = import_ninjs(str(DATA / "agentur-3x-kassel.json"), "--publish")
    assert "unverändert" in out


def test_cms_lists_imported_items_read_only(newsroom, admin_client):
    import_ninjs(str(DATA / "agentur-1x-bus.json"))
    item = SyndicatedItem.objects.get()
    listing = admin_client.get("/cms/agenturmeldungen/")
    assert listing.status_code == 200
    assert "Bürger kaufen ihren Bus" in listing.content.decode()
    assert admin_client.get(f"/cms/agenturmeldungen/inspect/{item.pk}/").status_code == 200
    assert admin_client.get(f"/cms/agenturmeldungen/edit/{item.pk}/").status_code in {302, 403}
    assert admin_client.get("/cms/agenturmeldungen/new/").status_code in {302, 403}
    assert SyndicatedItem.objects.get().uri == item.uri
