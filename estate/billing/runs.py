"""The quarterly bill run: for each household, one statement with the coming quarter's fees and
the last quarter's apportioned water and electricity.

``plan`` computes everything without writing (the preview shows it); ``issue`` writes it in
batches, each batch in its own transaction, one statement with all its lines or none. Running
it again creates nothing twice (a unit has one statement a quarter) and finishes what a crash
left undone; a run that was issued in full is refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.billing.apportion import Apportioned, apportion, rate_on
from estate.billing.choices import MONTHS_PER_QUARTER, Basis, LineKind, RunStatus
from estate.billing.models import (
    Apportionment,
    BillRun,
    FeeItem,
    FeeRate,
    Meter,
    Statement,
    StatementLine,
)
from estate.core.money import to_cents
from estate.core.periods import Quarter, add_months
from estate.properties.choices import HouseholdKind, UnitUse
from estate.properties.models import Building, Household, Office, Unit

BATCH = 1000


@dataclass
class PlannedLine:
    kind: str
    fee_item_id: int
    description: str
    basis: str
    amount: Decimal


@dataclass
class PlannedStatement:
    unit: Unit
    household_id: int
    payer: str
    lines: list[PlannedLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass
class Plan:
    office: Office
    quarter: Quarter
    building: Building | None
    statements: list[PlannedStatement] = field(default_factory=list)
    apportioned: list[Apportioned] = field(default_factory=list)
    vacant_units: int = 0
    already_issued: int = 0

    @property
    def total(self) -> Decimal:
        return sum((s.total for s in self.statements), Decimal("0.00"))

    def totals_by_item(self) -> list[tuple[str, Decimal]]:
        sums: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for statement in self.statements:
            for line in statement.lines:
                sums[line.description] += line.amount
        return sorted(sums.items())


def _payers(units: list[Unit], day: Any) -> dict[int, tuple[int, str]]:
    """unit id → (household id, payer's name): the owner household, else the one living there."""
    chosen: dict[int, tuple[int, str, bool]] = {}
    households = (
        Household.objects.current(day)
        .filter(unit__in=units)
        .prefetch_related("residents")
        .order_by("unit_id", "id")
    )
    for household in households:
        is_owner = household.kind == HouseholdKind.OWNER
        if household.unit_id in chosen and not (is_owner and not chosen[household.unit_id][2]):
            continue
        residents = sorted(household.residents.all(), key=lambda r: (not r.is_primary, r.id))
        name = residents[0].name if residents else str(household.unit_id)
        chosen[household.unit_id] = (household.pk, name, is_owner)
    return {unit_id: (pk, name) for unit_id, (pk, name, _owner) in chosen.items()}


def plan(office: Office, quarter: Quarter, building: Building | None = None) -> Plan:
    """What the run would issue; ValidationError listing every missing rate or reading."""
    result = Plan(office, quarter, building)
    units_query = Unit.objects.filter(office=office).exclude(use=UnitUse.COMMON_AREA)
    if building is not None:
        units_query = units_query.filter(building=building)
    units = list(units_query.select_related("building").order_by("address"))
    issued = set(
        Statement.objects.filter(quarter=str(quarter), unit__in=units_query).values_list(
            "unit_id", flat=True
        )
    )
    payers = _payers(units, quarter.first_day)
    items = list(
        FeeItem.objects.filter(
            office=office, is_active=True, basis__in=[Basis.AREA_MONTH, Basis.UNIT_MONTH]
        ).order_by("kind", "name")
    )
    rates = list(FeeRate.objects.filter(fee_item__office=office))
    problems: list[str] = []
    shares = _apportion(office, quarter.previous, units_query, result, problems)
    for unit in units:
        if unit.pk not in payers:
            result.vacant_units += 1
            continue
        if unit.pk in issued:
            result.already_issued += 1
            continue
        lines = []
        for item in items:
            rate = rate_on(item.pk, unit.use, quarter.first_day, rates)
            if rate is None:
                problem = _("No rate of %(item)s for %(use)s units on %(day)s.") % {
                    "item": item.name,
                    "use": unit.get_use_display(),
                    "day": quarter.first_day.isoformat(),
                }
                if problem not in problems:
                    problems.append(problem)
                continue
            lines.append(_fee_line(item, rate.amount, unit, quarter))
        lines.extend(shares.get(unit.pk, []))
        household_id, payer = payers[unit.pk]
        result.statements.append(PlannedStatement(unit, household_id, payer, lines))
    if problems:
        raise ValidationError(problems)
    return result


def _fee_line(item: FeeItem, rate: Decimal, unit: Unit, quarter: Quarter) -> PlannedLine:
    months = MONTHS_PER_QUARTER
    if item.basis == Basis.AREA_MONTH:
        amount = to_cents(unit.area * rate * months)
        basis = _("%(area)s m² × %(rate)s yuan/m²/month × %(months)d months") % {
            "area": unit.area,
            "rate": rate.normalize(),
            "months": months,
        }
    else:
        amount = to_cents(rate * months)
        basis = _("%(rate)s yuan/month × %(months)d months") % {
            "rate": rate.normalize(),
            "months": months,
        }
    return PlannedLine(LineKind.FEE, item.pk, f"{item.name} {quarter}", basis, amount)


def _apportion(
    office: Office, quarter: Quarter, units: Any, result: Plan, problems: list[str]
) -> dict[int, list[PlannedLine]]:
    lines: dict[int, list[PlannedLine]] = defaultdict(list)
    meters = (
        Meter.objects.filter(
            office=office, parent__isnull=True, fee_item__basis=Basis.SHARED_USAGE, serves__in=units
        )
        .distinct()
        .select_related("fee_item")
        .prefetch_related("fee_item__rates")
    )
    for meter in meters:
        try:
            done = apportion(meter, quarter)
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        result.apportioned.append(done)
        for share in done.shares.values():
            lines[share.unit_id].append(
                PlannedLine(
                    LineKind.APPORTIONMENT,
                    meter.fee_item_id,
                    f"{meter.fee_item.name} {quarter}",
                    share.basis,
                    share.amount,
                )
            )
    return lines


def issue(
    office: Office,
    quarter: Quarter,
    *,
    by: Any,
    building: Building | None = None,
    batch: int = BATCH,
) -> BillRun:
    """Issue the run (or finish one a crash interrupted). Refused when it was issued already."""
    run = BillRun.objects.filter(office=office, quarter=str(quarter), building=building).first()
    if run is not None and run.status == RunStatus.ISSUED:
        raise ValidationError(
            _("The %(quarter)s bill run for %(scope)s was issued on %(day)s.")
            % {
                "quarter": quarter,
                "scope": building or office,
                "day": timezone.localtime(run.finished_at).date().isoformat()
                if run.finished_at
                else "",
            }
        )
    planned = plan(office, quarter, building)
    if run is None:
        run = BillRun.objects.create(
            office=office, quarter=str(quarter), building=building, started_by=by
        )
    _save_apportionments(office, planned)
    now = timezone.now()
    due_on = add_months(quarter.first_day, 1) - timedelta(days=1)  # the quarter's first month
    for start in range(0, len(planned.statements), batch):
        _write_batch(run, planned.statements[start : start + batch], quarter, now, due_on)
    issued = Statement.objects.filter(run=run).count()
    BillRun.objects.filter(pk=run.pk).update(
        status=RunStatus.ISSUED, finished_at=timezone.now(), statements_issued=issued
    )
    run.refresh_from_db()
    return run


def _save_apportionments(office: Office, planned: Plan) -> None:
    for done in planned.apportioned:
        Apportionment.objects.get_or_create(
            meter=done.meter,
            quarter=str(done.quarter),
            defaults={
                "office": office,
                "shared_usage": done.shared_usage,
                "price": done.price,
                "total": done.total,
                "unbilled": done.unbilled,
                "split_method": done.meter.split_method,
            },
        )


def _write_batch(
    run: BillRun, batch: list[PlannedStatement], quarter: Quarter, now: Any, due_on: Any
) -> None:
    with transaction.atomic():
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    office_id=run.office_id,
                    run=run,
                    quarter=str(quarter),
                    number=f"{run.office.code}-{quarter}-{p.unit.address}",
                    household_id=p.household_id,
                    unit=p.unit,
                    building_id=p.unit.building_id,
                    payer=p.payer,
                    total=p.total,
                    due_on=due_on,
                    issued_at=now,
                )
                for p in batch
            ]
        )
        StatementLine.objects.bulk_create(
            [
                StatementLine(
                    statement=statement,
                    kind=line.kind,
                    fee_item_id=line.fee_item_id,
                    description=line.description,
                    basis=line.basis,
                    amount=line.amount,
                )
                for statement, p in zip(statements, batch, strict=True)
                for line in p.lines
            ],
            batch_size=2000,
        )
