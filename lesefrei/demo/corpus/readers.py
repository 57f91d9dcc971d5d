"""The corpus's reader accounts: confirmed, with a pseudonym the site would accept and
the demo password, as the sign-up (lesefrei.accounts.services.create_reader) leaves them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from lesefrei.accounts.models import ReaderProfile
from lesefrei.accounts.pseudonyms import clean_pseudonym, pseudonym_key
from lesefrei.content.slugs import german_slug

from ..logins import DEMO_PASSWORD
from . import words
from .bulk import batched, given_creation_times

if TYPE_CHECKING:
    from .generator import Generator


def readers(gen: Generator, count: int) -> list[int]:
    """`count` new readers (user names <prefix>leser-<n>); their ids."""
    User = get_user_model()
    rnd = gen.rnd
    password = make_password(DEMO_PASSWORD)
    number = gen.next_number(User.objects.all(), "username")
    ids: list[int] = []
    for chunk in batched(range(count), gen.options.batch_size):
        users, pseudonyms = [], []
        for _ in chunk:
            first, last = words.person(rnd)
            place = rnd.choice(words.PLACES)
            wish = [
                f"{first} {last[0]}.",
                f"{first}_{place}",
                f"{first}{rnd.randint(10, 99)}",
                f"{first} aus {place}",
                f"{last}{rnd.randint(1, 999)}",
            ][rnd.randrange(5)]
            try:
                pseudonym = clean_pseudonym(wish)
            except ValidationError:
                pseudonym = f"Leser_{number}"
            pseudonyms.append(pseudonym)
            local = german_slug(f"{first}-{last}", max_length=40)
            users.append(
                User(
                    username=f"{gen.prefix}leser-{number}",
                    email=f"{gen.prefix}{local}-{number}@example.org",
                    password=password,
                    date_joined=gen.now,
                )
            )
            number += 1
        # Unique by pseudonym_key, here and against every reader already stored:
        # a taken one gets the reader's own number.
        keys = [pseudonym_key(pseudonym) for pseudonym in pseudonyms]
        taken = set(
            ReaderProfile.objects.filter(pseudonym_key__in=keys).values_list(
                "pseudonym_key", flat=True
            )
        )
        seen: set[str] = set()
        for position, key in enumerate(keys):
            if key in taken or key in seen:
                suffix = users[position].username.rsplit("-", 1)[1]
                pseudonyms[position] = f"{pseudonyms[position][:30]}_{suffix}"
            seen.add(pseudonym_key(pseudonyms[position]))
        User.objects.bulk_create(users, batch_size=gen.options.batch_size)
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=user, email=user.email, primary=True, verified=True)
                for user in users
            ],
            batch_size=gen.options.batch_size,
        )
        with given_creation_times((ReaderProfile, "created_at")):
            ReaderProfile.objects.bulk_create(
                [
                    ReaderProfile(
                        user=user,
                        pseudonym=pseudonym,
                        pseudonym_key=pseudonym_key(pseudonym),
                        created_at=gen.now,
                    )
                    for user, pseudonym in zip(users, pseudonyms, strict=True)
                ],
                batch_size=gen.options.batch_size,
            )
        ids.extend(user.pk for user in users)
    gen.report.readers += len(ids)
    return ids
