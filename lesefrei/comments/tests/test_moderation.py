"""The moderation queue in the CMS and the moderation services behind it."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lesefrei.comments import selectors, services
from lesefrei.comments.models import Ban, Comment, ModerationAction, RejectionReason, Status

from . import factories

pytestmark = pytest.mark.django_db
QUEUE = "/cms/kommentare/"


def act(client, action: str, comment: Comment, **extra):
    data = {"single": f"{action}:{comment.pk}", "status": "offen", **extra}
    return client.post(QUEUE, data)


def test_queue_shows_pending_and_reported_oldest_first_with_context(client):
    article = factories.article(kicker="Streit um den Wolf", headline="Schäfer fordern Hilfe")
    author = factories.reader("Bernd_57")
    top = factories.comment(article, factories.reader("Paula"), "Der Anfang.", approve=True)
    older = factories.comment(article, author, "Erst dieser.", parent=top)
    Comment.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=2))
    newer = factories.comment(article, author, "Dann dieser.")
    reported = factories.comment(article, factories.reader(), "Gemeldet.", approve=True)
    Comment.objects.filter(pk=reported.pk).update(created_at=timezone.now() - timedelta(hours=1))
    services.report_comment(reported, factories.reader(), "Spam")
    rejected = factories.comment(article, author, "Abgelehnt.")
    services.reject_comment(rejected, None, "Spam", notify=False)
    client.force_login(factories.moderator())

    response = client.get(QUEUE)
    html = response.content.decode()

    assert [c.pk for c in response.context["items"]] == [older.pk, reported.pk, newer.pk]
    assert "Streit um den Wolf" in html and "Schäfer fordern Hilfe" in html
    assert "Bernd_57" in html and "0 freigeschaltet, 1 abgelehnt" in html
    assert "Antwort auf Paula:" in html and "Der Anfang." in html
    assert "Meldung: Spam" in html
    assert "Tastaturkürzel" in html and "comments-moderation.js" in html


def test_queue_filters_by_article_and_status(client):
    first, second = factories.article(), factories.article()
    mine = factories.comment(first)
    factories.comment(second)
    approved = factories.comment(first, approve=True)
    client.force_login(factories.moderator())
    by_article = client.get(QUEUE, {"artikel": first.pk}).context["items"]
    assert [c.pk for c in by_article] == [mine.pk]
    by_status = client.get(QUEUE, {"status": "freigeschaltet"}).context["items"]
    assert [c.pk for c in by_status] == [approved.pk]
    assert client.get(QUEUE, {"status": "<script>", "artikel": "x'"}).status_code == 200


def test_approve_from_the_queue_shows_the_comment_and_counts_it(client):
    article = factories.article()
    comment = factories.comment(article, text="Bitte freischalten.")
    moderator = factories.moderator()
    client.force_login(moderator)
    response = act(client, "approve", comment, position="0")
    assert response.status_code == 302 and "pos=0" in response["Location"]
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert selectors.approved_count(article.pk) == 1
    entry = ModerationAction.objects.get(action="approve")
    assert entry.moderator == moderator and entry.comment == comment


def test_reject_mails_the_reason_to_the_author(client, django_capture_on_commit_callbacks):
    article = factories.article(headline="Wohnungsnot in Göttingen")
    comment = factories.comment(article, text="Unsachlich.")
    reason = RejectionReason.objects.get(label="Beleidigung")
    client.force_login(factories.moderator())
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "reject", comment, **{f"reason-{comment.pk}": reason.pk})
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED and comment.rejection_reason == "Beleidigung"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [comment.author.email]
    assert "Wohnungsnot in Göttingen" in message.subject
    assert reason.text in message.body and "Unsachlich." in message.body
    assert reverse("comments:preferences") in message.body
    entry = ModerationAction.objects.get(action="reject")
    assert entry.reason == "Beleidigung"


def test_reader_who_opted_out_gets_no_rejection_mail(client, django_capture_on_commit_callbacks):
    comment = factories.comment(factories.article())
    client.force_login(comment.author)
    client.post(reverse("comments:preferences"), {})
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_comment(comment, None, RejectionReason.objects.first())
    assert [m.subject for m in mail.outbox] == []


def test_reject_without_a_reason_changes_nothing(client):
    comment = factories.comment(factories.article())
    client.force_login(factories.moderator())
    response = act(client, "reject", comment)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_bulk_approve_and_bulk_reject_of_a_selection(client):
    article = factories.article()
    a, b, c = (factories.comment(article) for _ in range(3))
    client.force_login(factories.moderator())
    client.post(QUEUE, {"bulk": "approve", "selected": [a.pk, b.pk]})
    reason = RejectionReason.objects.first()
    client.post(QUEUE, {"bulk": "reject", "selected": [c.pk], "bulk_reason": reason.pk})
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "approved", b.pk: "approved", c.pk: "rejected"}
    assert selectors.approved_count(article.pk) == 2


def test_approving_a_reported_comment_dismisses_its_reports(client):
    article = factories.article()
    comment = factories.comment(article, approve=True)
    services.report_comment(comment, factories.reader(), "Spam")
    client.force_login(factories.moderator())
    act(client, "approve", comment)
    comment.refresh_from_db()
    assert comment.open_reports == 0 and comment.reports.get().resolved_at is not None
    assert comment not in selectors.moderation_queue("offen")
    assert selectors.approved_count(article.pk) == 1


def test_ban_rejects_pending_comments_and_blocks_writing(client):
    article = factories.article()
    reader = factories.reader()
    pending = [factories.comment(article, reader) for _ in range(2)]
    shown = factories.comment(article, reader, approve=True)
    client.force_login(factories.moderator())
    response = client.post(
        reverse("comments_admin:ban", args=[reader.pk]), {"until": "", "reason": "Hetze"}
    )
    assert response.status_code == 302
    ban = Ban.objects.get(user=reader)
    assert ban.is_permanent
    assert all(
        status == "rejected"
        for status in Comment.objects.filter(pk__in=[p.pk for p in pending]).values_list(
            "status", flat=True
        )
    )
    shown.refresh_from_db()
    assert shown.status == Status.APPROVED
    assert ModerationAction.objects.filter(action="ban", reader=reader).exists()
    client.force_login(reader)
    page = client.get(reverse("comments:write", args=[article.pk])).content.decode()
    assert "dauerhaft für Kommentare gesperrt" in page


def test_ban_with_a_past_end_date_is_refused(client):
    reader = factories.reader()
    client.force_login(factories.moderator())
    response = client.post(reverse("comments_admin:ban", args=[reader.pk]), {"until": "2001-01-01"})
    assert response.status_code == 200
    assert "in der Zukunft" in response.content.decode()
    assert not Ban.objects.exists()


def test_lifting_a_ban_allows_writing_again(client):
    reader = factories.reader()
    ban = services.ban_reader(reader, None)
    client.force_login(factories.moderator())
    client.post(reverse("comments_admin:lift", args=[ban.pk]))
    assert services.post_comment(reader, factories.article(), "Danke.").created


def test_editors_pick_is_shown_first_and_only_editors_with_permission_may_pick(client):
    article = factories.article()
    first = factories.comment(article, text="Der beste Gedanke.", approve=True)
    factories.comment(article, text="Ein neuerer Gedanke.", approve=True)
    editor = get_user_model().objects.create_user("redakteurin", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    act(client, "pick", first)
    first.refresh_from_db()
    assert first.is_pick
    threads = selectors.article_threads(article.pk, "empfehlungen")
    assert threads[0].id == first.pk
    page = client.get(reverse("comments:list", args=[article.pk]), {"sortierung": "empfehlungen"})
    assert "Empfehlung der Redaktion" in page.content.decode()
    # Editors may pick, not approve or reject.
    pending = factories.comment(article)
    refused = act(client, "approve", pending)
    assert refused.status_code in {302, 403}
    assert not refused.get("Location", "").startswith(QUEUE)
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_queue_is_closed_to_readers_and_anonymous_visitors(client):
    assert client.get(QUEUE).status_code == 302
    reader = factories.reader()
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    assert client.get(QUEUE).status_code in {302, 403}


def test_every_moderation_action_is_logged_with_who_when_what_why():
    article = factories.article()
    moderator = factories.moderator()
    comment = factories.comment(article)
    services.approve_comment(comment, moderator)
    services.pick_comment(comment, moderator)
    services.report_comment(comment, factories.reader(), "Falsch")
    services.reject_comment(comment, moderator, "Falschbehauptung", notify=False)
    other = factories.comment(article, approve=True)
    services.delete_comment(other, moderator, "Rechtliche Gründe")
    reader = factories.reader()
    ban = services.ban_reader(reader, moderator, reason="Spam")
    services.lift_ban(ban, moderator)
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    for expected in ["approve", "pick", "report", "reject", "delete", "ban", "unban"]:
        assert expected in actions
    rejection = ModerationAction.objects.get(action="reject")
    assert rejection.moderator == moderator and rejection.reason == "Falschbehauptung"
    assert rejection.created_at is not None
    assert ModerationAction.objects.get(action="delete").reason == "Rechtliche Gründe"


def test_log_ban_and_reason_pages_render_for_moderators(client):
    services.ban_reader(factories.reader(), None, reason="<b>fett</b>")
    client.force_login(factories.moderator())
    for url in [
        reverse("comments_admin:log"),
        reverse("comments_admin:bans"),
        reverse("wagtailsnippets_comments_rejectionreason:list"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "<b>fett</b>" not in client.get(reverse("comments_admin:bans")).content.decode()


def test_community_moderation_group_and_wagtail_moderators_may_moderate():
    for name in ["Community-Moderation", "Moderators"]:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"moderate_comment", "pick_comment"} <= codenames
    assert "access_admin" in set(
        Group.objects.get(name="Community-Moderation").permissions.values_list(
            "codename", flat=True
        )
    )
