"""The quarterly bill run: for each household, one statement with the coming quarter's fees and
the last quarter's apportioned water and electricity; the fee rules' lines (vacancy discount,
late fees, prepaid credit carried, ``run_rules``); units with no household go to the office's
developer when it has one.

``plan`` computes everything without writing (the preview shows it); ``issue`` writes it in
batches, each batch in its own transaction, one statement with all its lines or none. Running
it again creates nothing twice (a unit has one statement a quarter) and finishes what a crash
left undone; a run that was issued in full is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.billing import run_rules
from estate.billing.apportion import (
    Apportioned,
    apportion,
    occupied_unit_ids,
    rate_on,
    shared_usage,
)
from estate.billing.choices import MONTHS_PER_QUARTER, Basis, LineKind, PayerKind, RunStatus
from estate.billing.models import (
    Apportionment,
    BillRun,
    Developer,
    FeeItem,
    FeeRate,
    Meter,
    MeterReading,
    Statement,
    StatementLine,
)
from estate.core import locks
from estate.core.conflicts import Conflict
from estate.core.money import to_cents
from estate.core.natural import natural_key
from estate.core.periods import Quarter
from estate.messaging.household_events import bills_issued
from estate.properties.choices import HouseholdKind, UnitUse
from estate.properties.models import Building, Household, Office, Resident, Unit

BATCH = 1000


class UnitRow(NamedTuple):
    """The little of a unit a statement needs (read as plain values: a run reads many)."""

    pk: int
    address: str
    area: Decimal
    use: str
    building_id: int


PlannedLine = run_rules.Line


@dataclass
class PlannedStatement:
    unit: UnitRow
    household_id: int | None  # None: billed to the developer
    payer: str
    lines: list[PlannedLine]

    @property
    def payer_kind(self) -> str:
        return PayerKind.HOUSEHOLD if self.household_id is not None else PayerKind.DEVELOPER

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
    due_on: date | None = None  # the "pay by" day the statements would carry

    @property
    def total(self) -> Decimal:
        return sum((s.total for s in self.statements), Decimal("0.00"))

    def totals_by_item(self) -> list[tuple[str, Decimal]]:
        sums: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for statement in self.statements:
            for line in statement.lines:
                sums[line.description] += line.amount
        return sorted(sums.items())


def issue_day(office: Office) -> date:
    """Today in the office's time zone: the day its statements are issued."""
    return timezone.localtime(timezone.now(), ZoneInfo(office.timezone)).date()


def due_date(office: Office, given: date | None = None, *, issued_on: date | None = None) -> date:
    """The day a statement issued on ``issued_on`` (default: the office's today) is to be paid by:
    ``given`` when the cashier names one, else the office's ``bill_due_days`` after issue. A day
    before the issue day is refused (ValidationError on ``due_on``): a bill must never be born
    overdue. (It used to be the end of the quarter's first month, already past for a quarter
    issued late.)"""
    issued_on = issued_on or issue_day(office)
    if given is None:
        return issued_on + timedelta(days=office.bill_due_days)
    if given < issued_on:
        raise ValidationError(
            {
                "due_on": _("The pay-by day %(day)s is before the issue day %(issued)s.")
                % {"day": given.isoformat(), "issued": issued_on.isoformat()}
            },
            code="due_before_issue",
        )
    return given


def _latest(quarters: Any) -> Quarter | None:
    found = []
    for text in quarters:
        try:
            found.append(Quarter.parse(text))
        except ValueError:
            continue
    return max(found, default=None)


def next_quarter(office: Office, building: Building | None = None) -> Quarter:
    """The quarter to issue next: the one after the latest run issued for the office (for a
    building: its own runs and the office's); before any run, the one after the latest meter
    readings (a run bills the shared usage of the quarter before it); else today's quarter."""
    issued = BillRun.objects.filter(office=office, status=RunStatus.ISSUED)
    if building is not None:
        issued = issued.filter(Q(building=building) | Q(building__isnull=True))
    latest = _latest(issued.values_list("quarter", flat=True).distinct())
    if latest is not None:
        return latest.next
    read = _latest(
        MeterReading.objects.filter(office=office).values_list("quarter", flat=True).distinct()
    )
    if read is not None:
        return read.next
    return Quarter.of(issue_day(office))


