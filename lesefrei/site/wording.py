"""Strings of Wagtail and Django whose wording the project replaces for its staff.

Wagtail's German catalogue leaves some of its words in English ("Go-Live", "Home",
"Dashboard") or says them in a way a newsroom does not. The project's catalogue
(lesefrei/locale, searched before every app's own) carries our wording for these
msgids; marking them here with gettext_noop keeps them in the catalogue when
`makemessages` runs again. The English catalogue keeps Wagtail's own English.
"""

from django.utils.translation import gettext_noop

WAGTAIL_WORDING = [
    gettext_noop("Go-live:"),
    gettext_noop("Home"),
    gettext_noop("Dashboard"),
]
