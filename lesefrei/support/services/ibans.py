"""The full IBAN: shown or downloaded (in a collection run's file) only with the finance
permissions, every access logged in IbanAccessLog and the log; and every stored IBAN
re-encrypted with the newest key (support.crypto holds the keys).
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .. import crypto
from ..models import CollectionRun, IbanAccessLog, Mandate

logger = logging.getLogger(__name__)


def reveal_iban(mandate: Mandate, user: AbstractBaseUser) -> str:
    """The full IBAN for the finance role; every call is logged (database and log)."""
    if not user.has_perm("support.view_full_iban"):
        raise PermissionError("view_full_iban required")
    IbanAccessLog.objects.create(user=user, mandate=mandate)
    logger.info("full IBAN of mandate %s shown to user %s", mandate.reference, user.pk)
    return mandate.iban


def download_run_file(run: CollectionRun, user: AbstractBaseUser) -> bytes:
    """A collection run's file (every debtor's full IBAN) for the finance role; every
    download is logged like an IBAN view (database and log)."""
    if not user.has_perm("support.run_collections"):
        raise PermissionError("run_collections required")
    xml = CollectionRun.objects.values_list("xml", flat=True).get(pk=run.pk)
    IbanAccessLog.objects.create(user=user, run=run)
    logger.info(
        "file of collection run %s (%s full IBANs) downloaded by user %s",
        run.pk,
        run.transaction_count,
        user.pk,
    )
    return xml.encode("utf-8")


def rotate_iban_keys() -> int:
    """Re-encrypt every IBAN with the newest key (after putting it first in
    SUPPORT_IBAN_KEYS); afterwards the old key can be removed."""
    count = 0
    for mandate in Mandate.objects.only("pk", "iban_encrypted").iterator():
        with transaction.atomic():
            Mandate.objects.filter(pk=mandate.pk).update(
                iban_encrypted=crypto.rotate(mandate.iban_encrypted)
            )
        count += 1
    logger.info("%s IBANs re-encrypted with the newest key", count)
    return count
