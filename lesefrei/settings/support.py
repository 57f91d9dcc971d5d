"""Settings of lesefrei.support, read from the environment like the rest (see README).

The defaults are the demo newsroom's: a syntactically valid test creditor identifier
and test IBAN, so that `make demo` writes SEPA files a bank's test portal accepts but
no real bank would book.
"""

from .environment import BASE_DIR, env, env_decimal, env_int, env_int_list, env_list

SUPPORT_CREDITOR_NAME = env("SUPPORT_CREDITOR_NAME", "lesefrei Verlagsgenossenschaft eG")
# Gläubiger-Identifikationsnummer (creditor identifier), issued by the Bundesbank.
SUPPORT_CREDITOR_ID = env("SUPPORT_CREDITOR_ID", "DE98ZZZ09999999999")
SUPPORT_CREDITOR_IBAN = env("SUPPORT_CREDITOR_IBAN", "DE75512108001245126199")
# Derived from the IBAN when empty (schwifty's bank registry).
SUPPORT_CREDITOR_BIC = env("SUPPORT_CREDITOR_BIC")

SUPPORT_MIN_AMOUNT = env_decimal("SUPPORT_MIN_AMOUNT", "5")
SUPPORT_MAX_AMOUNT = env_decimal("SUPPORT_MAX_AMOUNT", "1000")
SUPPORT_PRESET_AMOUNTS = env_int_list("SUPPORT_PRESET_AMOUNTS", "5,10,15,25")
# Days between the pre-notification (confirmation mail) and the first debit; the mandate
# text tells the debtor about this shortened period (the SEPA default is 14 days).
SUPPORT_PRENOTIFICATION_DAYS = env_int("SUPPORT_PRENOTIFICATION_DAYS", 14)
# A mandate unused this long expires (SEPA rulebook: 36 months).
SUPPORT_MANDATE_EXPIRY_MONTHS = env_int("SUPPORT_MANDATE_EXPIRY_MONTHS", 36)
# How long the self-service link in a confirmation mail works.
SUPPORT_LINK_MAX_AGE_DAYS = env_int("SUPPORT_LINK_MAX_AGE_DAYS", 60)
# How long the campaign figure is cached at most (it is refreshed on every change anyway).
SUPPORT_PROGRESS_CACHE_SECONDS = env_int("SUPPORT_PROGRESS_CACHE_SECONDS", 3600)

# Fernet keys for the IBANs, comma-separated, newest first (the first encrypts, all
# decrypt: MultiFernet rotation). Without them the embedded profile generates one key
# and keeps it in SUPPORT_IBAN_KEY_FILE; `manage.py check --deploy` refuses that.
SUPPORT_IBAN_KEYS = env_list("SUPPORT_IBAN_KEYS")
SUPPORT_IBAN_KEY_FILE = env("SUPPORT_IBAN_KEY_FILE", str(BASE_DIR / "var" / "support-iban.key"))
