"""The invoice's paper (the console provider's; a real provider sends its own PDF): seller,
buyer, the service lines, the amount before tax, the tax and the total in figures and capitals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from estate.billing.printing import _capitals, _document, _grid, _p, _yuan


def invoice_pdf(
    *,
    number: str,
    issued_on: date,
    seller: str,
    buyer: str,
    tax_id: str,
    lines: list[tuple[str, Decimal]],
    amount: Decimal,
    tax_rate: Decimal,
    tax_amount: Decimal,
    remark: str = "",
    original: str = "",
) -> bytes:
    red = amount < 0
    rows: list[list[object]] = [[_("Item"), _("Tax rate"), _("Amount incl. tax (yuan)")]]
    rows += [[_p(text, "small"), f"{tax_rate * 100:.0f}%", _yuan(value)] for text, value in lines]
    rows += [
        ["", _("Amount before tax"), _yuan(amount - tax_amount)],
        ["", _("Tax"), _yuan(tax_amount)],
        ["", _("Total"), _yuan(amount)],
    ]
    head: list[list[object]] = [
        [_("Invoice number"), number],
        [_("Issued on"), issued_on.isoformat()],
        [_("Seller"), seller],
        [_("Buyer"), buyer],
        [_("Buyer's tax number"), tax_id or "—"],
        [
            _("Total in capitals"),
            _("(negative) %(capitals)s") % {"capitals": _capitals(-amount)}
            if red
            else _capitals(amount),
        ],
    ]
    if original:
        head.append([_("Against invoice"), original])
    story: list[Flowable] = [
        _p(_("Red-letter invoice") if red else _("Invoice"), "title"),
        _p(_("Issued by the console provider: not a tax invoice."), "small"),
        _grid(head, [40 * mm, 120 * mm]),
        Spacer(1, 5 * mm),
        _grid(rows, [90 * mm, 30 * mm, 40 * mm]),
    ]
    if remark:
        story += [Spacer(1, 4 * mm), _p(f"{_('Remark')}: {remark}", "small")]
    return _document(story, number)
