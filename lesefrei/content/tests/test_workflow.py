"""The two-step workflow (editor submits, editor-in-chief approves and publishes) under
double clicks and concurrent POSTs: the article is live and the workflow says so, or
neither; a repeated action gets a message, never a 500 (content/workflow.py)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from wagtail import hooks
from wagtail.models import Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from lesefrei.content.models import ArticlePage
from lesefrei.content.workflow import EDITORIAL_WORKFLOW
from tests import factories

pytestmark = pytest.mark.django_db


def staff(username: str, group: str):
    user = get_user_model().objects.create_user(
        username=username, password="geheim-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def submitted_article(headline: str = "Der Rat beschließt den Wärmeplan") -> ArticlePage:
    """A draft that the editor has submitted to the editorial workflow."""
    editor = staff("redaktion", "Editors")
    article = factories.article(headline=headline, publish=False)
    article.save_revision(user=editor)
    article.get_workflow().start(article, editor)
    return ArticlePage.objects.get(pk=article.pk)


def approve_and_publish_form(article: ArticlePage) -> dict:
    """The edit form as the editor-in-chief sends it with Mehr Aktionen → Freigeben und
    Veröffentlichen (unchanged content)."""
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "kicker": article.kicker,
            "teaser": article.teaser,
            "article_authors": inline_formset([]),
            "place": article.place,
            "published_at": "",
            "updated_at": "",
            "lead_image": "",
            "lead_image_caption": "",
            "body": streamfield(
                [("paragraph", rich_text("<p>Der erste Absatz erzählt, was geschehen ist.</p>"))]
            ),
            "topics": "",
            "correction": rich_text(""),
            "comments_mode": "open",
            "comments_close_after_days": "14",
            "comments": inline_formset([]),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": "{}",
        }
    )


def chief_client(user=None) -> Client:
    client = Client()
    client.force_login(user or staff("chefredaktion", "Moderators"))
    return client


def workflow_status(article: ArticlePage) -> str:
    return WorkflowState.objects.filter(object_id=str(article.pk)).get().status


def test_demo_workflow_has_a_german_name():
    workflow = Workflow.objects.get(active=True)
    assert workflow.name == EDITORIAL_WORKFLOW
    assert [task.name for task in workflow.tasks] == [EDITORIAL_WORKFLOW]


def test_approve_and_publish_puts_the_article_live_and_approves_the_workflow():
    article = submitted_article()
    chief = chief_client()

    response = chief.post(f"/cms/pages/{article.pk}/edit/", approve_and_publish_form(article))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live and workflow_status(article) == WorkflowState.STATUS_APPROVED
    assert Client().get(article.url).status_code == 200


def test_second_approve_and_publish_click_gets_a_message_and_changes_nothing():
    article = submitted_article()
    chief = chief_client()
    data = approve_and_publish_form(article)
    assert chief.post(f"/cms/pages/{article.pk}/edit/", data).status_code == 302
    revisions = article.revisions.count()

    response = chief.post(f"/cms/pages/{article.pk}/edit/", data, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "schon erledigt" in html and "freigegeben und veröffentlicht" in html
    article.refresh_from_db()
    assert article.live and not article.has_unpublished_changes
    assert article.revisions.count() == revisions
    assert workflow_status(article) == WorkflowState.STATUS_APPROVED


def test_approving_a_task_twice_from_the_dashboard_gets_a_message():
    article = submitted_article()
    chief = chief_client()
    task_state = article.current_workflow_task_state
    url = f"/cms/pages/workflow/action/{article.pk}/approve/{task_state.pk}/"

    first = chief.post(url, {"comment": ""})
    second = chief.post(url, {"comment": ""}, follow=True)

    assert first.status_code == 302 and second.status_code == 200
    assert "schon erledigt" in second.content.decode()
    article.refresh_from_db()
    assert article.live and workflow_status(article) == WorkflowState.STATUS_APPROVED


def test_failed_publication_leaves_the_article_in_review_not_half_approved():
    from wagtail.signals import page_published

    article = submitted_article()
    chief = chief_client()
    chief.raise_request_exception = False

    def broken_receiver(sender, **kwargs):
        raise RuntimeError("Suchindex nicht erreichbar")

    page_published.connect(broken_receiver)
    try:
        response = chief.post(f"/cms/pages/{article.pk}/edit/", approve_and_publish_form(article))
    finally:
        page_published.disconnect(broken_receiver)

    assert response.status_code == 500  # a fault of the server, not of the editor
    article.refresh_from_db()
    assert not article.live
    assert workflow_status(article) == WorkflowState.STATUS_IN_PROGRESS
    # Once the fault is gone, the same click works.
    assert chief.post(f"/cms/pages/{article.pk}/edit/", approve_and_publish_form(article))
    article.refresh_from_db()
    assert article.live and workflow_status(article) == WorkflowState.STATUS_APPROVED


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_second_post_racing_the_approval_never_takes_the_article_offline():
    """The reported interleaving, made certain: the second POST (a double click or an
    autosave) reads the page while the approval is publishing it, before it commits."""
    from django.db import connections
    from wagtail.signals import page_published

    article = submitted_article()
    data = approve_and_publish_form(article)
    clients = {"first": chief_client(), "second": Client()}
    clients["second"].force_login(get_user_model().objects.get(username="chefredaktion"))
    publishing, second_has_read = threading.Event(), threading.Event()
    responses: dict[str, int] = {}

    def hold_publication(sender, **kwargs):
        publishing.set()
        second_has_read.wait(3)  # without the fix the second POST reads now

    def note_read(request, page):
        if threading.current_thread().name == "second":
            second_has_read.set()

    def post(name: str) -> None:
        try:
            client = clients[name]
            client.raise_request_exception = False
            if name == "second":
                publishing.wait(10)
            responses[name] = client.post(f"/cms/pages/{article.pk}/edit/", data).status_code
        finally:
            connections.close_all()

    page_published.connect(hold_publication)
    try:
        with hooks.register_temporarily("before_edit_page", note_read):
            threads = [threading.Thread(target=post, args=(n,), name=n) for n in ("first",)]
            threads[0].start()
            publishing.wait(10)
            threads.append(threading.Thread(target=post, args=("second",), name="second"))
            threads[1].start()
            for thread in threads:
                thread.join(30)
    finally:
        page_published.disconnect(hold_publication)

    assert responses == {"first": 302, "second": 302}
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and workflow_status(article) == WorkflowState.STATUS_APPROVED
    assert Client().get(article.url).status_code == 200
