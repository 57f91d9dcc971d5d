"""The embedded profile: `make demo` and `manage.py` use it unless told otherwise."""

from .base import *  # noqa: F403
