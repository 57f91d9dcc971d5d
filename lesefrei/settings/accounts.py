"""Settings of lesefrei.accounts, read from the environment like the rest (see README).

Reader accounts are django-allauth's: readers sign up with e-mail, pseudonym and
password, must confirm the e-mail address before they can log in, and log in with the
e-mail address. Everything below is allauth's own configuration; base.py sets three more
beside the values they derive from: ACCOUNT_EMAIL_SUBJECT_PREFIX and
ACCOUNT_DEFAULT_HTTP_PROTOCOL (SITE_NAME, SITE_URL) and ALLAUTH_TRUSTED_PROXY_COUNT
(LESEFREI_TRUSTED_PROXIES, which the API's rate limit reads too).
"""

from .environment import env, env_int

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "reader_account"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "lesefrei.accounts.adapter.ReaderAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# allauth's forms with lesefrei's labels; sign-up adds the pseudonym.
ACCOUNT_FORMS = {
    "signup": "lesefrei.accounts.forms.SignupForm",
    "login": "lesefrei.accounts.forms.LoginForm",
    "add_email": "lesefrei.accounts.forms.AddEmailForm",
    "change_password": "lesefrei.accounts.forms.ChangePasswordForm",
    "reset_password": "lesefrei.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "lesefrei.accounts.forms.ResetPasswordKeyForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Changing the address adds the new one unconfirmed; the old one stays until the new
# one is confirmed, so a reader never loses the right to comment by a typo.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_USER_DISPLAY = "lesefrei.accounts.selectors.display_name"
# allauth's rate limits count an IPv6 client by its /64 network (lesefrei's client hash too).
ALLAUTH_RATE_LIMIT_IPV6_PREFIX = 64

# Rate limits (allauth, kept in Django's cache: Redis in production, so they hold
# across processes). "ip" means the client, which lesefrei's adapter turns into a keyed
# hash before allauth builds a cache key; "key" is the e-mail address, hashed by allauth.
ACCOUNT_RATE_LIMITS = {
    # Any login POST per client.
    "login": env("ACCOUNT_RATE_LOGIN", "30/m/ip"),
    # Failed logins per client and per account (the e-mail address entered).
    "login_failed": env("ACCOUNT_RATE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    # Sign-up POSTs per client.
    "signup": env("ACCOUNT_RATE_SIGNUP", "10/h/ip"),
    # Sign-ups per account (e-mail address): lesefrei's own action, consumed by the form.
    "signup_email": env("ACCOUNT_RATE_SIGNUP_EMAIL", "3/h/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    # At most one confirmation mail per address every three minutes.
    "confirm_email": "1/3m/key",
    # Messages through the contact form of a legal page (lesefrei.pages) per client.
    "contact": env("LESEFREI_CONTACT_RATE", "5/h/ip"),
}

# "Angemeldet bleiben" keeps the session for SESSION_COOKIE_AGE (Django's two weeks);
# unticked, it ends with the browser.
ACCOUNT_SESSION_REMEMBER = None

# A reader may change the pseudonym at most once in this many days (0: any time), so
# that a discussion keeps recognisable names.
LESEFREI_PSEUDONYM_CHANGE_DAYS = env_int("LESEFREI_PSEUDONYM_CHANGE_DAYS", 30)