def _within(field: str, span: tuple[int, int]) -> dict[str, int]:
    """Filter arguments for ``span[0] <= field <= span[1]`` (``__range`` is not offered on keys)."""
    return {f"{field}__gte": span[0], f"{field}__lte": span[1]}


def _payers(office_id: int, span: tuple[int, int], day: Any) -> dict[int, tuple[int, str]]:
    """unit id → (household id, payer's name) for the office's units with ids in ``span``: the
    owner household, else the one living there; the payer is its main contact. (An id range,
    not a list of ids: a batch's queries stay short however large the batch.)"""
    chosen: dict[int, tuple[int, bool]] = {}
    for household_id, unit_id, kind in (
        Household.objects.current(day)
        .filter(office_id=office_id, **_within("unit_id", span))
        .order_by("unit_id", "id")
        .values_list("id", "unit_id", "kind")
    ):
        is_owner = kind == HouseholdKind.OWNER
        if unit_id not in chosen or (is_owner and not chosen[unit_id][1]):
            chosen[unit_id] = (household_id, is_owner)
    names: dict[int, str] = {}
    for household_id, name in (
        Resident.objects.filter(office_id=office_id, **_within("household__unit_id", span))
        .order_by("household_id", "-is_primary", "id")
        .values_list("household_id", "name")
    ):
        names.setdefault(household_id, name)
    return {
        unit_id: (household_id, names.get(household_id, ""))
        for unit_id, (household_id, _owner) in chosen.items()
    }


@dataclass
class _Context:
    """What every household's statement is made from: fee items, rates, apportioned shares."""

    office: Office
    quarter: Quarter
    units: QuerySet[Unit]
    items: list[FeeItem]
    rates: list[FeeRate]
    meters: dict[int, Meter]
    developer: str | None = None  # the payer of units with no household, if the office has one
    discounted: dict[int, int] = field(default_factory=dict)  # unit id → household id
    late_fees: run_rules.LateFees | None = None
    apportioned: dict[int, Apportioned] = field(default_factory=dict)  # meter id → summary
    # Shares of the meters the current chunk of units needs (a building's meter spans one or two
    # chunks, since units come by address), so memory stays flat however large the office.
    shares: dict[int, dict[int, PlannedLine]] = field(default_factory=dict)

    def lines_for(self, span: tuple[int, int]) -> dict[int, list[PlannedLine]]:
        served = [
            (unit_id, meter_id)
            for unit_id, meter_id in Meter.serves.through.objects.filter(
                meter__office=self.office, **_within("unit_id", span)
            ).values_list("unit_id", "meter_id")
            if meter_id in self.meters
        ]
        needed = {meter_id for _unit, meter_id in served}
        for meter_id in list(self.shares):
            if meter_id not in needed:
                del self.shares[meter_id]
        missing = needed - set(self.shares)
        if missing:
            served_by = defaultdict(list)
            for unit_id, meter_id in Meter.serves.through.objects.filter(
                meter_id__in=missing
            ).values_list("unit_id", "meter_id"):
                served_by[meter_id].append(unit_id)
            occupied = occupied_unit_ids(
                [u for units in served_by.values() for u in units], self.quarter.previous.last_day
            )
            for meter_id in missing:
                done = apportion(self.meters[meter_id], self.quarter.previous, occupied)
                self.shares[meter_id] = _share_lines(done)
                done.shares = {}  # the lines above are what is kept
                self.apportioned[meter_id] = done
        lines: dict[int, list[PlannedLine]] = defaultdict(list)
        for unit_id, meter_id in sorted(served, key=lambda pair: self.meters[pair[1]].name):
            if unit_id in self.shares[meter_id]:
                lines[unit_id].append(self.shares[meter_id][unit_id])
        return lines


