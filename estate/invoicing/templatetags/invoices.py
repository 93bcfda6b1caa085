"""The billing pages' invoice figures, asked from their include so that the billing views
need not know invoices exist."""

from __future__ import annotations

from django import template

from estate.invoicing.choices import RequestStatus
from estate.invoicing.figures import Invoiced, invoiced_in

register = template.Library()


@register.simple_tag
def invoiced_figures(office: object, quarter: object) -> Invoiced:
    return invoiced_in(office.pk, str(quarter))  # type: ignore[attr-defined]


@register.filter
def invoice_requests(payment: object) -> dict[str, object]:
    """A payment's invoice state from its prefetched requests: the live request (waiting or
    issued) with its invoices, and the refused ones, without another query."""
    found = list(payment.invoice_requests.all())  # type: ignore[attr-defined]
    live = next((r for r in found if r.status != RequestStatus.REFUSED), None)
    return {
        "live": live,
        "invoices": list(live.invoices.all()) if live is not None else [],
        "refused": [r for r in found if r.status == RequestStatus.REFUSED],
    }
