"""``manage.py bill_run --office BSW --quarter 2026Q4 [--building 3] [--preview]``: the quarterly
bill run from the command line (the same plan and issue as the cashier's page).

Safe to run again after a crash: it finishes the statements that are missing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from estate.accounts.models import User
from estate.billing import runs
from estate.core.periods import Quarter
from estate.properties.models import Building, Office


class Command(BaseCommand):
    help = "Preview or issue a quarter's statements for an office (or one building)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="Office code, e.g. BSW")
        parser.add_argument("--quarter", required=True, help="The quarter billed, e.g. 2026Q4")
        parser.add_argument("--building", help="Building code, to bill one building")
        parser.add_argument("--by", default="", help="Username recorded as the one who ran it")
        parser.add_argument("--preview", action="store_true", help="Show the totals, issue nothing")
        parser.add_argument(
            "--batch", type=int, default=runs.BATCH, help="Statements written per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            office = Office.objects.get(code=options["office"])
        except Office.DoesNotExist:
            raise CommandError(f"--office: no office with code {options['office']!r}") from None
        try:
            quarter = Quarter.parse(options["quarter"])
        except ValueError as error:
            raise CommandError(f"--quarter: {error}") from None
        building = None
        if options["building"]:
            building = Building.objects.filter(office=office, code=options["building"]).first()
            if building is None:
                raise CommandError(
                    f"--building: no building {options['building']!r} in {office.code}"
                )
        by = (
            User.objects.filter(username=options["by"]).first()
            if options["by"]
            else User.objects.filter(is_superuser=True).order_by("id").first()
        ) or User.objects.filter(staff_roles__office=office).order_by("id").first()
        if by is None:
            raise CommandError("--by: nobody to record as having run it")
        try:
            if options["preview"]:
                plan = runs.plan(office, quarter, building)
                self.stdout.write(
                    f"{len(plan.statements)} statements, {plan.total} yuan; "
                    f"{plan.vacant_units} vacant, {plan.already_issued} already issued"
                )
                for item, amount in plan.totals_by_item():
                    self.stdout.write(f"  {item}: {amount}")
                return
            run = runs.issue(office, quarter, by=by, building=building, batch=options["batch"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{run.statements_issued} statements issued for {quarter}")
