"""State changes of reader accounts. Other apps (comments, support, demo data) create and
change readers only through these functions."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import ReaderProfile


@transaction.atomic
def create_reader(
    email: str, pseudonym: str, password: str | None = None, *, verified: bool = False
) -> AbstractBaseUser:
    """A reader account with its profile and allauth e-mail address (confirmed or not)."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.create_user(username=email.lower(), email=email.lower(), password=password)
    ReaderProfile.objects.create(user=user, pseudonym=pseudonym)
    EmailAddress.objects.create(user=user, email=email.lower(), primary=True, verified=verified)
    return user