def _context(office: Office, quarter: Quarter, building: Building | None) -> _Context:
    """Gather the run's inputs and check them all first (every rate for every unit use in scope,
    every reading), so a run never stops half-way on a missing one."""
    units = Unit.objects.filter(office=office).exclude(use=UnitUse.COMMON_AREA)
    if building is not None:
        units = units.filter(building=building)
    items = list(
        FeeItem.objects.filter(
            office=office, is_active=True, basis__in=[Basis.AREA_MONTH, Basis.UNIT_MONTH]
        ).order_by("kind", "name")
    )
    rates = list(FeeRate.objects.filter(fee_item__office=office))
    problems: list[str] = []
    for use in sorted(set(units.values_list("use", flat=True))):
        for item in items:
            if rate_on(item.pk, use, quarter.first_day, rates) is None:
                problems.append(
                    _("No rate of %(item)s for %(use)s units on %(day)s.")
                    % {
                        "item": item.name,
                        "use": UnitUse(use).label,
                        "day": quarter.first_day.isoformat(),
                    }
                )
    meters = {
        meter.pk: meter
        for meter in Meter.objects.filter(
            office=office, parent__isnull=True, fee_item__basis=Basis.SHARED_USAGE, serves__in=units
        )
        .distinct()
        .select_related("fee_item")
        .prefetch_related("fee_item__rates")
    }
    for meter in meters.values():
        try:
            shared_usage(meter, quarter.previous)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    developer = Developer.objects.filter(office=office).values_list("name", flat=True).first()
    return _Context(
        office, quarter, units, items, rates, meters, developer=developer,
        discounted=run_rules.discounted_units(office.pk, quarter, timezone.now()),
        late_fees=run_rules.LateFees(office.pk, quarter, timezone.localdate()),
    )  # fmt: skip


def _chunks(units: QuerySet[Unit], size: int) -> Iterator[list[UnitRow]]:
    """The units by id, ``size`` at a time (keyset paging: memory stays flat)."""
    last = 0
    while True:
        chunk = [
            UnitRow(*row)
            for row in units.filter(id__gt=last)
            .order_by("id")
            .values_list("id", "address", "area", "use", "building_id")[:size]
        ]
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _plan_chunk(context: _Context, units: list[UnitRow], result: Plan) -> list[PlannedStatement]:
    quarter = context.quarter
    span = (units[0].pk, units[-1].pk)
    issued = set(
        Statement.objects.filter(
            office=context.office, quarter=str(quarter), **_within("unit_id", span)
        ).values_list("unit_id", flat=True)
    )
    payers = _payers(context.office.pk, span, quarter.first_day)
    shares = context.lines_for(span)
    late = context.late_fees.for_chunk(span) if context.late_fees else {}
    carried = run_rules.prepaid(context.office.pk, quarter, span)
    items = {item.pk: item for item in context.items}
    planned = []
    for unit in units:
        household_id: int | None
        if unit.pk in payers:
            household_id, payer = payers[unit.pk]
        elif context.developer is not None:
            # Completed but not sold or delivered: the developer pays (物業管理條例 §41).
            household_id, payer = None, context.developer
        else:
            result.vacant_units += 1
            continue
        if unit.pk in issued:
            result.already_issued += 1
            continue
        lines = []
        for item in context.items:
            rate = rate_on(item.pk, unit.use, quarter.first_day, context.rates)
            if rate is not None:  # checked for every use in _context
                lines.append(_fee_line(item, rate.amount, unit, quarter))
        if household_id is not None and context.discounted.get(unit.pk) == household_id:
            lines.extend(run_rules.discount_lines(lines, items))
        lines.extend(shares.get(unit.pk, []))
        lines.extend(line for charged, line in late.get(unit.pk, []) if charged == household_id)
        if unit.pk in carried:
            total = sum((line.amount for line in lines), Decimal("0.00"))
            lines.extend(run_rules.credit_lines(carried[unit.pk], household_id, total))
        planned.append(PlannedStatement(unit, household_id, payer, lines))
    return planned


