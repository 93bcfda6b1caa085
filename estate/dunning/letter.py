"""The formal demand letter (催告函) as printed: A4 with the Chinese font embedded.

《民法典》第九百四十四條 lets an office demand payment within a reasonable time and then sue or
seek arbitration; the same article forbids cutting water, power, heating or gas to make an owner
pay. The letter therefore says what is owed, by when, on what basis, how to pay and whom to ask,
and never names a supply or access: every text is checked against ``COERCION`` (both scripts,
and English) as well as the office's forbidden phrases before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle

from estate.core.money import grouped, in_capitals
from estate.core.pdf import a4, paragraph, register_font, sign_boxes, table
from estate.properties.models import Household, Office

# Words of cutting off a supply or access; none may appear in a demand (民法典 第九百四十四條).
COERCION = (
    "停水", "停電", "停电", "斷水", "断水", "斷電", "断电", "停氣", "停气", "斷氣", "断气",
    "停暖", "停止供", "中止供", "暫停供", "暂停供", "限制出入", "門禁", "门禁", "斷網", "断网",
    "cut off", "disconnect", "suspend the supply", "stop the supply", "shut off",
)  # fmt: skip


@dataclass(frozen=True)
class Owed:
    """One statement in the letter: its quarter, number, due date and what it still owes."""

    quarter: str
    number: str
    due_on: date
    owed: Decimal


@dataclass(frozen=True)
class Letter:
    """The words of one letter, checked before it is printed."""

    office: Office
    household: Household
    payer: str
    number: str
    dated: date
    pay_by: date
    owed: list[Owed]
    note: str
    draft: bool

    @property
    def total(self) -> Decimal:
        return sum((row.owed for row in self.owed), Decimal("0.00"))

    def paragraphs(self) -> dict[str, str]:
        """Each text of the letter by name, in reading order (the note last but one)."""
        office, unit = self.office, self.household.unit
        values = {
            "payer": self.payer,
            "unit": unit.address,
            "site": unit.building.site.name,
            "amount": grouped(self.total),
            "capitals": self.capitals,
            "pay_by": self.pay_by.isoformat(),
            "office": office.name,
        }
        texts = {
            "title": _("Formal demand for payment"),
            "reference": _("Reference %(number)s · %(date)s")
            % {"number": self.number or _("(draft)"), "date": self.dated.isoformat()},
            "to": _("To %(payer)s, unit %(unit)s:") % values,
            "basis": _(
                "Under the property service contract for %(site)s, the fees of your unit are "
                "payable each quarter by the due date on its statement. Our records show these "
                "amounts unpaid past their due dates:"
            )
            % values,
            "total": _("Total owed: %(amount)s yuan (in capitals: %(capitals)s).") % values,
            "demand": _(
                "As Article 944 of the Civil Code provides, we ask you to pay the total of "
                "%(amount)s yuan by %(pay_by)s, at the office's cashier (cash, bank card, WeChat "
                "Pay or Alipay) or by bank transfer quoting the statement numbers."
            )
            % values,
            "questions": _(
                "If you have paid in the meantime, thank you, and please disregard this letter. "
                "If you question any amount, contact us before that date: we will go through "
                "every line with you."
            ),
            "after": _(
                "If the amount is still unpaid after that date, the office may apply for "
                "arbitration or bring the claim before the people's court, as the law provides."
            ),
            "note": self.note,
            "contact": _("%(office)s · address: %(address)s · phone: %(phone)s · open %(hours)s")
            % {
                "office": office.name,
                "address": office.address or "-",
                "phone": office.phone or "-",
                "hours": f"{office.opens_at:%H:%M}–{office.closes_at:%H:%M}",
            },
            "slip": _(
                "Acknowledgement of receipt: I received formal demand %(number)s of %(office)s "
                "on the date below."
            )
            % {"number": self.number or _("(draft)"), "office": office.name},
        }
        return {name: text for name, text in texts.items() if text}

    @property
    def capitals(self) -> str:
        language = (get_language() or "").lower()
        return in_capitals(self.total, simplified=language.startswith(("zh-hans", "zh-cn")))

    def rows(self) -> list[list[object]]:
        return [
            [row.quarter, row.number, row.due_on.isoformat(), grouped(row.owed)]
            for row in self.owed
        ]


def coercion_in(text: str) -> str | None:
    """The first word of cutting off a supply or access in ``text``, if any."""
    lowered = text.lower()
    return next((word for word in COERCION if word.lower() in lowered), None)


def check_coercion(texts: dict[str, str]) -> None:
    """Refuse a letter that names cutting off a supply or access, naming the field."""
    errors = {}
    for name, text in texts.items():
        word = coercion_in(text)
        if word is not None:
            errors["note" if name == "note" else "letter"] = _(
                "“%(word)s”: a demand may not mention cutting off water, power, gas, heating "
                "or access (Civil Code, Article 944)."
            ) % {"word": word}
    if errors:
        raise ValidationError(errors)


def render(letter: Letter) -> bytes:
    """The letter as a PDF: the demand, the statements owed, the office's stamp and a slip the
    household signs when it is handed over (the signed receipt, 簽收)."""
    texts = letter.paragraphs()
    grid_rows: list[list[object]] = [
        [_("Quarter"), _("Statement"), _("Due on"), _("Owed (yuan)")],
        *letter.rows(),
        ["", "", _("Total"), grouped(letter.total)],
    ]
    grid = table(
        [[paragraph(cell, "small") if isinstance(cell, str) else cell for cell in row] for row in grid_rows],
        [30 * mm, 60 * mm, 35 * mm, 35 * mm],
        repeat_rows=1,
    )  # fmt: skip
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_font()),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story: list[Flowable] = [
        paragraph(letter.office.name, "small"),
        paragraph(
            texts["title"] + (f" ({pgettext('letter', 'draft')})" if letter.draft else ""), "title"
        ),
        paragraph(texts["reference"], "small"),
        Spacer(1, 4 * mm),
        paragraph(texts["to"]),
        Spacer(1, 2 * mm),
        paragraph(texts["basis"]),
        Spacer(1, 3 * mm),
        grid,
        Spacer(1, 3 * mm),
        paragraph(texts["total"]),
        Spacer(1, 2 * mm),
        paragraph(texts["demand"]),
        Spacer(1, 2 * mm),
        paragraph(texts["questions"]),
        Spacer(1, 2 * mm),
        paragraph(texts["after"]),
    ]
    if "note" in texts:
        story += [Spacer(1, 2 * mm), paragraph(texts["note"])]
    story += [
        Spacer(1, 4 * mm),
        paragraph(texts["contact"], "small"),
        Spacer(1, 4 * mm),
        sign_boxes([pgettext("receipt box", "Stamp"), _("Date")]),
        Spacer(1, 10 * mm),
        paragraph("- " * 60, "small"),
        paragraph(texts["slip"], "small"),
        Spacer(1, 2 * mm),
        sign_boxes([_("Signature of the household"), _("Date received")], height=16 * mm),
    ]
    return a4(story, title=texts["title"], margin=18, side=20)


def dated(moment: datetime | None) -> date:
    return timezone.localtime(moment).date() if moment else timezone.localdate()
