"""Collection rate (收費率) and arrears (欠費), aggregated in SQL.

The rate is the one of the dashboard (``reports.measures.COLLECTION_RATE``): by amount, what was
paid of what was billed for the quarter, each statement counted at most in full, against the 99 %
target on the exact amounts. The share of households paid in full is shown beside it for
information only. "As of" a day counts payments received and reversals approved up to that day's
end in the office's time zone, so the figure for a quarter's last day does not move when late
payments come; a short figure is only "missed" once counted as of the quarter's last day, after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from estate.billing.choices import ReversalStatus
from estate.billing.models import Payment, Reversal, Statement
from estate.core.money import from_db, to_cents
from estate.core.periods import Quarter
from estate.properties.models import Office
from estate.reports.measures import COLLECTED, COLLECTION_RATE, Figure, judged_at_end

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class Collection:
    label: str
    billed: Decimal
    collected: Decimal
    households: int
    households_paid: int
    final: bool = True  # False while the quarter runs, or counted as of a day before its end

    @property
    def figure(self) -> Figure:
        """The collection rate by amount, with its target and verdict."""
        return Figure(COLLECTION_RATE, self.collected, self.billed, final=self.final)

    @property
    def rate_by_amount(self) -> Decimal | None:
        return to_cents(Decimal(100) * self.collected / self.billed) if self.billed else None

    @property
    def rate_by_household(self) -> Decimal | None:
        """For information: households paid in full (not part of the verdict)."""
        if not self.households:
            return None
        return to_cents(Decimal(100) * self.households_paid / self.households)

    @property
    def met(self) -> bool | None:
        return self.figure.met


def end_of(day: date, office: Office) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZoneInfo(office.timezone))


def with_paid_as_of(statements: QuerySet[Statement], moment: datetime) -> QuerySet[Statement]:
    """Annotate ``paid_then``: payments received before ``moment`` less reversals approved before it."""
    received = (
        Payment.objects.filter(statement=OuterRef("pk"), received_at__lt=moment)
        .values("statement")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    returned = (
        Reversal.objects.filter(
            payment__statement=OuterRef("pk"),
            status=ReversalStatus.APPROVED,
            decided_at__lt=moment,
        )
        .values("payment__statement")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return statements.annotate(
        paid_then=Coalesce(Subquery(received, output_field=MONEY), ZERO)
        - Coalesce(Subquery(returned, output_field=MONEY), ZERO)
    )


def collection(
    office: Office,
    quarter: str,
    *,
    as_of: date,
    building_id: int | None = None,
    today: date | None = None,
) -> list[Collection]:
    """The office's figures for the quarter, then one row per building; judged (missed rather
    than "not yet") when counted as of the quarter's last day or later, once it is over."""
    final = judged_at_end(Quarter.parse(quarter).last_day, as_of, today or timezone.localdate())
    statements = Statement.objects.filter(office=office, quarter=quarter)
    if building_id is not None:
        statements = statements.filter(building_id=building_id)
    annotated = with_paid_as_of(statements, end_of(as_of, office))
    billed = Coalesce(Sum("total"), ZERO)
    collected = Coalesce(Sum(COLLECTED), ZERO)
    households = Count("id")
    households_paid = Count("id", filter=Q(paid_then__gte=F("total")))
    whole = annotated.aggregate(
        billed=billed, collected=collected, households=households, households_paid=households_paid
    )
    # Sums are made money again (``from_db``): SQLite hands back 2734.5 for 2,734.50.
    rows = [
        Collection(
            office.name,
            from_db(whole["billed"]),
            from_db(whole["collected"]),
            whole["households"],
            whole["households_paid"],
            final=final,
        )
    ]
    for row in (
        annotated.order_by()
        .values("building__code", "building__name", "building__sort_key")
        .annotate(
            billed=billed,
            collected=collected,
            households=households,
            households_paid=households_paid,
        )
        .order_by("building__sort_key")
    ):
        rows.append(
            Collection(
                row["building__name"],
                from_db(row["billed"]),
                from_db(row["collected"]),
                row["households"],
                row["households_paid"],
                final,
            )
        )
    return rows


BUCKETS = (
    ("not_due", None, 0),
    ("d30", 1, 30),
    ("d90", 31, 90),
    ("d180", 91, 180),
    ("older", 181, None),
)


def arrears(office: Office, *, on: date, building_id: int | None = None) -> QuerySet[Statement]:
    """Statements with money owed on ``on``, oldest due first, each with ``owed`` and ``days_late``."""
    statements = Statement.objects.filter(office=office, paid__lt=F("total"))
    if building_id is not None:
        statements = statements.filter(building_id=building_id)
    return statements.annotate(owed=F("total") - F("paid")).order_by(
        "due_on", "unit__sort_key", "number"
    )


def ageing(statements: QuerySet[Statement], on: date) -> dict[str, Decimal]:
    """What is owed by how late it is: not yet due, 1–30, 31–90, 91–180 and over 180 days."""
    sums = {}
    for name, first, last in BUCKETS:
        condition = Q()
        if first is None:
            condition &= Q(due_on__gte=on)
        else:
            condition &= Q(due_on__lte=on - timedelta(days=first))
        if last is not None and first is not None:
            condition &= Q(due_on__gte=on - timedelta(days=last))
        sums[name] = Coalesce(
            Sum(Case(When(condition, then=F("total") - F("paid")), output_field=MONEY)), ZERO
        )
    return {name: from_db(value) for name, value in statements.aggregate(**sums).items()}
