"""Every API list answers 200 with its rows to the roles that may read it, in keyset pages of one
pagination class; a viewset's own ordering (clocks soonest first) goes through it."""

import base64

import pytest
from django.urls import reverse

from estate.accounts.roles import Role, holds
from estate.api_urls import router
from estate.core.api import CursorPages

PORTAL = {"portal-order", "portal-statement"}
STAFF_LISTS = sorted(
    basename for _prefix, _viewset, basename in router.registry if basename not in PORTAL
)


def test_the_lists_are_every_viewset_of_the_router():
    """The seven the testers found answering 500 are among them; none is left out."""
    for basename in ("service-item", "department", "payment", "reversal", "bill-run",
                     "meter-reading", "owner-remark"):  # fmt: skip
        assert basename in STAFF_LISTS
    assert len(STAFF_LISTS) == len(router.registry) - len(PORTAL)


ROLES = {"reception": Role.RECEPTIONIST, "head": Role.HEAD, "worker": Role.WORKER,
         "cashier": Role.CASHIER}  # fmt: skip
VIEWSETS = {basename: viewset for _prefix, viewset, basename in router.registry}


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("basename", STAFF_LISTS)
def test_every_staff_list_answers_200_with_rows(api, api_world, role, basename):
    """To the roles whose capability table grants the list's right; the others get 403 (the
    access matrix checks which rows each one sees)."""
    api.force_authenticate(user=api_world.staff[role])
    response = api.get(reverse(f"{basename}-list"))
    if not holds(ROLES[role], VIEWSETS[basename].capability):
        assert response.status_code == 403, response.content
        return
    assert response.status_code == 200, response.content
    assert response.json()["results"], f"{basename} lists no row for the {role}"


@pytest.mark.parametrize("basename", sorted(PORTAL))
def test_the_portal_lists_answer_the_resident(api, api_world, basename):
    api.force_authenticate(user=api_world.resident)
    response = api.get(reverse(f"{basename}-list"))
    assert response.status_code == 200
    assert response.json()


def test_one_pagination_class_orders_by_id_unless_the_viewset_says_otherwise(api, api_world):
    from estate.timerules.models import Clock
    from estate.workorders.models import WorkOrder

    api.force_authenticate(user=api_world.staff["head"])
    orders = api.get("/api/v1/work-orders/").json()["results"]
    assert [o["id"] for o in orders] == sorted(o["id"] for o in orders)[::-1]  # newest first
    clocks = api.get("/api/v1/clocks/").json()["results"]
    due = list(Clock.objects.order_by("due_at", "id").values_list("id", flat=True))
    assert [c["id"] for c in clocks] == due  # soonest first
    assert WorkOrder.objects.count() == len(orders)


def test_pages_follow_one_another_without_repeats(api, api_world, monkeypatch):
    monkeypatch.setattr(CursorPages, "page_size", 2)
    api.force_authenticate(user=api_world.staff["head"])
    seen, url = [], "/api/v1/clocks/"
    while url:
        page = api.get(url).json()
        seen += [clock["id"] for clock in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) > 2


@pytest.mark.parametrize(
    "position", ["p=abc", "p=2026-13-45", "o=x"], ids=["text-for-a-date", "no-such-day", "offset"]
)
def test_a_forged_cursor_is_404_not_500(api, api_world, position):
    api.force_authenticate(user=api_world.staff["head"])
    cursor = base64.b64encode(position.encode()).decode()
    response = api.get("/api/v1/clocks/", {"cursor": cursor})
    assert response.status_code == 404
