"""Small builders for reader accounts, made through the same services as sign-up."""

from itertools import count

from django.contrib.auth.models import AbstractBaseUser

from lesefrei.accounts.services import create_reader

PASSWORD = "ein-gutes-passwort-1848"
_sequence = count(1)


def reader(
    pseudonym: str | None = None,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    verified: bool = True,
) -> AbstractBaseUser:
    number = next(_sequence)
    return create_reader(
        email or f"leserin{number}@example.org",
        pseudonym or f"Leserin {number}",
        password,
        verified=verified,
    )
