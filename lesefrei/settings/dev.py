"""The embedded profile: `make demo` and `manage.py` use it unless told otherwise."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", False)
