"""Staff registry pages: search, HTMX partials, query budgets, masked phones and their audit."""

import pytest
from django.urls import reverse

from estate.accounts.roles import Role
from estate.properties.models import PhoneReveal, Resident, Unit
from tests.factories import ResidentFactory, staff, unit_at

LIST_PAGES = [
    "properties:unit_list",
    "properties:resident_list",
    "properties:building_list",
    "properties:service_unit_list",
    "core:home",
]


def table(response, testid="unit-table"):
    """The part of the page from the results table on (the search hint also mentions 3-1202)."""
    text = response.text
    return text[text.index(f'data-testid="{testid}"') :]


@pytest.fixture
def many_units(bsw):
    """30 occupied units over several buildings, so N+1 queries would show."""
    for index in range(30):
        unit = unit_at(bsw, f"{index % 5 + 1}-{index + 101}")
        ResidentFactory(household__unit=unit)
    return bsw


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_list_pages_stay_within_a_query_budget(
    client, reception, many_units, url_name, django_assert_max_num_queries
):
    client.force_login(reception)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_unit_search_by_address_name_and_phone(client, reception, bsw):
    client.force_login(reception)
    url = reverse("properties:unit_list")
    assert "3-1202" in table(client.get(url, {"q": "3-12"}))
    assert "3-1202" in table(client.get(url, {"q": "陳美"}))
    assert "3-1202" in table(client.get(url, {"q": "13812341234"}))
    assert "3-1202" not in table(client.get(url, {"q": "9-9"}))


def test_units_are_in_natural_order(client, reception, bsw):
    for address in ["10-101", "2-1202", "2-902"]:
        unit_at(bsw, address)
    client.force_login(reception)
    text = table(client.get(reverse("properties:unit_list")))
    positions = [text.index(a) for a in ["2-902", "2-1202", "3-1202", "10-101"]]
    assert positions == sorted(positions)


def test_htmx_request_gets_only_the_results_partial(client, reception, bsw):
    client.force_login(reception)
    response = client.get(
        reverse("properties:unit_list"), {"q": "3-"}, headers={"HX-Request": "true"}
    )
    assert "3-1202" in response.text
    assert "<html" not in response.text
    assert 'data-testid="unit-table"' in response.text


def test_phone_numbers_are_masked_on_every_page(client, reception, bsw):
    client.force_login(reception)
    unit = Unit.objects.get(address="3-1202")
    for response in (
        client.get(reverse("properties:unit_list")),
        client.get(reverse("properties:resident_list")),
        client.get(reverse("properties:unit_detail", args=[unit.pk])),
        client.get("/api/v1/residents/"),
    ):
        assert "13812341234" not in response.text
        assert "138****1234" in response.text


def test_revealing_a_number_shows_it_and_records_who_saw_it(client, reception, bsw):
    client.force_login(reception)
    resident = Resident.objects.get(name="陳美玲")
    response = client.post(
        reverse("properties:reveal_phone", args=[resident.pk]), headers={"HX-Request": "true"}
    )
    assert "13812341234" in response.text
    audit = PhoneReveal.objects.get()
    assert (audit.viewer, audit.resident, audit.channel, audit.office) == (
        reception,
        resident,
        "ui",
        bsw,
    )


def test_api_phone_action_is_audited(client, reception, bsw):
    client.force_login(reception)
    resident = Resident.objects.get(name="陳美玲")
    assert client.post(f"/api/v1/residents/{resident.pk}/phone/").json()["phone"] == "13812341234"
    assert PhoneReveal.objects.filter(channel="api", viewer=reception).count() == 1


def test_roles_without_need_cannot_reveal(client, leader, bsw):
    client.force_login(leader)
    resident = Resident.objects.get(name="陳美玲")
    assert client.post(reverse("properties:reveal_phone", args=[resident.pk])).status_code == 403
    assert client.post(f"/api/v1/residents/{resident.pk}/phone/").status_code == 403
    unit_page = client.get(reverse("properties:unit_detail", args=[resident.household.unit_id]))
    assert reverse("properties:reveal_phone", args=[resident.pk]) not in unit_page.text
    assert not PhoneReveal.objects.exists()


def test_reveal_needs_post(client, reception, bsw):
    client.force_login(reception)
    resident = Resident.objects.get(name="陳美玲")
    assert client.get(reverse("properties:reveal_phone", args=[resident.pk])).status_code == 405
    assert not PhoneReveal.objects.exists()


def test_navigation_follows_roles(client, bsw):
    worker = staff("worker", Role.WORKER, bsw)
    client.force_login(worker)
    home = client.get(reverse("core:home"), follow=True).text  # a worker lands on the jobs
    assert reverse("properties:unit_list") in home
    assert reverse("properties:roster") not in home
    assert client.get(reverse("properties:roster")).status_code == 403


def test_api_schema_and_docs_are_served(client, reception):
    client.force_login(reception)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/units/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_static_assets_are_served(client):
    """The vendored CSS and HTMX reach the browser (no CDN: offices may have no internet)."""
    for path in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/bootstrap/bootstrap.min.css"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_unit_detail_and_portal_pages_stay_within_a_query_budget(
    client, reception, bsw, django_assert_max_num_queries
):
    from estate.accounts.models import User

    unit = Unit.objects.get(address="3-1202")
    for index in range(4):
        ResidentFactory(household=unit.households.get(), name=f"家人{index}")
    client.force_login(reception)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("properties:unit_detail", args=[unit.pk])).status_code == 200
    resident = Resident.objects.get(name="陳美玲")
    resident.user = User.objects.create_user("resident", password="x")
    resident.save()
    client.force_login(resident.user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("portal:home"))
    assert "家人3" in page.text
