"""Encryption of IBANs at rest (Fernet, from `cryptography`) and their masked display.

Keys come from SUPPORT_IBAN_KEYS (comma-separated, newest first: MultiFernet encrypts
with the first and decrypts with any, so a new key can be put in front and old
ciphertexts re-encrypted with `manage.py rotate_iban_keys`). Without that setting the
embedded profile creates one key in SUPPORT_IBAN_KEY_FILE (under var/, never committed).
"""

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key_from_file(path: Path) -> str:
    """The key in `path`, created atomically when missing (several processes may start
    at once: the first link wins, the others read its key)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_bytes(Fernet.generate_key())
        temporary.chmod(0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text(encoding="ascii").strip()


def configured_keys() -> list[str]:
    keys = list(settings.SUPPORT_IBAN_KEYS)
    if not keys:
        keys = [_key_from_file(Path(settings.SUPPORT_IBAN_KEY_FILE))]
    return keys


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SUPPORT_IBAN_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), "
            "e.g. python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'."
        ) from error


def fernet() -> MultiFernet:
    return _fernet(tuple(configured_keys()))


def encrypt(iban: str) -> str:
    return fernet().encrypt(iban.encode("ascii")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An IBAN cannot be decrypted with SUPPORT_IBAN_KEYS: a key in use is missing."
        ) from error


def rotate(token: str) -> str:
    """The same IBAN encrypted with the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def mask_iban(iban: str) -> str:
    """DE89370400440532013000 → DE89 **** **** **** **30 00: country, check digits and
    the last four characters stay readable, so a supporter recognises their account."""
    compact = "".join(iban.split()).upper()
    masked = compact[:4] + "*" * max(len(compact) - 8, 0) + compact[-4:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))
