"""The access matrix: every demo login (and a person with different roles in two offices) against
every staff API endpoint, every record of both offices, and every page of the menu.

Nothing here is hand-picked: the endpoints come from the API router and the menu, the right each
needs from the endpoint itself, and the expected answer from the capability table
(``estate.accounts.roles``) applied to the person's roles in each office, computed here without
the access layer under test.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from estate.accounts.models import StaffRole, User
from estate.accounts.roles import COMPANY_WIDE, Capability, Role, holds
from estate.api_urls import router
from estate.billing import payments, runs
from estate.billing.models import Statement
from estate.core.navigation import NAVIGATION
from estate.core.periods import Quarter
from estate.core.viewsets import ScopedViewSet
from estate.properties.models import Office, ServiceUnit
from estate.timerules.models import Clock
from estate.visits.models import ReturnVisit
from estate.workorders.models import WorkOrder

DEMO_STAFF = (
    "reception", "manager", "head", "repair_lead", "clean_lead", "worker", "cashier",
    "leader", "admin", "campus_desk",
)  # fmt: skip
MIXED = "worker_and_cashier"  # a worker at 碧水灣 who is the cashier of the campus centre


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    bsw, campus = Office.objects.get(code="BSW"), Office.objects.get(code="CAMPUS")
    mixed = User.objects.create_user(MIXED, password="x", display_name="兩處兼職")
    repair = ServiceUnit.objects.get(office=bsw, name="維修班")
    StaffRole.objects.create(
        user=mixed, role=Role.WORKER, company=bsw.company, office=bsw, service_unit=repair
    )
    StaffRole.objects.create(user=mixed, role=Role.CASHIER, company=campus.company, office=campus)
    # The demo issues no bills: the quarter's run, a payment with the owner's remark, a refund asked.
    cashier = User.objects.get(username="cashier")
    runs.issue(bsw, Quarter.parse("2026Q4"), by=cashier)
    statement = Statement.objects.filter(office=bsw).order_by("pk").first()
    paid = payments.receive_payment(
        statement, amount=Decimal("100.00"), method="cash", by=cashier, remark="請開發票"
    )
    payments.request_reversal(
        paid, kind="refund", amount=Decimal("10.00"), reason="多收", by=cashier
    )
    return bsw, campus


@dataclass(frozen=True)
class Person:
    """One login's rights as the capability table gives them, office by office."""

    user: User
    roles: dict[int, set[str]]
    units: set[int]

    @classmethod
    def of(cls, username: str) -> Person:
        user = User.objects.get(username=username)
        roles: dict[int, set[str]] = defaultdict(set)
        units = set(ServiceUnit.objects.filter(lead=user).values_list("id", flat=True))
        for row in StaffRole.objects.filter(user=user):
            if row.service_unit_id:
                units.add(row.service_unit_id)
            offices: list[int] = (
                list(Office.objects.filter(company_id=row.company_id).values_list("id", flat=True))
                if row.role in COMPANY_WIDE
                else [row.office_id]
                if row.office_id
                else []
            )
            for office_id in offices:
                roles[office_id].add(row.role)
        return cls(user, dict(roles), units)

    def offices_with(self, capability: Capability) -> set[int]:
        return {o for o, roles in self.roles.items() if any(holds(r, capability) for r in roles)}

    def may_read(self, capability: Capability, row: object) -> bool:
        """Whether the table lets this person read ``row`` through an endpoint needing ``capability``."""
        office = row.pk if isinstance(row, Office) else row.office_id  # type: ignore[attr-defined]
        order = row if isinstance(row, WorkOrder) else getattr(row, "work_order", None)
        if isinstance(row, WorkOrder | Clock) and order is not None:
            if order.about_id == self.user.pk or office not in self.offices_with(capability):
                return False
            if office in self.offices_with(Capability.VIEW_ALL_ORDERS):
                return True
            return order.service_unit_id in self.units or order.assignee_id == self.user.pk
        if isinstance(row, ReturnVisit):
            if office not in self.offices_with(capability) or (
                row.work_order is not None and row.work_order.about_id == self.user.pk
            ):
                return False
            everything = office in self.offices_with(Capability.VIEW_ALL_ORDERS)
            return everything or row.assigned_to_id == self.user.pk
        if office is None:  # shared by the whole company (company-wide articles)
            return bool(self.offices_with(capability))
        return office in self.offices_with(capability)


