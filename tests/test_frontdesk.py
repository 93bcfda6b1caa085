"""The desk console, look-up, contact log, catalogue handouts, referrals and the order pages."""

from pathlib import Path

import pytest
from django.urls import reverse

from estate.frontdesk.models import Contact, Referral, ServiceItem
from estate.notifications.models import Notification
from estate.properties.models import Department, Unit
from estate.workorders import actions
from estate.workorders.models import WorkOrder
from tests.factories import ResidentFactory, unit_at

CONSOLE = "frontdesk:console"


def console_post(client, office, **fields):
    data = {
        "office": office.pk,
        "channel": "call",
        "kind": "repair",
        "outcome": "work_order",
        **fields,
    }
    return client.post(reverse(CONSOLE), data)


def test_a_call_from_a_unit_opens_a_dispatched_order(client, reception, bsw, repair_team):
    client.force_login(reception)
    response = console_post(
        client,
        bsw,
        unit="3-1202",
        intent="廚房水管漏水",
        **{"order-service_unit": repair_team.pk, "order-priority": "high"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    order = WorkOrder.objects.get()
    assert (contact.unit.address, contact.requester.name, contact.outcome) == (
        "3-1202",
        "陳美玲",
        "work_order",
    )
    assert (order.contact, order.status, order.priority, order.description) == (
        contact,
        "dispatched",
        "high",
        "廚房水管漏水",
    )
    page = client.get(response["Location"])
    assert order.number in page.text


def test_an_unknown_unit_is_refused_with_suggestions_and_the_form_keeps_what_was_typed(
    client, reception, bsw
):
    client.force_login(reception)
    response = console_post(client, bsw, unit="3-120", intent="門鈴壞了", caller_name="路人甲")
    assert response.status_code == 400
    assert "3-1202" in response.text  # suggested
    assert "門鈴壞了" in response.text  # kept
    assert "路人甲" in response.text
    assert not Contact.objects.exists()


def test_unknown_callers_are_allowed(client, reception, bsw):
    client.force_login(reception)
    response = console_post(
        client,
        bsw,
        intent="問物業費怎麼交",
        caller_name="王先生",
        caller_phone="13700001111",
        outcome="information",
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.requester, contact.caller_name, contact.outcome) == (
        None,
        "王先生",
        "information",
    )
    assert not WorkOrder.objects.exists()


def test_an_order_needs_a_place(client, reception, bsw):
    client.force_login(reception)
    response = console_post(client, bsw, intent="有人亂丟垃圾", caller_name="匿名")
    assert response.status_code == 400
    assert 'data-field="location"' in response.text
    assert not Contact.objects.exists()


def test_an_agitated_visitor_alerts_the_head(client, reception, head, bsw):
    client.force_login(reception)
    response = console_post(
        client,
        bsw,
        channel="visit",
        unit="3-1202",
        kind="complaint",
        intent="噪音投訴，情緒激動",
        agitated="on",
        outcome="answered",
    )
    assert response.status_code == 302
    note = Notification.objects.get(recipient=head)
    assert note.kind == "agitated_visitor"
    assert "3-1202" in note.text


def test_referral_from_the_console_and_its_confirmation(client, reception, bsw):
    power = Department.objects.create(office=bsw, name="供電所", phone="95598", is_external=True)
    client.force_login(reception)
    response = console_post(
        client,
        bsw,
        unit="3-1202",
        kind="inquiry",
        intent="停電",
        outcome="referred",
        **{"ref-department": power.pk, "ref-told_requester": "請打 95598"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.confirmed_at is None
    client.post(
        reverse("frontdesk:confirm_referral", args=[referral.pk]), {"confirmed_by": "供電所張工"}
    )
    referral.refresh_from_db()
    assert referral.confirmed_by == "供電所張工"
    assert referral.confirmed_at is not None


def test_lookup_finds_by_address_name_and_phone_with_open_orders(client, reception, leaking_pipe):
    from estate.properties.models import PhoneReveal

    client.force_login(reception)
    for query in ("3-12", "陳美", "138 1234 1234"):
        page = client.post(reverse("frontdesk:lookup"), {"q": query})
        assert "3-1202" in page.text
        assert leaking_pipe.number in page.text
        assert "13812341234" not in page.text
    # The number found the resident: recorded like a look at it.
    assert PhoneReveal.objects.get(viewer=reception).channel == "search"


def test_a_phone_number_is_found_only_whole(client, reception, leaking_pipe):
    """Digits typed one by one (a prefix or a piece) never match: that would spell out a masked
    number in a few searches."""
    from estate.properties.models import PhoneReveal

    client.force_login(reception)
    for part in ("138", "1381234", "12341234", "3812341234", "1234"):
        page = client.post(reverse("frontdesk:lookup"), {"q": part})
        assert "3-1202" not in page.text, part
        units = client.get(reverse("properties:unit_list"), {"q": part})
        assert "陳美玲" not in units.text, part
    assert not PhoneReveal.objects.exists()


def test_lookup_stays_within_a_query_budget(client, reception, bsw, django_assert_max_num_queries):
    for index in range(10):
        ResidentFactory(household__unit=unit_at(bsw, f"3-{index + 101}"))
    client.force_login(reception)
    with django_assert_max_num_queries(9):  # the 9th: planned interruptions in those buildings
        page = client.post(reverse("frontdesk:lookup"), {"q": "3-"})
    assert page.text.count("data-choose-unit=") >= 8


@pytest.fixture
def many_orders(bsw, reception, repair_team):
    units = [unit_at(bsw, f"9-{n}") for n in range(101, 131)]
    for unit in units:
        actions.open_work_order(
            office=bsw,
            by=reception,
            channel="desk",
            kind="repair",
            description="漏水",
            unit=unit,
            service_unit=repair_team,
        )
    return units


@pytest.mark.parametrize(
    "url_name",
    [
        "workorders:queue",
        "frontdesk:contacts",
        "frontdesk:console",
        "frontdesk:referrals",
        "frontdesk:catalogue",
    ],
)
def test_desk_pages_have_a_fixed_query_budget(
    client, reception, many_orders, url_name, django_assert_max_num_queries
):
    client.force_login(reception)
    with django_assert_max_num_queries(15):  # the console also counts who was not reached
        assert client.get(reverse(url_name)).status_code == 200


def test_queue_pages_with_keyset_and_keeps_filters(client, reception, many_orders):
    client.force_login(reception)
    first = client.get(reverse("workorders:queue"), {"status": "dispatched", "q": "漏水"})
    assert first.text.count('href="/orders/') >= 30
    assert "before=" not in first.text  # 30 rows fit one page of 50


def test_order_page_shows_only_allowed_actions(client, worker, reception, leaking_pipe):
    client.force_login(worker)
    page = client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).text
    assert 'data-testid="action-accept"' in page
    assert 'data-testid="action-close"' not in page
    assert 'data-testid="action-cancel"' not in page
    client.force_login(reception)
    page = client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).text
    assert 'data-testid="action-cancel"' in page
    assert 'data-testid="action-accept"' not in page


def test_order_page_action_refused_by_status_shows_a_message(client, reception, leaking_pipe):
    client.force_login(reception)
    response = client.post(reverse("workorders:act", args=[leaking_pipe.pk, "close"]), follow=True)
    assert response.status_code == 200
    assert leaking_pipe.number in response.text
    leaking_pipe.refresh_from_db()
    assert leaking_pipe.status == "dispatched"


def test_order_page_invalid_action_keeps_the_text(client, worker, leaking_pipe):
    client.force_login(worker)
    client.post(reverse("workorders:act", args=[leaking_pipe.pk, "accept"]))
    response = client.post(
        reverse("workorders:act", args=[leaking_pipe.pk, "complete"]),
        {"complete-work_done": "換了閥門", "complete-fee_charged": "-5"},
    )
    assert response.status_code == 400
    assert "換了閥門" in response.text
    leaking_pipe.refresh_from_db()
    assert leaking_pipe.status == "accepted"


def test_new_order_page(client, reception, bsw):
    client.force_login(reception)
    response = client.post(
        reverse("workorders:new"),
        {
            "office": bsw.pk,
            "kind": "housekeeping",
            "location": "3棟大堂",
            "description": "地面有油污",
            "priority": "normal",
        },
    )
    order = WorkOrder.objects.get()
    assert response["Location"] == reverse("workorders:detail", args=[order.pk])
    assert (order.location, order.accountable) == ("3棟大堂", reception)


def test_catalogue_handout_is_printable_and_public(client, bsw, repair_team):
    item = ServiceItem.objects.create(
        office=bsw, name="水電維修", kind="repair", service_unit=repair_team,
        procedure="報修登記\n派單上門\n完工驗收", documents="業主身份證", fee_kind="priced", price_list="換水龍頭 30 元",
    )  # fmt: skip
    page = client.get(reverse("frontdesk:handout", args=[item.pk]))
    assert page.status_code == 200
    for text in ("水電維修", "派單上門", "業主身份證", "換水龍頭 30 元", "estate/handout.css"):
        assert text in page.text
    # Printed on A4 by its own stylesheet (no inline style: the page's policy allows none).
    sheet = Path(__file__).resolve().parent.parent / "estate/static/estate/handout.css"
    assert "size: A4" in sheet.read_text()


def test_orders_of_another_office_are_404_on_pages(client, other_office, leaking_pipe):
    from estate.accounts.roles import Role
    from tests.factories import staff

    client.force_login(staff("outsider", Role.HEAD, other_office))
    assert client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).status_code == 404
    assert (
        client.post(
            reverse("workorders:act", args=[leaking_pipe.pk, "cancel"]), {"cancel-reason": "x"}
        ).status_code
        == 404
    )
    assert leaking_pipe.number not in client.get(reverse("workorders:queue")).text


def test_units_in_lookup_belong_to_the_users_offices(client, reception, other_office):
    client.force_login(reception)
    assert "1-101" not in client.post(reverse("frontdesk:lookup"), {"q": "1-1"}).text
    assert Unit.objects.filter(address="1-101").exists()


def test_queue_query_count_does_not_grow_with_rows(client, reception, bsw, repair_team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reception)

    def queries_for_queue():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("workorders:queue"))
        return len(captured)

    for n in range(3):
        actions.open_work_order(
            office=bsw,
            by=reception,
            channel="desk",
            kind="repair",
            description="漏水",
            location=f"{n}棟",
            service_unit=repair_team,
        )
    few = queries_for_queue()
    for n in range(30):
        actions.open_work_order(
            office=bsw,
            by=reception,
            channel="desk",
            kind="repair",
            description="漏水",
            location=f"{n}號",
            service_unit=repair_team,
        )
    assert queries_for_queue() == few


