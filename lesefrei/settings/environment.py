"""How lesefrei's settings read the environment: every settings module uses these readers
and nothing else, so each variable means the same kind of value everywhere.

An unset variable gives the default. So does an empty one, except for text and lists,
where empty is a value of its own (`REDIS_URL=` means no Redis, `ALLOWED_HOSTS=` no host).
A value that cannot be read stops the start with `ImproperlyConfigured` naming the
variable, instead of a bare `ValueError` from deep inside a settings module or, worse,
a typo silently read as "off".

This module imports no other settings module, so every one of them may import it.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from os import environ
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# The project folder: the embedded profile keeps its database, uploads, mail and key there.
BASE_DIR = Path(__file__).resolve().parent.parent.parent

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env(name: str, default: str = "") -> str:
    """The variable as text, or `default` when it is unset."""
    return environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated text as a list, blanks around and between the commas dropped."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _given(name: str) -> str | None:
    """The variable's value, or None when it is unset or empty (the default applies)."""
    value = environ.get(name, "")
    return value if value.strip() else None


def _refuse(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{name}={value!r}: expected {expected} (unset it for the default)."
    )


def env_bool(name: str, default: bool) -> bool:
    """On with 1, true, yes or on; off with 0, false, no or off (any case)."""
    value = _given(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _refuse(name, value, "on or off (1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    value = _given(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise _refuse(name, value, "a whole number") from None


def env_decimal(name: str, default: str) -> Decimal:
    """A decimal number with a point, e.g. 7.50 (amounts of money)."""
    value = _given(name) or default
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise _refuse(name, value, "a number such as 5 or 7.50")
    return number


def env_int_list(name: str, default: str = "") -> list[int]:
    """Comma-separated whole numbers, e.g. 5,10,15,25."""
    try:
        return [int(item) for item in env_list(name, default)]
    except ValueError:
        raise _refuse(name, env(name, default), "whole numbers separated by commas") from None


def env_choice(name: str, choices: Iterable[str], default: str) -> str:
    """One of a few words (any case), e.g. MAIL_BACKEND=smtp."""
    choices = list(choices)
    value = _given(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word not in choices:
        raise _refuse(name, value, "one of " + ", ".join(choices))
    return word
