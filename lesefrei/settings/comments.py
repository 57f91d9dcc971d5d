"""Settings of lesefrei.comments, read from the environment like the rest (see README).

The switches a newsroom changes day to day (pre- or post-moderation, banned words) live
in the CMS (Einstellungen → Kommentare); these are the operator's limits and defaults.
"""

from .environment import env_choice, env_int

# Longest comment in characters (after trimming); longer ones are refused with a message.
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 1500)
# More links than this send a comment to the moderation queue (even from trusted readers) …
COMMENTS_LINK_LIMIT = env_int("COMMENTS_LINK_LIMIT", 2)
# … and more than this are refused outright.
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 5)
# Rate limit per reader: at most COMMENTS_RATE_LIMIT comments in COMMENTS_RATE_WINDOW
# seconds, and at least COMMENTS_MIN_INTERVAL seconds between two comments. Counted in
# Django's cache (Redis in production, so it holds across app servers).
COMMENTS_RATE_LIMIT = env_int("COMMENTS_RATE_LIMIT", 5)
COMMENTS_RATE_WINDOW = env_int("COMMENTS_RATE_WINDOW", 600)
COMMENTS_MIN_INTERVAL = env_int("COMMENTS_MIN_INTERVAL", 15)
# Reports per reader and hour.
COMMENTS_REPORT_RATE_LIMIT = env_int("COMMENTS_REPORT_RATE_LIMIT", 20)
# A reader with at least this many approved comments and no rejection in the last
# COMMENTS_TRUST_DAYS days is approved automatically (0 disables trust).
COMMENTS_TRUST_APPROVED = env_int("COMMENTS_TRUST_APPROVED", 5)
COMMENTS_TRUST_DAYS = env_int("COMMENTS_TRUST_DAYS", 30)
# "meistkommentiert": comments approved in the last N days, the top M articles.
COMMENTS_MOST_COMMENTED_DAYS = env_int("COMMENTS_MOST_COMMENTED_DAYS", 7)
COMMENTS_MOST_COMMENTED_LENGTH = env_int("COMMENTS_MOST_COMMENTED_LENGTH", 5)
# Default of the CMS switch for new sites: "pre" (comments wait for a moderator) or "post".
COMMENTS_MODERATION = env_choice("COMMENTS_MODERATION", ["pre", "post"], "pre")
# Comments per page on the comments page; the article page shows the first few.
COMMENTS_PAGE_SIZE = env_int("COMMENTS_PAGE_SIZE", 25)
COMMENTS_ON_ARTICLE = env_int("COMMENTS_ON_ARTICLE", 10)
# Default "closed after N days" for articles whose comments close automatically.
COMMENTS_AUTO_CLOSE_DAYS = env_int("COMMENTS_AUTO_CLOSE_DAYS", 14)
# How long cached comment lists and the ranking live at most (they are invalidated on
# every change anyway; the timeout only moves the 7-day window along).
COMMENTS_CACHE_SECONDS = env_int("COMMENTS_CACHE_SECONDS", 300)
