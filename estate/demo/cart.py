"""The convenience service cart of each demo office (written once: an office with items is left alone)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from estate.frontdesk.models import CartItem
from estate.properties.models import Office

ITEMS = (
    ("輪椅", 2, "200.00"),
    ("雨傘", 10, "0.00"),
    ("手推車", 3, "50.00"),
    ("工具箱", 2, "100.00"),
)


def seed_cart(offices: dict[str, Office], created: Counter[str]) -> None:
    for office in offices.values():
        if CartItem.objects.filter(office=office).exists():
            continue
        CartItem.objects.bulk_create(
            CartItem(office=office, name=name, quantity=quantity, deposit=Decimal(deposit))
            for name, quantity, deposit in ITEMS
        )
        created["cart items"] += len(ITEMS)
