"""One mechanism decides access: a staff member sees only their own offices (deny by default)."""

import pytest
from django.urls import reverse

from estate.accounts.access import scope_for
from estate.accounts.models import User
from estate.accounts.roles import Capability, Role
from estate.properties.models import Resident, Unit
from tests.factories import PASSWORD, add_role, staff


def _unit(office, address):
    return Unit.objects.get(office=office, address=address)


def test_reception_gets_404_for_another_offices_unit_in_ui_and_api(client, reception, other_office):
    client.force_login(reception)
    foreign = _unit(other_office, "1-101")
    assert client.get(reverse("properties:unit_detail", args=[foreign.pk])).status_code == 404
    assert client.get(f"/api/v1/units/{foreign.pk}/").status_code == 404
    foreign_resident = Resident.objects.get(office=other_office)
    assert client.post(f"/api/v1/residents/{foreign_resident.pk}/phone/").status_code == 404
    assert (
        client.post(reverse("properties:reveal_phone", args=[foreign_resident.pk])).status_code
        == 404
    )


def test_reception_sees_own_office_unit(client, reception, bsw):
    client.force_login(reception)
    own = _unit(bsw, "3-1202")
    page = client.get(reverse("properties:unit_detail", args=[own.pk]))
    assert page.status_code == 200
    assert "3-1202" in page.text
    assert client.get(f"/api/v1/units/{own.pk}/").json()["address"] == "3-1202"


def test_lists_and_api_only_show_own_office(client, reception, bsw, other_office):
    client.force_login(reception)
    listing = client.get(reverse("properties:unit_list"))
    assert "3-1202" in listing.text
    assert "1-101" not in listing.text
    api = client.get("/api/v1/units/").json()
    assert [row["address"] for row in api["results"]] == ["3-1202"]


def test_leadership_spans_the_company(client, leader, bsw, other_office):
    client.force_login(leader)
    addresses = {row["address"] for row in client.get("/api/v1/units/").json()["results"]}
    assert addresses == {"3-1202", "1-101"}
    assert (
        client.get(
            reverse("properties:unit_detail", args=[_unit(other_office, "1-101").pk])
        ).status_code
        == 200
    )


def test_a_login_without_roles_sees_nothing(client, bsw):
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    client.force_login(nobody)
    assert client.get(reverse("properties:unit_list")).status_code == 403
    assert client.get("/api/v1/units/").status_code == 403
    assert not Unit.objects.visible_to(nobody).exists()


def test_anonymous_is_sent_to_login_and_api_refuses(client, bsw):
    response = client.get(reverse("properties:unit_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert client.get("/api/v1/units/").status_code in (401, 403)


def test_company_wide_roles_do_not_reach_another_company(db, bsw):
    from tests.factories import CompanyFactory, OfficeFactory, unit_at

    rival = OfficeFactory(company=CompanyFactory(name="別家物業"), code="XX", name="別家管理處")
    unit_at(rival, "9-909")
    leader = staff("leader", Role.LEADERSHIP, company=bsw.company)
    assert set(Unit.objects.visible_to(leader).values_list("address", flat=True)) == {"3-1202"}


def test_capabilities_follow_roles_per_office(db, bsw, other_office):
    user = staff("mixed", Role.HEAD, bsw)
    add_role(user, Role.RECEPTIONIST, other_office)
    scope = scope_for(user)
    assert scope.can(Capability.IMPORT_ROSTER, bsw.id)
    assert not scope.can(Capability.IMPORT_ROSTER, other_office.id)
    assert scope.office_ids == {bsw.id, other_office.id}


def test_scope_is_computed_once_per_request_user(db, reception, django_assert_num_queries):
    fresh = User.objects.get(pk=reception.pk)
    with django_assert_num_queries(2):
        scope_for(fresh)
        scope_for(fresh)


def test_resident_login_goes_to_the_portal_not_the_staff_desk(client, bsw):
    resident = Resident.objects.get(office=bsw)
    resident.user = User.objects.create_user("resident", password=PASSWORD)
    resident.save()
    client.force_login(resident.user)
    response = client.get(reverse("properties:unit_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    portal = client.get(reverse("portal:home"))
    assert "3-1202" in portal.text
    assert client.get("/api/v1/units/").status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/api/v1/offices/", "/api/v1/buildings/", "/api/v1/households/", "/api/v1/service-units/"],
)
def test_every_api_list_is_scoped(client, reception, bsw, other_office, path):
    client.force_login(reception)
    rows = client.get(path).json()["results"]
    offices = (
        {row["id"] for row in rows}
        if path == "/api/v1/offices/"
        else {row["office"] for row in rows}
    )
    assert offices == {bsw.id}
