"""A synthetic archive for benchmarks: `manage.py generate_corpus`.

`generate(options, write)` adds, in one transaction, authors, topics and articles (real,
published Wagtail pages in the search index), reader accounts with their comments and
supporters with pledges and SEPA mandates. The rows are the ones the services would
write, with the apps' own rules (slugs, pseudonyms, due dates, mandate references,
encrypted IBANs), but written in batches through one bulk path (bulk.py says why); the
counters and caches the services would keep are brought in step at the end.

Generated data is recognisable: page slugs, reader user names and supporter e-mail
addresses start with `korpus-` (the benchmarks' fixtures, made by the same functions,
with `bench-`). Running again adds more (paths continue after the last child); there is
no removal: generate into a scratch database and drop it.

Modules: options.py (what is asked, what was made), generator.py (the run, one phase per
subject), articles.py, readers.py, comments.py, supporters.py (the subjects), bulk.py
(batched writes), search.py (the search index in bulk), words.py (the German text).
"""

from .generator import Generator, add_discussion, add_pledges, add_readers, generate
from .options import PREFIX, CorpusError, Options, Report
from .supporters import PledgePlan

__all__ = [
    "PREFIX",
    "CorpusError",
    "Generator",
    "Options",
    "PledgePlan",
    "Report",
    "add_discussion",
    "add_pledges",
    "add_readers",
    "generate",
]
