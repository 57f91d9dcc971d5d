"""State changes of reader accounts. Other apps (comments, support, demo data) create and
change readers only through these functions; allauth's own flows (sign-up, e-mail
confirmation, login, password reset, e-mail change) call into them through
lesefrei.accounts.forms and lesefrei.accounts.adapter."""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import ReaderProfile
from .pseudonyms import clean_pseudonym, pseudonym_key

logger = logging.getLogger(__name__)

PSEUDONYM_TAKEN = _("Dieses Pseudonym ist schon vergeben. Bitte wählen Sie ein anderes.")


class AccountDeletionRefused(Exception):
    """The account cannot be deleted by its owner (the message says why, in German)."""


def new_reader_username() -> str:
    """An opaque, unique login name; readers never see it and log in by e-mail."""
    return f"leser-{uuid.uuid4().hex[:20]}"


def valid_new_pseudonym(raw: object, *, user: AbstractBaseUser | None = None) -> str:
    """The normalised pseudonym if it is valid and free (for `user`, if given)."""
    value = clean_pseudonym(raw)
    taken = ReaderProfile.objects.filter(pseudonym_key=pseudonym_key(value))
    if user is not None and user.pk:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise ValidationError(PSEUDONYM_TAKEN, code="taken")
    return value


@transaction.atomic
def create_reader_profile(user: AbstractBaseUser, pseudonym: str) -> ReaderProfile:
    """The profile of a new reader; ValidationError when the pseudonym is invalid or
    taken (also when another sign-up took it a moment ago)."""
    value = valid_new_pseudonym(pseudonym, user=user)
    try:
        with transaction.atomic():
            return ReaderProfile.objects.create(user=user, pseudonym=value)
    except IntegrityError as error:
        raise ValidationError(PSEUDONYM_TAKEN, code="taken") from error


@transaction.atomic
def create_reader(
    email: str, pseudonym: str, password: str | None = None, *, verified: bool = False
) -> AbstractBaseUser:
    """A reader account with its profile and allauth e-mail address (confirmed or not).

    Raises ValidationError when the pseudonym is invalid or taken."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.create_user(username=new_reader_username(), email=email, password=password)
    create_reader_profile(user, pseudonym)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    logger.info("Reader account %s created (confirmed: %s)", user.pk, verified)
    return user


def next_pseudonym_change(profile: ReaderProfile) -> datetime | None:
    """When the reader may change the pseudonym again (None: now)."""
    days = settings.LESEFREI_PSEUDONYM_CHANGE_DAYS
    if not days or profile.pseudonym_changed_at is None:
        return None
    allowed = profile.pseudonym_changed_at + timedelta(days=days)
    return allowed if allowed > timezone.now() else None


@transaction.atomic
def change_pseudonym(user: AbstractBaseUser, pseudonym: str) -> ReaderProfile:
    """Give the reader a new pseudonym (or a first one, for accounts made without).

    Raises ValidationError when it is invalid, taken, or changed too recently."""
    from lesefrei.comments.services import author_renamed

    profile = ReaderProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return create_reader_profile(user, pseudonym)
    value = valid_new_pseudonym(pseudonym, user=user)
    if value == profile.pseudonym:
        return profile
    allowed_at = next_pseudonym_change(profile)
    if allowed_at is not None:
        raise ValidationError(
            _("Sie können Ihr Pseudonym erst am %(date)s wieder ändern.")
            % {"date": formats.date_format(timezone.localtime(allowed_at), "DATE_FORMAT")},
            code="too_soon",
        )
    profile.pseudonym = value
    profile.pseudonym_changed_at = timezone.now()
    try:
        with transaction.atomic():
            profile.save(update_fields=["pseudonym", "pseudonym_key", "pseudonym_changed_at"])
    except IntegrityError as error:
        raise ValidationError(PSEUDONYM_TAKEN, code="taken") from error
    # Cached comment lists and pages show the pseudonym: the next request shows the new one.
    author_renamed(user)
    logger.info("Reader %s changed the pseudonym", user.pk)
    return profile


def delete_account(user: AbstractBaseUser) -> None:
    """Delete a reader's account for good, at the reader's request.

    In one transaction: their comments are anonymised (they stay, shown as
    "gelöschtes Konto", with every link to the reader removed), then the user goes and
    with it the profile, allauth's e-mail addresses and confirmations. Sessions on
    other devices stop working at once (their user no longer exists); the caller logs
    out the current one.

    Pledges stay with their supporter record (the support app unlinks the account).

    Raises AccountDeletionRefused for staff accounts (they are managed in the CMS) and
    when another app protects a record that points to the user.
    """
    from django.db.models import ProtectedError, RestrictedError

    from lesefrei.comments.services import anonymise_comments_of

    if user.is_staff or user.is_superuser:
        raise AccountDeletionRefused(
            _("Konten der Redaktion werden in der Verwaltung gelöscht, nicht hier.")
        )
    user_id = user.pk
    try:
        with transaction.atomic():
            anonymised = anonymise_comments_of(user)
            user.delete()
    except (ProtectedError, RestrictedError) as error:
        logger.info("Deletion of reader account %s refused: protected records", user_id)
        raise AccountDeletionRefused(
            _(
                "Ihr Konto ist noch mit Vorgängen verbunden, die wir aufbewahren müssen. "
                "Bitte schreiben Sie uns, dann löschen wir es für Sie."
            )
        ) from error
    logger.info(
        "Reader account %s deleted at the reader's request (%s comments anonymised)",
        user_id,
        anonymised,
    )