def test_contact_log_search_finds_chinese_substrings(client, reception, bsw):
    from estate.frontdesk import actions as desk

    desk.log_contact(
        office=bsw,
        by=reception,
        channel="call",
        kind="repair",
        intent="廚房漏水很嚴重",
        outcome="answered",
    )
    desk.log_contact(
        office=bsw,
        by=reception,
        channel="call",
        kind="inquiry",
        intent="問停車費",
        outcome="information",
    )
    client.force_login(reception)
    page = client.get(reverse("frontdesk:contacts"), {"q": "漏水"}).text
    assert "廚房漏水很嚴重" in page
    assert "問停車費" not in page


def test_admin_shows_orders_read_only(client, leaking_pipe, bsw):
    from estate.accounts.models import User

    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    listing = client.get("/admin/workorders/workorder/")
    assert leaking_pipe.number in listing.text
    assert client.get(f"/admin/workorders/workorder/{leaking_pipe.pk}/change/").status_code == 200
    assert (
        client.post(
            f"/admin/workorders/workorder/{leaking_pipe.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_worker_can_reveal_the_requesters_number_on_the_order_and_it_is_audited(
    client, worker, leaking_pipe
):
    from estate.properties.models import PhoneReveal

    client.force_login(worker)
    page = client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).text
    assert "138****1234" in page
    assert "13812341234" not in page
    anyone = reverse("properties:reveal_phone", args=[leaking_pipe.requester_id])
    reveal = f"{anyone}?order={leaking_pipe.pk}"
    assert reveal in page
    assert "13812341234" in client.post(reveal).text
    seen = PhoneReveal.objects.get(viewer=worker, resident=leaking_pipe.requester)
    assert seen.work_order == leaking_pipe  # the reason is recorded with the look
    # Not as a general right: only for the open order the worker's team handles.
    assert client.post(anyone).status_code == 403


