import hashlib
import re
from datetime import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page, Site

from lesefrei.accounts.pseudonyms import clean_pseudonym, pseudonym_key
from lesefrei.comments.models import ArticleCommentStats, Comment, Status
from lesefrei.comments.selectors import most_commented, rank_most_commented
from lesefrei.content.models import ArticlePage, AuthorPage, HomePage, SectionPage, Topic
from lesefrei.demo.corpus import Options, generate
from lesefrei.discovery.selectors import search_articles
from lesefrei.discovery.text import parse_query
from lesefrei.support import crypto
from lesefrei.support.banking import check_iban
from lesefrei.support.models import CollectionRun, Mandate, Pledge, Supporter
from lesefrei.support.selectors import campaign_progress

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 3, 17, 11, 0))
SMALL = {"articles": 40, "comments": 400, "supporters": 25, "batch_size": 7, "years": 1}


def run(**options) -> str:
    out = StringIO()
    args = [f"--{name.replace('_', '-')}={value}" for name, value in options.items()]
    call_command("generate_corpus", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        Page.objects.count(),
        get_user_model().objects.count(),
        Comment.objects.count(),
        Topic.objects.count(),
        Supporter.objects.count(),
        Pledge.objects.count(),
    )


def generated_articles():
    return ArticlePage.objects.filter(slug__startswith="korpus-")


def test_generated_pages_are_a_valid_tree_and_serve(client, settings):
    settings.LESEFREI_PAGE_SIZE = 2
    output = run(**SMALL, seed=3)

    assert Page.find_problems() == ([], [], [], [], [])
    articles = list(generated_articles().order_by("path"))
    assert len(articles) == 40
    for page in Page.objects.all():
        assert page.numchild == page.get_children().count(), page.url_path
        parent = page.get_parent()
        if parent is not None:
            assert page.url_path == f"{parent.url_path}{page.slug}/"
            assert page.locale_id == parent.locale_id
    for article in articles:
        assert article.live and article.first_published_at == article.published_at
        assert article.published_at <= timezone.now()
        assert article.kicker and article.teaser and article.authors and article.topics.exists()
        kinds = [block.block_type for block in article.body]
        assert kinds.count("paragraph") >= 6 and kinds.count("subheading") >= 2
    assert client.get(articles[0].url).status_code == 200
    assert client.get(articles[-1].url).status_code == 200

    section = SectionPage.objects.filter(numchild__gte=3).first()
    first_page = client.get(section.url)
    second_page = client.get(section.url, {"seite": 2})
    assert first_page.status_code == second_page.status_code == 200
    assert first_page.content != second_page.content

    author = AuthorPage.objects.filter(slug__startswith="korpus-", article_links__isnull=False)
    assert client.get(author.first().url).status_code == 200
    topic = articles[0].topics.first()
    assert client.get(f"/themen/{topic.slug}/").status_code == 200
    assert client.get("/").status_code == 200
    assert "Fertig in" in output and "40 Artikel" in output


def test_generated_articles_are_found_by_the_search(client):
    run(articles=12, seed=4)
    article = generated_articles().order_by("-published_at").first()
    words = [word for word in re.findall(r"\w+", article.title) if len(word) > 4][:3]

    hits = search_articles(parse_query(" ".join(words)))

    assert article.pk in {hit.article.pk for hit in hits}
    response = client.get("/suche/", {"q": " ".join(words)})
    assert response.status_code == 200 and "Treffer" in response.content.decode()


