from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from lesefrei.discovery.selectors import SearchFilters, search_articles
from lesefrei.discovery.text import parse_query
from tests import factories

pytestmark = pytest.mark.django_db

postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

GIPFEL_BODY = [
    (
        "paragraph",
        "<p>Die Verhandlungen über den Klimafonds ziehen sich hin. Beim Gipfeltreffen "
        "in Brüssel sprach auch Selenskyj per Video.</p>",
    ),
    ("subheading", "Wer zahlt?"),
    ("paragraph", "<p>„Wir brauchen Geld, nicht Papier“, sagte eine Diplomatin.</p>"),
]


def headlines(query: str, **filters) -> list[str]:
    hits = search_articles(parse_query(query), SearchFilters(**filters))
    return [hit.article.title for hit in hits]


@pytest.fixture
def gipfel():
    return factories.article(
        headline="EU-Gipfel ringt um Geld für den Klimaschutz",
        kicker="Europa",
        teaser="Die Staats- und Regierungschefs streiten.",
        body=GIPFEL_BODY,
    )


def test_search_finds_an_article_by_a_word_of_its_body(gipfel):
    factories.article(headline="Wohnungsnot in Göttingen", body=factories.DEFAULT_BODY)
    assert headlines("Klimafonds") == [gipfel.title]


def test_search_finds_by_any_case(gipfel):
    assert headlines("selenskyj") == [gipfel.title]
    assert headlines("SELENSKYJ") == [gipfel.title]


def test_search_finds_compound_by_its_first_word(gipfel):
    assert headlines("Gipfeltreffen") == [gipfel.title]
    assert headlines("Gipfel") == [gipfel.title]


def test_search_needs_every_word(gipfel):
    assert headlines("Klimafonds Brüssel") == [gipfel.title]
    assert headlines("Klimafonds Göttingen") == []


def test_search_finds_by_author_and_topic():
    author = factories.author("Hauke Wübbena")
    article = factories.article(headline="Bürger kaufen ihren Bus", authors=[author])
    tagged = factories.article(headline="Hitzeschutzpläne", topics=["Ländlicher Raum"])
    assert headlines("Wübbena") == [article.title]
    assert headlines("ländlicher raum") == [tagged.title]


def test_search_ignores_drafts_and_unpublished_articles(gipfel):
    factories.article(headline="Geheimer Klimafonds-Entwurf", publish=False)
    assert headlines("Klimafonds") == [gipfel.title]
    gipfel.unpublish()
    assert headlines("Klimafonds") == []


def test_publishing_a_new_revision_updates_the_index(gipfel):
    assert headlines("Wasserstoff") == []
    gipfel.body = [("paragraph", "<p>Nun geht es um Wasserstoff.</p>")]
    gipfel.save_revision().publish()
    assert headlines("Wasserstoff") == [gipfel.title]
    assert headlines("Klimafonds") == []


def test_newly_published_article_is_found():
    draft = factories.article(headline="Stichwahl in Zgorzelec", publish=False)
    assert headlines("Zgorzelec") == []
    draft.get_latest_revision().publish()
    assert headlines("Zgorzelec") == ["Stichwahl in Zgorzelec"]


def test_filters_by_section_author_and_date(gipfel):
    author = factories.author("Mara Keller")
    culture = factories.section("Kultur")
    old = factories.article(
        culture,
        headline="Klimafonds für Theater",
        authors=[author],
        published_at=timezone.now() - timedelta(days=40),
    )
    assert set(headlines("Klimafonds")) == {gipfel.title, old.title}
    assert headlines("Klimafonds", section=culture) == [old.title]
    assert headlines("Klimafonds", author=author) == [old.title]
    today = timezone.localdate()
    assert headlines("Klimafonds", date_from=today - timedelta(days=1)) == [gipfel.title]
    assert headlines("Klimafonds", date_to=today - timedelta(days=30)) == [old.title]


def test_of_two_equal_hits_the_newer_ranks_first():
    body = [("paragraph", "<p>Der Wolf ist zurück im Fläming.</p>")]
    old = factories.article(
        headline="Wolfsdebatte alt", body=body, published_at=timezone.now() - timedelta(days=300)
    )
    new = factories.article(headline="Wolfsdebatte neu", body=body)
    assert headlines("Wolf") == [new.title, old.title]