def staff_endpoints() -> list[tuple[str, type[ScopedViewSet]]]:
    found = [
        (basename, viewset)
        for _prefix, viewset, basename in router.registry
        if issubclass(viewset, ScopedViewSet)
    ]
    assert len(found) >= 20  # the router did list the API
    return found


def model_of(viewset: type[ScopedViewSet]) -> type:
    serializer = viewset(action="list", format_kwarg=None).get_serializer_class()
    return serializer.Meta.model  # type: ignore[attr-defined]


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_every_api_list_answers_what_the_table_allows_and_nothing_more(demo):
    checked = 0
    for username in (*DEMO_STAFF, MIXED):
        person = Person.of(username)
        api = api_for(person.user)
        for basename, viewset in staff_endpoints():
            url = reverse(f"{basename}-list")
            answer = api.get(url)
            allowed = person.offices_with(viewset.capability)
            checked += 1
            if not allowed:
                assert answer.status_code == 403, (username, url, answer.status_code)
                continue
            assert answer.status_code == 200, (username, url, answer.status_code)
            body = answer.json()
            rows = body["results"] if isinstance(body, dict) else body
            model = model_of(viewset)
            shown = model.objects.filter(pk__in=[r["id"] for r in rows])
            assert len(shown) == len(rows)
            for row in shown:
                assert person.may_read(viewset.capability, row), (username, url, row.pk)
            readable = [r for r in model.objects.all() if person.may_read(viewset.capability, r)]
            if readable:
                assert rows, (username, url, "lists nothing although rows may be read")
    print(f"API lists: {checked} checks ({len(DEMO_STAFF) + 1} logins)")


def test_every_record_of_both_offices_answers_200_or_404_by_the_table(demo):
    checked = 0
    people = [Person.of(u) for u in (*DEMO_STAFF, MIXED)]
    for basename, viewset in staff_endpoints():
        model = model_of(viewset)
        samples = []
        for office in Office.objects.order_by("pk"):
            rows = model.objects.filter(
                **({"pk": office.pk} if model is Office else {"office": office})
            )
            samples += list(rows.order_by("pk")[:3])
        for person in people:
            api = api_for(person.user)
            for row in samples:
                answer = api.get(reverse(f"{basename}-detail", args=[row.pk]))
                if not person.offices_with(viewset.capability):
                    expected = 403
                else:
                    expected = 200 if person.may_read(viewset.capability, row) else 404
                checked += 1
                assert answer.status_code == expected, (
                    person.user.username,
                    basename,
                    row.pk,
                    answer.status_code,
                )
    assert checked > 500
    print(f"API records: {checked} checks")


def test_every_menu_page_opens_for_those_the_table_allows(client, demo):
    checked = 0
    for item in NAVIGATION:
        url = reverse(item.url_name)
        view = resolve(url).func
        # The menu and the page ask for the same right: one truth.
        assert getattr(view, "capability", None) == item.capability, item.url_name
    for username in (*DEMO_STAFF, MIXED):
        person = Person.of(username)
        client.force_login(person.user)
        for item in NAVIGATION:
            answer = client.get(reverse(item.url_name), follow=True)  # field staff land on jobs
            expected = 200 if person.offices_with(item.capability) else 403
            checked += 1
            assert answer.status_code == expected, (username, item.url_name, answer.status_code)
    print(f"menu pages: {checked} checks")


def test_a_right_held_in_one_office_opens_nothing_in_the_other(client, demo):
    """The worker of 碧水灣 who is the campus cashier: no fee record of 碧水灣, by page or API."""
    from estate.billing.models import Payment

    bsw, _campus = demo
    mixed = User.objects.get(username=MIXED)
    client.force_login(mixed)
    statement = Statement.objects.filter(office=bsw).first()
    payment = Payment.objects.filter(office=bsw).exclude(receipt_number="").first()
    assert statement is not None
    assert payment is not None
    assert client.get(reverse("billing:statement_pdf", args=[statement.pk])).status_code == 404
    assert client.get(reverse("billing:receipt_pdf", args=[payment.pk])).status_code == 404
    assert client.get(reverse("billing:home"), {"office": bsw.pk}).status_code == 403
    api = api_for(mixed)
    assert api.get(reverse("statement-detail", args=[statement.pk])).status_code == 404
    assert api.get(reverse("statement-list")).json()["results"] == []