def test_comments_are_threaded_skewed_and_counted_like_the_site_counts_them():
    run(**SMALL, seed=5)
    comments = Comment.objects.select_related("article", "parent")
    assert comments.count() == 400
    replies = comments.filter(parent__isnull=False)
    assert 0.1 * 400 <= replies.count() <= 0.4 * 400
    for reply in replies:
        assert reply.parent.parent_id is None  # one level deep
        assert reply.parent.article_id == reply.article_id
        assert reply.parent.status == Status.APPROVED
        assert reply.created_at >= reply.parent.created_at
    for comment in comments:
        assert comment.article.published_at <= comment.created_at <= timezone.now()
        if comment.status == Status.APPROVED:
            assert comment.created_at <= comment.approved_at
    statuses = dict(comments.values_list("status").annotate(n=Count("pk")))
    assert statuses[Status.APPROVED] > 0.75 * 400

    per_article = (
        generated_articles()
        .annotate(
            n=Count("comments"),
            approved=Count("comments", filter=Q(comments__status=Status.APPROVED)),
        )
        .values_list("pk", "n", "approved")
    )
    numbers = sorted(n for _, n, _ in per_article)
    assert numbers[0] == 0 and numbers[-1] >= 5 * max(numbers[len(numbers) // 2], 1)
    stats = dict(ArticleCommentStats.objects.values_list("article_id", "approved_count"))
    for pk, _, approved in per_article:
        assert stats.get(pk, 0) == approved

    readers = get_user_model().objects.filter(username__startswith="korpus-")
    assert readers.exists()
    for reader in readers.select_related("reader_profile"):
        pseudonym = reader.reader_profile.pseudonym
        assert clean_pseudonym(pseudonym) == pseudonym
        assert reader.reader_profile.pseudonym_key == pseudonym_key(pseudonym)
        assert reader.email.endswith("@example.org")
    assert EmailAddress.objects.filter(user__in=readers, verified=True, primary=True).count() == (
        readers.count()
    )


def test_mandates_hold_valid_encrypted_ibans_and_sepa_export_collects_the_due_pledges():
    output = run(supporters=25, seed=6, batch_size=10)
    mandates = Mandate.objects.select_related("pledge")
    assert Supporter.objects.filter(email__startswith="korpus-").count() == 25
    assert mandates.count() == Pledge.objects.count() >= 25
    for mandate in mandates:
        iban = crypto.decrypt(mandate.iban_encrypted)
        checked = check_iban(iban)
        assert checked.iban == iban and iban.startswith("DE")
        assert mandate.iban_masked == crypto.mask_iban(iban)
        assert mandate.bic == checked.bic
        assert mandate.signed_on <= mandate.pledge.anchor_date
        assert 5 <= mandate.pledge.amount <= 1000
    due = int(re.search(r"Fällig: (\d+) Einzüge", output).group(1))
    until = re.search(r"--until (\S+)", output).group(1)
    assert due >= 20

    call_command("sepa_export", "--until", until, stdout=StringIO())

    run_ = CollectionRun.objects.get()
    assert run_.transaction_count == due
    assert run_.xml.count("<DrctDbtTxInf>") == due


def test_caches_show_the_generated_data_at_once(django_capture_on_commit_callbacks):
    before_ranking = most_commented()
    before_figure = campaign_progress()
    with django_capture_on_commit_callbacks(execute=True):
        run(articles=30, comments=300, supporters=20, seed=8, years=1)
    assert most_commented() == rank_most_commented()
    assert most_commented() != before_ranking
    after_figure = campaign_progress()
    assert after_figure["count"] > (before_figure or {"count": 0})["count"]


def fingerprint() -> str:
    rows = [
        *(
            (a.title, a.slug, a.kicker, a.teaser, a.published_at, a.place, list(a.body.raw_data))
            for a in generated_articles().order_by("path")
        ),
        *Comment.objects.order_by("created_at", "text").values_list("text", "status", "created_at"),
        *Mandate.objects.order_by("reference").values_list("reference", "iban_masked", "signed_on"),
        *Pledge.objects.order_by("form_token").values_list("form_token", "amount", "anchor_date"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def generate_and_roll_back(seed: int) -> str:
    with transaction.atomic():
        generate(Options(articles=10, comments=60, supporters=5, seed=seed, now=NOW))
        digest = fingerprint()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_corpus():
    first = generate_and_roll_back(11)
    assert first == generate_and_roll_back(11)
    assert first != generate_and_roll_back(12)


def test_running_again_adds_more_and_keeps_the_tree_valid(client):
    run(articles=8, comments=20, supporters=3, seed=1)
    run(articles=8, comments=20, supporters=3, seed=1)

    assert generated_articles().count() == 16
    assert Page.find_problems() == ([], [], [], [], [])
    slugs = list(ArticlePage.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    assert Supporter.objects.count() == 6 and Comment.objects.count() == 40
    for article in generated_articles():
        assert client.get(article.url).status_code == 200


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"articles": -1}, "--articles"),
        ({"supporters": -5}, "--supporters"),
        ({"comments": 10}, "--comments braucht --articles"),
        ({"articles": 5, "batch_size": 0}, "--batch-size"),
        ({"articles": 5, "now": "gestern"}, "--now"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(arguments, message):
    before = counts()
    with pytest.raises(CommandError, match=message):
        run(**arguments)
    assert counts() == before


def test_without_a_home_page_it_asks_for_migrate():
    Site.objects.all().delete()
    for home in HomePage.objects.all():
        home.delete()
    before = counts()
    with pytest.raises(CommandError, match="migrate"):
        run(articles=5)
    assert counts() == before
