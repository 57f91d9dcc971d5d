"""Generated input for the search page's GET form (the words, section, author, from and
until dates, the page number) and for the `?seite=` of every list page: never a server
error, a filter that cannot be used is named on the page, and reading writes nothing
(tests/generated_forms.py has the strategies and the checks)."""

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from lesefrei.content.models import ArticlePage
from tests import factories
from tests.generated_forms import (
    BUDGET,
    DATES,
    TEXT,
    assert_no_server_error,
    assert_refused_with_message,
    field_values,
    form_errors,
    isolated_example,
    query_string,
    reader_client,
    rows,
    submissions,
)

pytestmark = pytest.mark.django_db

PAGE_NUMBERS = st.sampled_from(
    ["1", "2", "0", "-1", "²", "①", "٣", "𝟗", "1e3", "9" * 30, " 2", "2.0", "letzte", ""]
)


@pytest.fixture
def newsroom() -> dict[str, str]:
    """One section, one author, one article about the bus (restored for every example);
    the addresses of the lists that have pages."""
    politics = factories.section("Politik")
    author = factories.author("Miriam Köhler")
    factories.article(politics, headline="Bürger kaufen ihren Bus", authors=[author])
    return {"home": "/", "section": politics.url, "author": author.url, "search": "/suche/"}


@BUDGET
@given(
    query=submissions(
        {
            "q": "Bus",
            "ressort": "politik",
            "autor": "miriam-koehler",
            "von": "2020-01-01",
            "bis": "9999-12-31",
            "seite": "1",
        },
        special={
            "q": st.sampled_from(["Bus", "' OR 1=1 --", "<script>", "a" * 2001, "Bus\x00"]),
            "ressort": st.sampled_from(["politik", "POLITIK", "kultur", "../politik"]),
            "von": DATES,
            "bis": DATES,
            "seite": PAGE_NUMBERS,
        },
    )
)
@example(query={"q": ["Bus"], "von": ["10000-01-01"], "bis": ["0000-00-00"], "seite": ["²"]})
def test_generated_search_answers_with_results_or_names_the_bad_filter(newsroom, query):
    with isolated_example():
        client = reader_client()
        before = rows(ArticlePage)

        response = client.get("/suche/", QUERY_STRING=query_string(query))

        assert_no_server_error(response)
        assert response.status_code == 200
        assert rows(ArticlePage) == before
        if form_errors(response):
            event("filter refused")
            assert_refused_with_message(response)
        else:
            event("searched" if response.context["searched"] else "no search")


@BUDGET
@given(
    page=st.one_of(PAGE_NUMBERS, TEXT),
    where=st.sampled_from(["home", "section", "author", "search"]),
)
# Found by this test: "²" passes str.isdigit() but not int(); every page with a list
# (home, sections, authors, topics) answered 500 for ?seite=².
@example(page="²", where="section")
def test_generated_page_number_of_any_list_never_fails(newsroom, page, where):
    with isolated_example():
        query = {"seite": [page], **({"q": ["Bus"]} if where == "search" else {})}
        response = reader_client().get(newsroom[where], QUERY_STRING=query_string(query))

        assert_no_server_error(response)
        assert response.status_code == 200


@BUDGET
@given(values=field_values("Bus"))
def test_generated_search_words_in_any_shape_never_fail(newsroom, values):
    with isolated_example():
        response = reader_client().get("/suche/", QUERY_STRING=query_string({"q": values}))
        assert_no_server_error(response)
        assert response.status_code == 200
