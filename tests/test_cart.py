"""The convenience service cart: the desk lends and takes back, never more than the office has;
residents see what is free and what they have out."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from estate.accounts.models import User
from estate.frontdesk import cart
from estate.frontdesk.models import CartItem, Loan
from estate.properties.models import Resident
from tests.factories import PASSWORD

TODAY = "2026-11-26 10:00 +08:00"


@pytest.fixture
def wheelchair(bsw):
    return CartItem.objects.create(office=bsw, name="輪椅", quantity=2)


@time_machine.travel(TODAY, tick=False)
def test_the_desk_lends_and_takes_back_through_the_page(client, bsw, reception, wheelchair):
    client.force_login(reception)
    lent = client.post(
        reverse("frontdesk:cart"),
        {"office": bsw.pk, "do": "lend", "item": wheelchair.pk, "unit": "3-1202",
         "borrower_name": "陳美玲", "due_back": "2026-11-28"},
    )  # fmt: skip
    assert lent.status_code == 302
    loan = Loan.objects.get()
    assert (loan.borrower.name, loan.unit.address) == ("陳美玲", "3-1202")
    assert cart.with_availability(bsw).get().free == 1
    client.post(reverse("frontdesk:cart"), {"office": bsw.pk, "do": "return", "loan": loan.pk})
    assert cart.with_availability(bsw).get().free == 2
    with pytest.raises(ValidationError):
        cart.take_back(Loan.objects.get(), by=reception)


@time_machine.travel(TODAY, tick=False)
def test_never_more_out_than_the_office_has_and_bad_input_named(bsw, reception, wheelchair):
    back = date(2026, 11, 30)
    cart.lend(wheelchair, by=reception, due_back=back, borrower_name="甲")
    cart.lend(wheelchair, by=reception, due_back=back, borrower_name="乙")
    with pytest.raises(ValidationError) as none_left:
        cart.lend(wheelchair, by=reception, due_back=back, borrower_name="丙")
    assert "item" in none_left.value.message_dict
    for change, field in (
        ({"borrower_name": " "}, "borrower_name"),
        ({"due_back": date(2026, 11, 1)}, "due_back"),
    ):
        with pytest.raises(ValidationError) as refused:
            cart.lend(
                wheelchair, by=reception, **({"due_back": back, "borrower_name": "丁"} | change)
            )
        assert field in refused.value.message_dict
    assert Loan.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_residents_see_what_is_free_and_what_they_have(client, bsw, reception, wheelchair):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    chen = Resident.objects.get(phone="13812341234")
    Resident.objects.filter(pk=chen.pk).update(user=user)
    chen.refresh_from_db()
    cart.lend(wheelchair, by=reception, due_back=date.today() + timedelta(days=2), borrower=chen)
    client.force_login(user)
    page = client.get(reverse("portal:cart")).content.decode()
    assert "輪椅" in page
    assert 'data-free="1"' in page  # one of two is out
    assert "2026-11-28" in page  # when hers is due back


def test_the_cart_and_community_pages_stay_light(
    client, bsw, wheelchair, django_assert_max_num_queries
):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    client.force_login(user)
    for name in ("portal:cart", "portal:community"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name)).status_code == 200
