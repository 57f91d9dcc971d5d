"""Generated input for the reader's comment forms (write, reply, report, preferences),
posted over HTTP with the CSRF token of the form page: never a server error, a refusal
says why and stores nothing, an accepted comment or report is stored once
(tests/generated_forms.py has the strategies and the checks)."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from lesefrei.comments import rules
from lesefrei.comments.models import (
    ArticleCommentStats,
    Comment,
    CommentReport,
    ModerationAction,
    ReaderCommentPreferences,
)
from lesefrei.content.models import ArticlePage
from tests.generated_forms import (
    BUDGET,
    TEXT,
    assert_clean_text,
    assert_refused_with_message,
    field_values,
    form_page,
    isolated_example,
    query_string,
    reader_client,
    rows,
    send,
    submissions,
    visible_text,
)

from . import factories

pytestmark = pytest.mark.django_db

COMMENT_ROWS = (Comment, ModerationAction, ArticleCommentStats, CommentReport)
# Comment text as readers write it: words in any script, digits, some punctuation.
WORDS = st.text(
    st.one_of(
        st.characters(categories=("L", "N", "Zs")), st.sampled_from(list(",;:!?()„“‚‘–…-\n"))
    ),
    min_size=1,
    max_size=300,
).filter(lambda text: rules.normalise_text(text) != "")
DIGITS = st.sampled_from(["²", "①", "٣", "𝟗", "0", "-1", "1" * 18, "9" * 40, " 1", "1 "])


@dataclass
class Discussion:
    article: ArticlePage
    writer: AbstractBaseUser
    other: Comment  # approved, by someone else: something to answer and to report


@pytest.fixture
def discussion() -> Discussion:
    article = factories.article(headline="Wer bezahlt den Bus?")
    other = factories.comment(article, text="Der Bus gehört allen.", approve=True)
    return Discussion(article, factories.reader("Schreibende"), other)


def write_url(discussion: Discussion) -> str:
    return reverse("comments:write", args=[discussion.article.pk])


@BUDGET
@given(
    answer_to=st.one_of(st.none(), TEXT, DIGITS),
    fields=submissions(
        {"text": "Ein sachlicher Gedanke.", "parent": "", "key": "schluessel1"},
        special={"parent": DIGITS, "key": st.just("a" * 200)},
    ),
    multipart=st.booleans(),
)
# Found by this test: "²" passes str.isdigit() but not int() (the form page and the
# post answered 500); C1 controls such as NEL were stored.
@example(answer_to="²", fields={"text": ["Ja."], "parent": ["²"], "key": ["k"]}, multipart=False)
@example(answer_to=None, fields={"text": ["Zeile\x85Zeile"], "key": ["k"]}, multipart=False)
def test_generated_comment_is_refused_with_a_message_or_stored_once(
    discussion, answer_to, fields, multipart
):
    with isolated_example():
        client = reader_client(discussion.writer)
        url = write_url(discussion)
        if answer_to is not None:
            # ?antwort= fills the hidden parent field of the form page.
            response = client.get(url, QUERY_STRING=query_string({"antwort": [answer_to]}))
            assert response.status_code == 200
        _, token = form_page(client, url)
        before = rows(*COMMENT_ROWS)

        response = send(client, url, token, fields, multipart)

        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert rows(*COMMENT_ROWS) == before
            return
        event("stored")
        comment = Comment.objects.exclude(pk__in=[pk for pk, *_ in before["comments.Comment"]])
        assert comment.count() == 1
        assert_clean_text(comment.get().text)
        assert response["Location"].endswith(f"#kommentar-{comment.get().pk}")
        again = send(client, url, token, fields, multipart)
        assert again.status_code == 302
        assert Comment.objects.count() == len(before["comments.Comment"]) + 1


@BUDGET
@given(text=WORDS, reply=st.booleans())
def test_generated_plain_comment_is_stored_exactly_once(discussion, text, reply):
    with isolated_example():
        client = reader_client(discussion.writer)
        url = write_url(discussion)
        page, token = form_page(client, url)
        key = page.context["form"]["key"].value()
        fields = {
            "text": [text],
            "key": [key],
            "parent": [str(discussion.other.pk) if reply else ""],
        }
        before = Comment.objects.count()

        first = send(client, url, token, fields)
        second = send(client, url, token, fields)  # a double click

        assert first.status_code == second.status_code == 302, visible_text(first)[-2000:]
        comment = Comment.objects.get(author=discussion.writer)
        assert Comment.objects.count() == before + 1
        assert comment.text == rules.normalise_text(text)
        assert comment.parent_id == (discussion.other.pk if reply else None)


@BUDGET
@given(
    fields=submissions(
        {"reason": "beleidigung", "details": "Siehe zweiter Satz."},
        special={"reason": st.sampled_from(["anderes", "Beleidigung", "", " spam"])},
    ),
    multipart=st.booleans(),
)
# Found by this test: control characters were stored in the report's reason, and a too
# long explanation came back as a 400 without saying what was wrong.
@example(fields={"reason": ["spam"], "details": ["\x08"]}, multipart=False)
@example(fields={"reason": ["spam"], "details": ["x" * 401]}, multipart=False)
def test_generated_report_is_refused_with_a_message_or_stored_once(discussion, fields, multipart):
    with isolated_example():
        client = reader_client(discussion.writer)
        url = reverse("comments:report", args=[discussion.other.pk])
        _, token = form_page(client, url)
        before = rows(*COMMENT_ROWS)

        response = send(client, url, token, fields, multipart)

        if response.status_code != 302:
            event("form refused")
            assert_refused_with_message(response)
            assert rows(*COMMENT_ROWS) == before
            return
        # Accepted by the form: the service stores the report or says why it does not,
        # on the page the reader is sent back to.
        shown = client.get(response["Location"]).content.decode()
        reports = CommentReport.objects.filter(reporter=discussion.writer)
        if not reports.exists():
            event("service refused")
            assert rows(*COMMENT_ROWS) == before
            assert "comment-message--error" in shown, shown[-2000:]
            return
        event("stored")
        assert "Danke für Ihre Meldung" in shown
        assert reports.count() == 1
        assert_clean_text(reports.get().reason)
        assert send(client, url, token, fields, multipart).status_code in (200, 302)
        assert reports.count() == 1


@BUDGET
@given(value=field_values("on"), multipart=st.booleans())
def test_generated_preferences_keep_one_row_per_reader(discussion, value, multipart):
    with isolated_example():
        client = reader_client(discussion.writer)
        url = reverse("comments:preferences")
        _, token = form_page(client, url)

        response = send(client, url, token, {"mail_on_rejection": value}, multipart)

        assert response.status_code == 302
        preferences = ReaderCommentPreferences.objects.filter(user=discussion.writer)
        assert preferences.count() == 1
