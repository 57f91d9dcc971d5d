"""Demo data of this app, loaded by `manage.py load_demo_content` after the articles."""

from typing import TextIO


def load(out: TextIO) -> None:
    """Nothing yet: this app's issue adds its demo data here."""
