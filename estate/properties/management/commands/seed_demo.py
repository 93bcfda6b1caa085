"""``manage.py seed_demo``: build the demo company, offices, registry, logins and a lived-in desk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from estate import demo
from estate.accounts.models import User
from estate.properties.models import Company
from estate.workorders.models import WorkOrder


class Command(BaseCommand):
    help = (
        "Create the demo offices 碧水灣 (BSW) and campus (CAMPUS): their registry, service units, "
        "service catalogue, referral directory and logins, and for 碧水灣 a desk with contacts "
        "and work orders in every stage. Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load the demo only into a database that has no company yet (make run uses this, "
            "so the demo is loaded once and never mixed into an office's real data).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Company.objects.exists():
            self.stdout.write("The database already has data; the demo data was not loaded.")
            if User.objects.filter(username=demo.RESIDENT_USERNAME).exists():
                self.stdout.write(
                    f'Demo logins (password "{settings.DEMO_PASSWORD}"): '
                    + ", ".join(
                        [*(login.username for login in demo.STAFF_LOGINS), demo.RESIDENT_USERNAME]
                    )
                )
            return
        created = demo.seed()
        if created:
            counts = ", ".join(f"{label} {count}" for label, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Created: {counts}."))
        else:
            self.stdout.write("Nothing to create: the demo data is already there.")

        for office, totals in demo.totals():
            held = ", ".join(f"{count} {label}" for label, count in totals.items() if count)
            self.stdout.write(f"{office.name} ({office.code}): {held}")
        anchor_order = (
            WorkOrder.objects.open()
            .filter(office__code=demo.BSW.code, unit__address=demo.ANCHOR_ADDRESS)
            .first()
        )
        if anchor_order is not None:
            self.stdout.write(
                f"Open order for {demo.ANCHOR_ADDRESS}: {anchor_order.number} "
                f"({anchor_order.get_status_display()})"
            )

        self.stdout.write(f'\nDemo logins, all with the password "{settings.DEMO_PASSWORD}":')
        for login in demo.STAFF_LOGINS:
            where = login.office or "company-wide"
            team = f" · {login.service_unit}" if login.service_unit else ""
            self.stdout.write(
                f"  {login.username:<12} {login.role:<14} {where}{team} · {login.display_name}"
            )
        resident = User.objects.get(username=demo.RESIDENT_USERNAME)
        self.stdout.write(
            f"  {resident.username:<12} {'resident':<14} "
            f"{demo.BSW.code} {demo.ANCHOR_ADDRESS} · {resident.display_name} (resident portal)"
        )