def test_a_worker_may_not_reveal_the_number_of_an_order_of_another_team(
    client, bsw, worker, leaking_pipe
):
    from estate.properties.models import ServiceUnit

    other_team = ServiceUnit.objects.create(office=bsw, name="綠化班", kind="cleaning")
    leaking_pipe.service_unit = other_team
    leaking_pipe.save()
    client.force_login(worker)
    reveal = reverse("properties:reveal_phone", args=[leaking_pipe.requester_id])
    assert client.post(f"{reveal}?order={leaking_pipe.pk}").status_code == 403


def test_the_priority_comes_from_the_service_item_unless_chosen(
    client, reception, bsw, repair_team
):
    from estate.frontdesk.models import ServiceItem

    pipe = ServiceItem.objects.create(
        office=bsw, name="水管爆裂", kind="repair", procedure="關總閥", fee_kind="free",
        service_unit=repair_team, default_priority="urgent",
    )  # fmt: skip
    client.force_login(reception)
    page = client.get(reverse(CONSOLE)).content.decode()
    assert '<option value="" selected>按服務項目預設</option>' in page
    console_post(client, bsw, unit="3-1202", intent="水管爆了", service_item=pipe.pk)
    console_post(
        client, bsw, unit="3-1202", intent="水管滴水", service_item=pipe.pk, duplicate_ok="on",
        **{"order-priority": "low"},
    )  # fmt: skip
    assert list(WorkOrder.objects.order_by("id").values_list("priority", flat=True)) == [
        "urgent",
        "low",
    ]


