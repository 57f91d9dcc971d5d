"""Signals for decoupled side effects of comment changes (no business rules here).

`comments_changed` is sent after every committed change that alters what readers see
(approval, rejection, deletion, pick, anonymisation), with the ids of the articles
concerned: a front-end cache (nginx, CDN, Wagtail's frontend_cache) can purge those
article pages and their comment pages.
"""

from django.dispatch import Signal

comments_changed = Signal()
