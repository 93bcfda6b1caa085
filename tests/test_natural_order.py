"""Buildings and units in natural order (2 before 10, 3-902 before 3-1202, A3 before A10), kept
in the database by a stored sort key so that it holds for paging, on SQLite and PostgreSQL."""

from functools import partial

import pytest
from django.urls import reverse

from estate.core.api import CursorPages
from estate.core.natural import natural_key
from estate.core.pagination import page_of
from estate.properties import views
from estate.properties.models import Building, Site, Unit
from tests.factories import BuildingFactory, unit_at

# Units 1..12 of building 2 and of building 10: in text order 10-1 and 2-10 would come first.
ADDRESSES = [f"{code}-{number}" for code in ("2", "10") for number in range(1, 13)]


def shuffled(items):
    return items[1::2] + items[0::2][::-1]


@pytest.fixture
def numbered(bsw):
    """The addresses entered out of order, after bsw's own 3-1202."""
    for address in shuffled(ADDRESSES):
        unit_at(bsw, address)
    return bsw


def in_order(text, words):
    positions = [text.index(f">{word}<") for word in words]
    return positions == sorted(positions)


def test_the_key_pads_every_run_of_digits():
    codes = ["A10", "a3", "10", "2", "B1", "1", "A3B10", "A3B2", "01-7"]
    assert sorted(codes, key=natural_key) == [
        "1",
        "01-7",
        "2",
        "10",
        "a3",
        "A3B2",
        "A3B10",
        "A10",
        "B1",
    ]
    assert natural_key("3-902") == "0000000003-0000000902"
    assert sorted(["1-102", "2-101", "1-101", "10-101"], key=natural_key) == [
        "1-101",
        "1-102",
        "2-101",
        "10-101",
    ]


def test_saving_and_bulk_creating_fill_the_key(bsw):
    unit = unit_at(bsw, "A3-0902")
    assert unit.sort_key == "A0000000003-0000000902"
    assert unit.building.sort_key == "A0000000003"
    site = Site.objects.get(office=bsw, name=unit.building.site.name)
    [made] = Building.objects.bulk_create([Building(office=bsw, site=site, code="B12", name="B")])
    assert Building.objects.get(pk=made.pk).sort_key == "B0000000012"
    Unit.objects.bulk_create(
        [Unit(office=bsw, building=made, number="7", area="10.00")], batch_size=10
    )
    assert Unit.objects.get(address="B12-7").sort_key == "B0000000012-0000000007"


def test_the_unit_list_pages_in_natural_order(client, reception, numbered, monkeypatch):
    monkeypatch.setattr(views, "page_of", partial(page_of, size=10))
    client.force_login(reception)
    units = reverse("properties:unit_list")
    first = client.get(units).text
    assert in_order(first, ["2-1", "2-2", "2-9", "2-10"])
    assert ">2-11<" not in first  # the page holds ten
    second = client.get(units, {"page": 2}).text
    assert in_order(second, ["2-11", "2-12", "3-1202", "10-1", "10-2", "10-7"])
    third = client.get(units, {"page": 3}).text
    assert in_order(third, ["10-8", "10-9", "10-10", "10-11", "10-12"])


def test_the_building_list_and_its_select_are_in_natural_order(client, reception, numbered):
    BuildingFactory(office=numbered, site=Site.objects.filter(office=numbered).first(), code="1")
    client.force_login(reception)
    buildings = client.get(reverse("properties:building_list")).text
    assert in_order(buildings, ["1", "2", "3", "10"])
    select = client.get(reverse("properties:unit_list")).text
    select = select[
        select.index('name="building"') : select.index("</select>", select.index('name="building"'))
    ]
    options = [b.name for b in Building.objects.filter(office=numbered)]
    assert options == ["1棟", "2棟", "3棟", "10棟"]
    assert in_order(select, options)


def test_the_api_pages_units_and_buildings_in_natural_order(
    client, reception, numbered, monkeypatch
):
    monkeypatch.setattr(CursorPages, "page_size", 5)
    client.force_login(reception)
    seen: list[str] = []
    url = f"/api/v1/units/?office={numbered.pk}"
    while url:
        body = client.get(url).json()
        seen += [row["address"] for row in body["results"]]
        url = body["next"]
    assert seen == [*ADDRESSES[:12], "3-1202", *ADDRESSES[12:]]
    codes = [row["code"] for row in client.get("/api/v1/buildings/").json()["results"]]
    assert codes == ["2", "3", "10"]
