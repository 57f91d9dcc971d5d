"""Date and number formats per language (settings.FORMAT_MODULE_PATH), on top of Django's
own: only what a newsroom writes differently from Django's defaults. Money is formatted by
lesefrei.site.l10n.format_money."""
