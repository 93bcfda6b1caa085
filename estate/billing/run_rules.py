"""What the fee rules add to a bill run's statements: the vacancy discount, late fees on earlier
statements still owed, and prepaid credit carried from earlier statements (decision 0018).

Each works on one chunk of units at a time, with a few queries a chunk (never one a unit), and
only when the office has a rule, an approved discount or money to carry: a run without them
costs what it did before.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import F, Max, Q, Sum
from django.utils.translation import gettext as _

from estate.billing.choices import CapKind, LateFeeBasis, LineKind, VacancyStatus
from estate.billing.models import FeeItem, LateFeeRule, Statement, StatementLine, VacancyApplication
from estate.core.money import to_cents
from estate.core.periods import Quarter

ZERO = Decimal("0.00")
DAYS_A_MONTH = 30  # a month begun, for a per-month rule: every 30 days after the grace period


@dataclass
class Line:
    """A line the rules add (the run's ``PlannedLine`` with where its money came from)."""

    kind: str
    fee_item_id: int | None
    description: str
    basis: str
    amount: Decimal
    source_id: int | None = None
    accrued_through: date | None = None


@dataclass
class Owed:
    """An earlier statement: what it owes (or, negative, holds as prepayment)."""

    pk: int
    number: str
    household_id: int | None
    due_on: date
    total: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid


def _plain(number: Decimal) -> str:
    """30, 0.5: no trailing zeros and never 3E+1."""
    return f"{number.normalize():f}"


def _within(field: str, span: tuple[int, int]) -> dict[str, int]:
    return {f"{field}__gte": span[0], f"{field}__lte": span[1]}


# The vacancy discount ---------------------------------------------------------------------------


def discounted_units(office_id: int, quarter: Quarter, now: datetime) -> dict[int, int]:
    """unit id → household id of the units whose vacancy discount covers ``quarter``: approved
    before this run (so from the next statement on), vacant by the quarter's end, not ended
    before it begins."""
    return dict(
        VacancyApplication.objects.filter(
            office_id=office_id,
            status__in=[VacancyStatus.APPROVED, VacancyStatus.ENDED],
            decided_at__lt=now,
            vacant_from__lte=quarter.last_day,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=quarter.first_day))
        .values_list("unit_id", "household_id")
    )


def discount_lines(fee_lines: list[Line], items: dict[int, FeeItem]) -> list[Line]:
    """A DISCOUNT line under each fee that has a vacancy discount."""
    lines = []
    for fee in fee_lines:
        item = items.get(fee.fee_item_id or 0)
        if item is None or not item.vacancy_discount:
            continue
        amount = -to_cents(fee.amount * item.vacancy_discount / 100)
        if amount:
            lines.append(
                Line(
                    LineKind.DISCOUNT,
                    item.pk,
                    _("Vacancy discount"),
                    _("%(fee)s yuan × %(percent)s%% off (%(item)s)")
                    % {
                        "fee": fee.amount,
                        "percent": _plain(item.vacancy_discount),
                        "item": item.name,
                    },
                    amount,
                )
            )
    return lines


# Late fees ------------------------------------------------------------------------------------