def plan(
    office: Office,
    quarter: Quarter,
    building: Building | None = None,
    *,
    due_on: date | None = None,
) -> Plan:
    """What the run would issue (the preview); ValidationError listing every missing rate or
    reading, or naming ``due_on`` when the pay-by day given is before today."""
    result = Plan(office, quarter, building, due_on=due_date(office, due_on))
    context = _context(office, quarter, building)
    for units in _chunks(context.units, BATCH):
        result.statements.extend(_plan_chunk(context, units, result))
    result.statements.sort(key=lambda planned: natural_key(planned.unit.address))
    result.apportioned = list(context.apportioned.values())
    return result


def _fee_line(item: FeeItem, rate: Decimal, unit: UnitRow, quarter: Quarter) -> PlannedLine:
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


def _share_lines(done: Apportioned) -> dict[int, PlannedLine]:
    """unit id → the line of its share of a meter's quarter."""
    meter, quarter = done.meter, done.quarter
    return {
        share.unit_id: PlannedLine(
            LineKind.APPORTIONMENT,
            meter.fee_item_id,
            f"{meter.fee_item.name} {quarter}",
            share.basis,
            share.amount,
        )
        for share in done.shares.values()
    }


def issue(
    office: Office,
    quarter: Quarter,
    *,
    by: Any,
    building: Building | None = None,
    due_on: date | None = None,
    batch: int = BATCH,
) -> BillRun:
    """Issue the run (or finish one a crash interrupted). Refused (``Conflict``) when it was
    issued already, or while another run of the office's quarter is being issued: two at once
    would write the same households' statements. The statements are due on ``due_on`` when
    given, else ``office.bill_due_days`` after today (``due_date``)."""
    with locks.attempt(f"bill-run:{office.pk}:{quarter}") as ours:
        if not ours:
            raise _in_progress(office, quarter)
        try:
            run = _issue(office, quarter, by=by, building=building, due_on=due_on, batch=batch)
        except IntegrityError:
            # The other run got there first where no lock could be taken (SQLite), or between
            # our reading and writing: its rows stand, and ours were rolled back.
            raise _in_progress(office, quarter) from None
    bills_issued(run)  # each household is told of its bill, by the worker
    return run


def _in_progress(office: Office, quarter: Quarter) -> Conflict:
    return Conflict(
        _(
            "Another %(quarter)s bill run for %(office)s is being issued right now; "
            "wait until it has finished."
        )
        % {"quarter": quarter, "office": office},
        code="run_in_progress",
    )


def _issue(
    office: Office,
    quarter: Quarter,
    *,
    by: Any,
    building: Building | None,
    due_on: date | None,
    batch: int,
) -> BillRun:
    run = BillRun.objects.filter(office=office, quarter=str(quarter), building=building).first()
    if run is not None and run.status == RunStatus.ISSUED:
        raise Conflict(
            _("The %(quarter)s bill run for %(scope)s was issued on %(day)s.")
            % {
                "quarter": quarter,
                "scope": building or office,
                "day": timezone.localtime(run.finished_at).date().isoformat()
                if run.finished_at
                else "",
            },
            code="run_issued",
        )
    today = issue_day(office)
    if due_on is None and run is not None:
        # Finishing an interrupted run: its households get the pay-by day of those written
        # before the crash, unless that day has passed meanwhile.
        written = Statement.objects.filter(run=run).values_list("due_on", flat=True).first()
        due_on = written if written is not None and written >= today else None
    due_on = due_date(office, due_on, issued_on=today)
    context = _context(office, quarter, building)
    if run is None:
        with transaction.atomic():  # a savepoint: a racing run's row may be there already
            run = BillRun.objects.create(
                office=office, quarter=str(quarter), building=building, started_by=by
            )
    now = timezone.now()
    counts = Plan(office, quarter, building)
    for units in _chunks(context.units, batch):
        _write_batch(run, _plan_chunk(context, units, counts), quarter, now, due_on)
    _save_apportionments(office, list(context.apportioned.values()))
    issued = Statement.objects.filter(run=run).count()
    BillRun.objects.filter(pk=run.pk).update(
        status=RunStatus.ISSUED, finished_at=timezone.now(), statements_issued=issued
    )
    run.refresh_from_db()
    return run