def test_what_the_requester_is_told_at_a_referral_passes_the_guard(client, reception, bsw):
    power = Department.objects.create(office=bsw, name="供電所", phone="95598", is_external=True)
    client.force_login(reception)
    response = console_post(
        client, bsw, unit="3-1202", kind="inquiry", intent="停電", outcome="referred",
        **{"ref-department": power.pk, "ref-told_requester": "這不歸我管，你找供電所"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["referral_form"].errors["told_requester"]
    assert not Referral.objects.exists()
    assert not Contact.objects.exists()  # nothing half-saved


def test_an_agitated_caller_is_marked_on_the_order(client, reception, bsw, repair_team):
    client.force_login(reception)
    console_post(
        client, bsw, unit="3-1202", intent="第三次報修了還沒人來", agitated="on",
        **{"order-service_unit": repair_team.pk},
    )  # fmt: skip
    order = WorkOrder.objects.get()
    page = client.get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="agitated"' in page


def test_a_second_call_about_an_open_order_is_shown_it_and_added_to_it(
    client, reception, worker, bsw, repair_team
):
    client.force_login(reception)
    fields = {"unit": "3-1202", "order-service_unit": repair_team.pk}
    console_post(client, bsw, intent="廚房水管漏水", **fields)
    first = WorkOrder.objects.get()
    actions.assign(first, assignee=worker, by=reception, channel="desk")
    # The same unit calls again about the same kind of matter: nothing is saved yet.
    again = console_post(client, bsw, intent="水管還在漏，什麼時候來？", **fields)
    assert again.status_code == 400
    assert 'data-testid="duplicates"' in again.text
    assert first.number in again.text
    assert Contact.objects.count() == 1
    assert again.context["form"]["intent"].value() == "水管還在漏，什麼時候來？"
    # One click: the call goes onto the open order, its holder is told, nothing new is opened.
    added = console_post(client, bsw, intent="水管還在漏，什麼時候來？", add_to=first.pk, **fields)
    assert added.status_code == 302
    assert WorkOrder.objects.count() == 1
    call = Contact.objects.latest("id")
    assert (call.outcome, call.follows_up) == ("added_to_order", first)
    assert first.events.filter(action="comment", note__contains="水管還在漏").exists()
    assert Notification.objects.filter(kind="order_contact", recipient=worker).exists()
    # Or the desk says it is another matter after all: a new order is opened.
    other = console_post(client, bsw, intent="陽台水管也漏", duplicate_ok="on", **fields)
    assert other.status_code == 302
    assert WorkOrder.objects.count() == 2


def test_another_kind_of_matter_at_the_unit_is_no_duplicate(client, reception, bsw, repair_team):
    client.force_login(reception)
    fields = {"unit": "3-1202", "order-service_unit": repair_team.pk}
    console_post(client, bsw, intent="門鎖壞了", **fields)
    cleaning = console_post(client, bsw, intent="樓道髒", **{**fields, "kind": "housekeeping"})
    assert cleaning.status_code == 302, cleaning.context["form"].errors
    assert WorkOrder.objects.count() == 2


def test_the_api_adds_a_call_to_an_open_order_or_says_which_is_open(reception, bsw, repair_team):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(reception)
    body = {
        "office": bsw.pk, "channel": "call", "kind": "repair", "unit": "3-1202",
        "intent": "漏水", "outcome": "work_order", "order": {"service_unit": repair_team.pk},
    }  # fmt: skip
    assert api.post("/api/v1/contacts/", body, format="json").status_code == 201
    first = WorkOrder.objects.get()
    refused = api.post("/api/v1/contacts/", body, format="json")
    assert refused.status_code == 400
    assert first.number in str(refused.json()["duplicate_ok"])
    added = api.post("/api/v1/contacts/", {**body, "add_to": first.pk}, format="json")
    assert added.status_code == 201
    assert added.json()["follows_up"] == first.pk
