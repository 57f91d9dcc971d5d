"""Small builders for comment tests, made through the same services the site uses."""

from itertools import count
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from lesefrei.accounts.services import create_reader
from lesefrei.comments import services
from lesefrei.comments.models import Comment, CommentSettings
from lesefrei.content.models import ArticlePage
from tests import factories

_sequence = count(1)


def reader(pseudonym: str | None = None, *, verified: bool = True) -> AbstractBaseUser:
    number = next(_sequence)
    pseudonym = pseudonym or f"Leserin{number}"
    return create_reader(f"leser{number}@example.org", pseudonym, "geheim-123", verified=verified)


def moderator() -> AbstractBaseUser:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=f"moderation{next(_sequence)}", password="geheim-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Community-Moderation"))
    return user


def article(**fields: Any) -> ArticlePage:
    return factories.article(**fields)


def comment(
    on: ArticlePage,
    by: AbstractBaseUser | None = None,
    text: str | None = None,
    *,
    approve: bool = False,
    parent: Comment | None = None,
) -> Comment:
    """A pending comment (approved when `approve`), posted through post_comment; the
    rate limit is the test's business only where it tests it."""
    from django.core.cache import cache

    by = by or reader()
    result = services.post_comment(
        by, on, text or f"Ein Kommentar, Nummer {next(_sequence)}.", parent=parent
    )
    cache.delete_many([f"comments:rate:last:{by.pk}"])
    if approve:
        return services.approve_comment(result.comment, None)
    return result.comment


def site_settings(**values: Any) -> CommentSettings:
    from wagtail.models import Site

    settings_object = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings_object, name, value)
    settings_object.save()
    return settings_object