class LateFees:
    """The office's late-fee rules and what each overdue statement of a chunk owes under them."""

    def __init__(self, office_id: int, quarter: Quarter, on: date) -> None:
        self.quarter, self.on = quarter, on
        self.rules = list(
            LateFeeRule.objects.filter(office_id=office_id, is_active=True).select_related(
                "fee_item"
            )
        )
        self.office_id = office_id
        # Translated once a run, not once a line (a run writes thousands of them).
        self.per_day = _("%(owed)s yuan × %(rate)s‰ × %(days)d days (%(first)s to %(last)s)")
        self.per_month = _("%(owed)s yuan × %(rate)s%% × %(months)d months begun after %(first)s")
        self.capped = _(", capped at %(cap)s yuan")
        # One description for every late fee of an item (the run's preview sums by description);
        # the statement it is charged on opens the basis.
        self.title = _("Late fee %(item)s")

    def for_chunk(self, span: tuple[int, int]) -> dict[int, list[tuple[int | None, Line]]]:
        """unit id → [(household id charged, late-fee line)] for the chunk's overdue statements."""
        if not self.rules:
            return {}
        earliest_grace = min(rule.grace_days for rule in self.rules)
        overdue = {
            row[0]: (row[1], Owed(*row[2:]))
            for row in Statement.objects.filter(
                office_id=self.office_id,
                paid__lt=F("total"),
                due_on__lt=self.on - timedelta(days=earliest_grace),
                **_within("unit_id", span),
            )
            .exclude(quarter=str(self.quarter))
            .values_list("pk", "unit_id", "pk", "number", "household_id", "due_on", "total", "paid")
        }
        if not overdue:
            return {}
        items = [rule.fee_item_id for rule in self.rules]
        # By the chunk's unit ids (a range), not the statements' ids: long IN lists are split
        # and sent by the client, which cost more than the query.
        share: dict[tuple[int, int], Decimal] = {
            (s, i): amount
            for s, i, amount in StatementLine.objects.filter(
                statement__office_id=self.office_id,
                statement__paid__lt=F("statement__total"),
                fee_item_id__in=items,
                **_within("statement__unit_id", span),
            )
            .exclude(kind__in=[LineKind.LATE_FEE, LineKind.WAIVER])
            .values("statement_id", "fee_item_id")
            .annotate(amount=Sum("amount"))
            .values_list("statement_id", "fee_item_id", "amount")
        }
        charged: dict[tuple[int, int], tuple[date | None, Decimal]] = {
            (s, i): (through, amount or ZERO)
            for s, i, through, amount in StatementLine.objects.filter(
                kind=LineKind.LATE_FEE,
                source__office_id=self.office_id,
                source__paid__lt=F("source__total"),
                **_within("source__unit_id", span),
            )
            .values("source_id", "fee_item_id")
            .annotate(
                through=Max("accrued_through"),
                amount=Sum("amount", filter=Q(waiver__isnull=True)),
            )
            .values_list("source_id", "fee_item_id", "through", "amount")
        }
        result: dict[int, list[tuple[int | None, Line]]] = defaultdict(list)
        for pk, (unit_id, owed) in sorted(overdue.items(), key=lambda kv: kv[1][1].due_on):
            for rule in self.rules:
                item_sum = share.get((pk, rule.fee_item_id), ZERO)
                line = self.line(rule, owed, item_sum, charged.get((pk, rule.fee_item_id)))
                if line is not None:
                    result[unit_id].append((owed.household_id, line))
        return result

    def line(
        self,
        rule: LateFeeRule,
        owed: Owed,
        item_sum: Decimal,
        charged: tuple[date | None, Decimal] | None,
    ) -> Line | None:
        """The late fee ``rule`` charges on ``owed`` up to the run's day, or None."""
        if owed.total <= 0 or item_sum <= 0:
            return None
        start = owed.due_on + timedelta(days=rule.grace_days)
        through, before = charged or (None, ZERO)
        begin = max(start, through) if through else start
        days = (self.on - begin).days
        if days <= 0:
            return None
        # The statement's balance in proportion to this fee's part of it (payments pay every
        # line alike): a late fee is only ever charged on the fee whose contract provides it.
        amount_owed = to_cents(min(owed.balance, owed.total) * item_sum / owed.total)
        if amount_owed <= 0:
            return None
        if rule.basis == LateFeeBasis.PER_DAY:
            fee = to_cents(amount_owed * rule.rate / 1000 * days)
            basis = self.per_day % {
                "owed": amount_owed, "rate": _plain(rule.rate), "days": days,
                "first": (begin + timedelta(days=1)).isoformat(), "last": self.on.isoformat(),
            }  # fmt: skip
        else:
            # Months begun since the grace period ended, less those charged by earlier runs.
            months = math.ceil((self.on - start).days / DAYS_A_MONTH)
            months -= math.ceil((begin - start).days / DAYS_A_MONTH)
            if months <= 0:
                return None
            fee = to_cents(amount_owed * rule.rate / 100 * months)
            basis = self.per_month % {
                "owed": amount_owed, "rate": _plain(rule.rate), "months": months,
                "first": start.isoformat(),
            }  # fmt: skip
        if rule.cap_kind != CapKind.NONE and rule.cap is not None:
            cap = (
                to_cents(amount_owed * rule.cap / 100)
                if rule.cap_kind == CapKind.PERCENT
                else rule.cap
            )
            if fee > cap - before:
                fee = max(ZERO, cap - before)
                basis += self.capped % {"cap": cap}
        if fee <= 0:
            return None
        return Line(
            LineKind.LATE_FEE,
            rule.fee_item_id,
            self.title % {"item": rule.fee_item.name},
            f"{owed.number}: {basis} · {rule.contract_reference}",
            fee,
            source_id=owed.pk,
            accrued_through=self.on,
        )


# Prepaid credit ---------------------------------------------------------------------------------


def prepaid(office_id: int, quarter: Quarter, span: tuple[int, int]) -> dict[int, list[Owed]]:
    """unit id → earlier statements holding more money than they billed (a prepayment)."""
    found: dict[int, list[Owed]] = defaultdict(list)
    for unit_id, *row in (
        Statement.objects.filter(
            office_id=office_id, paid__gt=F("total"), **_within("unit_id", span)
        )
        .exclude(quarter=str(quarter))
        .order_by("due_on", "pk")
        .values_list("unit_id", "pk", "number", "household_id", "due_on", "total", "paid")
    ):
        found[unit_id].append(Owed(*row))
    return found


def credit_lines(sources: list[Owed], household_id: int | None, total: Decimal) -> list[Line]:
    """CREDIT lines carrying the payer's prepayments, oldest first, up to the new total."""
    lines = []
    for source in sources:
        if source.household_id != household_id or total <= 0:
            continue
        amount = min(-source.balance, total)
        total -= amount
        lines.append(credit_line(source.pk, source.number, amount))
    return lines


def credit_line(source_id: int, number: str, amount: Decimal) -> Line:
    return Line(
        LineKind.CREDIT,
        None,
        _("Prepaid last period"),
        _("Paid ahead on %(number)s") % {"number": number},
        -amount,
        source_id=source_id,
    )
