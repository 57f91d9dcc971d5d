"""Every state change of reader revenue: one function each, owning its transaction, its
cache invalidation, its mails and its log line. Views, the CMS, management commands and
the demo all call these through this package (`services.start_pledge(...)`).

One module per subject:
- pledges: a pledge's life (start, change, pause, resume, cancel), its mandates, and
  joining it to the reader account that owns its address;
- collection: collection day, due collections planned and exported in one SEPA file
  (bulk_writes holds its statements for many rows at once);
- return_imports: the bank's return files booked;
- ibans: the full IBAN shown and downloaded under a log, and its keys rotated;
- dates: today and the earliest due date, which the others count from.

Invariants kept (and in the database constraints behind them):
- one form token → at most one pledge (a double click or retried POST returns it);
- one (pledge, due date) → at most one collection, exported in at most one run, and
  marked exported only in the transaction that stores its file;
- one return file → imported once; one collection → returned once.

The names live in the subject modules and are only re-exported here: to patch one in a
test, patch the module that uses it (e.g. `lesefrei.support.services.collection.PAGE_SIZE`).
"""

from .collection import (
    HOLD_ADVICE,
    PAGE_SIZE,
    ExportResult,
    SkippedCollection,
    export_due_collections,
    plan_collections,
)
from .dates import earliest_due_date, today
from .ibans import download_run_file, reveal_iban, rotate_iban_keys
from .pledges import (
    REFERENCE_ALPHABET,
    PledgeError,
    cancel_pledge,
    change_pledge,
    claim_pledge,
    expire_unused_mandates,
    mandate_reference_for,
    new_mandate_reference,
    owns_address,
    pause_pledge,
    progress_changed,
    replace_mandate,
    resume_pledge,
    send_claim_links,
    send_manage_link,
    start_pledge,
)
from .return_imports import ImportResult, SkippedEntry, import_returns

__all__ = [
    "HOLD_ADVICE",
    "PAGE_SIZE",
    "REFERENCE_ALPHABET",
    "ExportResult",
    "ImportResult",
    "PledgeError",
    "SkippedCollection",
    "SkippedEntry",
    "cancel_pledge",
    "change_pledge",
    "claim_pledge",
    "download_run_file",
    "earliest_due_date",
    "expire_unused_mandates",
    "export_due_collections",
    "import_returns",
    "mandate_reference_for",
    "new_mandate_reference",
    "owns_address",
    "pause_pledge",
    "plan_collections",
    "progress_changed",
    "replace_mandate",
    "resume_pledge",
    "reveal_iban",
    "rotate_iban_keys",
    "send_claim_links",
    "send_manage_link",
    "start_pledge",
    "today",
]
