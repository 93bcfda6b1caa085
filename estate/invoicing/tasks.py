"""Work done after a step commits: the red letter of an approved reversal is asked of the
provider by the worker, so a provider's outage never undoes the head's decision."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.tasks import task

from estate.billing.models import Reversal


@task()
def red_letter_for(reversal_id: int) -> str:
    from estate.invoicing.actions import raise_red_letter

    invoice = raise_red_letter(Reversal.objects.get(pk=reversal_id))
    return invoice.number if invoice is not None else ""


def reversal_approved(reversal: Reversal) -> None:
    """Called in the approval's transaction (billing.payments.decide_reversal)."""
    transaction.on_commit(partial(red_letter_for.enqueue, reversal.pk))