def test_hits_carry_highlighted_snippets(gipfel):
    (hit,) = search_articles(parse_query("Selenskyj"), SearchFilters())
    assert "<mark>Selenskyj</mark>" in hit.snippet


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "?!…–„“",
        "' OR 1=1; DROP TABLE wagtailcore_page; --",
        "<script>alert(1)</script>",
        "Klima & | ! ( ) : * \\ '",
        "NOT OR NEAR AND Klimafonds",
        "\x00",
    ],
)
def test_absurd_queries_return_results_or_nothing_but_never_fail(gipfel, query):
    hits = search_articles(parse_query(query), SearchFilters())
    assert all(hit.article.live for hit in hits)


@pytest.mark.parametrize(*["query", ["Verhandlung", "verhandlungen", "VERHANDLUNG"]])
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="German stemming needs PostgreSQL")
def test_german_inflections_are_found_on_postgres(gipfel, query):
    assert headlines(query) == [gipfel.title]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="German stemming needs PostgreSQL")
def test_plural_query_finds_singular_on_postgres():
    article = factories.article(
        headline="Ein Gipfel ohne Ergebnis",
        body=[("paragraph", "<p>Die Verhandlung endete ohne Einigung.</p>")],
    )
    assert headlines("Verhandlungen") == [article.title]
    assert headlines("Gipfels") == [article.title]


def test_multi_word_query_ranks_the_better_match_first():
    thin = factories.article(
        headline="Ein langer Bericht aus Brandenburg",
        body=[
            ("paragraph", "<p>" + "Viel Text über Landwirtschaft und Dörfer. " * 40 + "</p>"),
            ("paragraph", "<p>Am Rande: ein Wolf im Fläming.</p>"),
        ],
    )
    strong = factories.article(
        headline="Der Wolf im Fläming",
        kicker="Wolf",
        body=[("paragraph", "<p>Der Wolf ist zurück im Fläming, sagen Schäfer im Fläming.</p>")],
    )
    assert headlines("Wolf Fläming") == [strong.title, thin.title]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="candidate search is PostgreSQL's")
def test_old_headline_match_outranks_many_newer_text_matches(monkeypatch):
    """Only the newest matches are ranked, plus the newest headline matches of the
    whole archive: an old article about the word is not lost behind newer mentions."""
    monkeypatch.setattr("lesefrei.discovery.selectors.SEARCH_CANDIDATES", 2)
    monkeypatch.setattr("lesefrei.discovery.selectors.SEARCH_WINDOW", 3)
    old = factories.article(
        headline="Deichbau an der Elbe",
        published_at=timezone.now() - timedelta(days=900),
    )
    for day in range(4):
        factories.article(
            headline=f"Hochwasser, Tag {day}",
            body=[("paragraph", "<p>Am Rande ging es auch um den Deichbau.</p>")],
            published_at=timezone.now() - timedelta(days=day),
        )
    found = headlines("Deichbau")
    assert found[0] == old.title
    assert len(found) == 3  # the old headline match and the two newest mentions


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="candidate search is PostgreSQL's")
def test_rare_word_in_old_article_text_is_found_beyond_the_newest_articles(monkeypatch):
    monkeypatch.setattr("lesefrei.discovery.selectors.SEARCH_WINDOW", 2)
    old = factories.article(
        headline="Ein Dorf wählt",
        body=[("paragraph", "<p>In Zgorzelec zählte man bis in die Nacht.</p>")],
        published_at=timezone.now() - timedelta(days=2000),
    )
    for day in range(3):
        factories.article(headline=f"Wetterbericht {day}", published_at=timezone.now())
    assert headlines("Zgorzelec") == [old.title]
    assert headlines("Zgorzelec Nacht") == [old.title]
    assert headlines("Zgorzelec Nacht", section=factories.section("Kultur")) == []


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="stop words are PostgreSQL's")
def test_search_of_stop_words_only_finds_nothing(gipfel):
    assert headlines("und der die") == []