def _save_apportionments(office: Office, apportioned: list[Apportioned]) -> None:
    for done in apportioned:
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
    """One transaction: the batch's statements, then their lines. Written with ``executemany``
    rather than ``bulk_create``: a run writes hundreds of thousands of rows, and building a
    model instance for each cost more than the database did (docs/performance.md)."""
    if not batch:
        return
    zero = Decimal("0.00")
    prefix = f"{run.office.code}-{quarter}-"
    with transaction.atomic():
        _carry_credit(batch)
        statement_rows = [
            (run.office_id, run.pk, str(quarter), prefix + p.unit.address, p.payer_kind,
             p.household_id, p.unit.pk, p.unit.building_id, p.payer[:60], p.total, zero, due_on,
             now)
            for p in batch
        ]  # fmt: skip
        _insert(
            Statement,
            ["office_id", "run_id", "quarter", "number", "payer_kind", "household_id", "unit_id",
             "building_id", "payer", "total", "paid", "due_on", "issued_at"],
            statement_rows,
        )  # fmt: skip
        ids = dict(
            Statement.objects.filter(
                run=run, **_within("unit_id", (batch[0].unit.pk, batch[-1].unit.pk))
            ).values_list("unit_id", "id")
        )
        _insert(
            StatementLine,
            ["statement_id", "kind", "fee_item_id", "description", "basis", "amount", "reason",
             "source_id", "accrued_through"],
            [
                (ids[p.unit.pk], line.kind, line.fee_item_id, line.description[:100],
                 line.basis[:200], line.amount, "", line.source_id, line.accrued_through)
                for p in batch
                for line in p.lines
            ],
        )  # fmt: skip


def _carry_credit(batch: list[PlannedStatement]) -> None:
    """Move the prepayments the batch's CREDIT lines carry: the earlier statement gives up the
    money (its ``paid`` goes down by the line's amount, to its total at most), so every yuan is
    counted once. The earlier rows are locked and read again: a refund approved since the plan
    was made leaves less to carry, and the line (and the new total) shrink to what is there."""
    wanted = {
        line.source_id
        for p in batch
        for line in p.lines
        if line.kind == LineKind.CREDIT and line.source_id is not None
    }
    if not wanted:
        return
    excess = _lock_excess(sorted(wanted))
    moved: dict[int, Decimal] = defaultdict(Decimal)
    for p in batch:
        kept = []
        for line in p.lines:
            if line.kind == LineKind.CREDIT and line.source_id in excess:
                amount = min(-line.amount, max(Decimal("0.00"), excess[line.source_id]))
                if amount <= 0:
                    continue
                excess[line.source_id] -= amount
                moved[line.source_id] += amount
                line.amount = -amount
            kept.append(line)
        p.lines = kept
    if moved:
        _take_paid(moved)


# Raw SQL on PostgreSQL with one array a column (the ORM's IN lists and CASE cost more than the
# database did: a run moves thousands of credits); the ORM elsewhere.
def _lock_excess(ids: list[int]) -> dict[int, Decimal]:
    """Lock the statements and read what each holds beyond its total."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Statement._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, paid - total FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                [ids],
            )
            return dict(cursor.fetchall())
    return {
        pk: paid - total
        for pk, paid, total in Statement.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "paid", "total")
    }


def _take_paid(moved: dict[int, Decimal]) -> None:
    """Take each amount off its statement's ``paid``, in one statement."""
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS s SET paid = s.paid - m.amount "
                "FROM unnest(%s::bigint[], %s::numeric[]) AS m(id, amount) WHERE s.id = m.id",
                [list(moved), list(moved.values())],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET paid = paid - %s WHERE id = %s",
                [(str(amount), pk) for pk, amount in moved.items()],
            )


def _insert(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Write rows fast: COPY on PostgreSQL, multi-row INSERTs elsewhere (as many rows to a
    statement as the database takes parameters). Values are plain Python (Decimal, date…)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            return
        fields = [model._meta.get_field(c.removesuffix("_id")) for c in columns]
        adapted = [
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True))
            for values in rows
        ]
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        size = max(1, (connection.features.max_query_params or 999) // len(columns))
        for start in range(0, len(adapted), size):
            part = adapted[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(part))}",
                [value for values in part for value in values],
            )
