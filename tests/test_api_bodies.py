"""Bodies of the wrong shape are a 400 naming the field, a conflict is a 409, never a 500: a list
or text where an object is due, an object or list where text or a number is, a missing field, a
bad id, a lone surrogate; the same for the desk, the order actions, visits and fees."""

from decimal import Decimal

import pytest

from estate.workorders.forms import ACTION_FORMS
from estate.workorders.models import WorkOrder

NOT_AN_OBJECT = ['["漏水"]', '"漏水"', "42", "null"]  # as JSON text


def post_json(api, url, body):
    return api.post(url, body, format="json")


def post_raw(api, url, text):
    """Send JSON exactly as written (a lone surrogate cannot be encoded by the test client)."""
    return api.post(url, text.encode(), content_type="application/json")


@pytest.fixture
def as_desk(api, api_world):
    api.force_authenticate(user=api_world.staff["reception"])
    return api


@pytest.fixture
def as_head(api, api_world):
    """The head may take every action on the attitude complaint (still new)."""
    api.force_authenticate(user=api_world.staff["head"])
    return api


NEW_ORDER = {"kind": "repair", "location": "3棟大堂", "description": "電梯異響"}


@pytest.mark.parametrize("body", NOT_AN_OBJECT, ids=["list", "text", "number", "null"])
def test_a_new_order_from_anything_but_an_object_is_400(as_desk, body):
    response = post_raw(as_desk, "/api/v1/work-orders/", body)
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", {"text": "漏水"}), ("description", ["漏水"]), ("kind", ["repair"]),
     ("promised_at", {"at": "tomorrow"}), ("service_unit", [1])],
)  # fmt: skip
def test_an_object_or_list_where_one_value_is_due_is_400_naming_it(as_desk, field, value):
    response = post_json(as_desk, "/api/v1/work-orders/", {**NEW_ORDER, field: value})
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not WorkOrder.objects.filter(description__contains="text").exists()


def test_a_lone_surrogate_is_400_naming_the_field(as_desk):
    response = post_raw(
        as_desk,
        "/api/v1/work-orders/",
        '{"kind": "repair", "location": "大堂", "description": "\\ud800"}',
    )
    assert response.status_code == 400
    assert list(response.json()) == ["description"]


def test_a_lone_surrogate_deep_in_a_contact_names_its_part(as_desk):
    response = post_raw(
        as_desk, "/api/v1/contacts/",
        '{"channel": "call", "kind": "repair", "intent": "漏水", "outcome": "work_order",'
        ' "order": {"location": "\\udfff"}}',
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"order": {"location": [response.json()["order"]["location"][0]]}}


def test_numbers_and_booleans_are_taken_as_a_browser_sends_them(as_desk):
    response = post_json(
        as_desk, "/api/v1/work-orders/", {**NEW_ORDER, "description": 1202, "is_emergency": False}
    )
    assert response.status_code == 201
    assert response.json()["description"] == "1202"
    assert response.json()["is_emergency"] is False


def test_office_as_text_is_400_naming_it(as_desk):
    response = post_json(as_desk, "/api/v1/work-orders/", {**NEW_ORDER, "office": "abc"})
    assert (response.status_code, list(response.json())) == (400, ["office"])


def _action_url(order, name):
    return f"/api/v1/work-orders/{order.pk}/{name.replace('_', '-')}/"


@pytest.mark.parametrize("name", sorted(ACTION_FORMS))
@pytest.mark.parametrize("body", [["您好"], "您好"], ids=["list", "text"])
def test_every_action_refuses_a_body_that_is_not_an_object(as_head, api_world, name, body):
    response = post_json(as_head, _action_url(api_world.orders["complaint"], name), body)
    assert response.status_code == 400, response.content
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    "name", sorted(name for name, form in ACTION_FORMS.items() if form.base_fields)
)
def test_every_action_names_a_field_given_an_object_or_a_list(as_head, api_world, name):
    field = next(iter(ACTION_FORMS[name].base_fields))
    response = post_json(
        as_head, _action_url(api_world.orders["complaint"], name), {field: {"x": ["y"]}}
    )
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_reply_given_as_a_list_is_refused_not_stored(as_head, api_world):
    order = api_world.orders["complaint"]
    response = post_json(
        as_head, _action_url(order, "reply"), {"reply_channel": "phone", "text": ["您好"]}
    )
    assert (response.status_code, list(response.json())) == (400, ["text"])
    assert not order.replies.exists()


def test_a_number_field_given_an_object_is_400(as_head, api_world):
    response = post_json(
        as_head, _action_url(api_world.orders["complaint"], "complete"),
        {"work_done": "修好", "fee_charged": {"yuan": 30}},
    )  # fmt: skip
    assert (response.status_code, list(response.json())) == (400, ["fee_charged"])


def test_a_missing_field_is_400_naming_it(as_head, api_world):
    response = post_json(as_head, _action_url(api_world.orders["complaint"], "cancel"), {})
    assert (response.status_code, list(response.json())) == (400, ["reason"])


@pytest.mark.parametrize(
    ("name", "body", "field"),
    [("dispatch", {"service_unit": 999_999}, "service_unit"),
     ("dispatch", {"service_unit": 10**30}, "service_unit"),
     ("dispatch", {"service_unit": "三"}, "service_unit"),
     ("reply", {"reply_channel": "phone", "text": "您好", "articles": [10**30]}, "articles"),
     ("reply", {"reply_channel": "phone", "text": "您好", "articles": "1"}, "articles")],
    ids=["no-such-id", "past-64-bits", "not-a-number", "list-past-64-bits", "list-as-text"],
)  # fmt: skip
def test_a_bad_id_is_400_naming_it(as_head, api_world, name, body, field):
    response = post_json(as_head, _action_url(api_world.orders["complaint"], name), body)
    assert (response.status_code, list(response.json())) == (400, [field])


def test_a_step_not_allowed_now_is_409(as_head, api_world):
    response = post_json(as_head, _action_url(api_world.orders["complaint"], "accept"), {})
    assert response.status_code == 409
    assert response.json()["status"] == "new"


def test_assign_on_an_order_without_a_service_unit_is_409_not_500(as_head, api_world):
    order = api_world.orders["new"]
    worker = api_world.staff["worker"]
    response = post_json(as_head, _action_url(order, "assign"), {"assignee": worker.pk})
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.assignee is None


@pytest.mark.parametrize(
    "when", ["0836-03-15T18:20:00+08:00", "2031-01-01T09:00:00+08:00", "2026-11-25T09:00:00+08:00"]
)
def test_a_promise_outside_the_orders_year_is_400(as_head, api_world, when):
    order = api_world.orders["dispatched"]
    response = post_json(
        as_head, _action_url(order, "promise"), {"promised_at": when, "reason": "需訂購配件"}
    )
    assert (response.status_code, list(response.json())) == (400, ["promised_at"])


def test_a_promise_for_tomorrow_is_kept(as_head, api_world):
    order = api_world.orders["dispatched"]
    response = post_json(
        as_head, _action_url(order, "promise"),
        {"promised_at": "2026-11-27T10:00:00+08:00", "reason": "需訂購配件"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["promised_at"] == "2026-11-27T10:00:00+08:00"


CONTACT = {"channel": "call", "kind": "repair", "intent": "水管漏水", "outcome": "work_order"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [(["漏水"], {"non_field_errors"}), ({**CONTACT, "intent": {"text": "漏水"}}, {"intent"}),
     ({**CONTACT, "order": ["大堂"]}, {"order"}),
     ({**CONTACT, "notes": [1], "order": {"location": {"x": 1}}}, {"notes", "order"})],
    ids=["list", "intent-object", "order-list", "nested-and-top"],
)  # fmt: skip
def test_contacts_name_every_part_of_the_wrong_shape(as_desk, body, expected):
    response = post_json(as_desk, "/api/v1/contacts/", body)
    assert response.status_code == 400
    assert set(response.json()) == expected


def test_a_return_visit_of_the_wrong_shape_is_400(api, api_world):
    from estate.visits.models import ReturnVisit

    api.force_authenticate(user=api_world.staff["reception"])
    visit = ReturnVisit.objects.filter(status="due").first() or ReturnVisit.objects.first()
    url = f"/api/v1/return-visits/{visit.pk}/record/"
    assert post_json(api, url, ["phone"]).status_code == 400
    response = post_json(
        api, url, {"channel": "phone", "reached": "yes", "score": 5, "comments": {"a": 1}}
    )
    assert (response.status_code, list(response.json())) == (400, ["comments"])


def test_an_opinion_answer_given_as_a_list_is_400(api, api_world):
    from estate.visits.models import OpinionItem

    api.force_authenticate(user=api_world.staff["head"])
    item = OpinionItem.objects.get()
    response = post_json(api, f"/api/v1/opinion-items/{item.pk}/answer/", {"answer": ["會安排"]})
    assert (response.status_code, list(response.json())) == (400, ["answer"])


@pytest.mark.parametrize(
    "url",
    ["/api/v1/visit-measures/?office=abc&month=2026-11",
     "/api/v1/telephony/ring-rate/?office=abc&date=2026-11-26",
     "/api/v1/collection/?office=abc&quarter=2026Q4", "/api/v1/arrears/?office=abc",
     "/api/v1/arrears/?office=１"],
)  # fmt: skip
def test_office_abc_as_a_parameter_is_400_naming_it(api, api_world, url):
    api.force_authenticate(user=api_world.staff["head"])
    response = api.get(url)
    assert (response.status_code, list(response.json())) == (400, ["office"])


@pytest.fixture
def as_cashier(api, api_world):
    api.force_authenticate(user=api_world.staff["cashier"])
    return api


def test_a_void_without_an_amount_voids_the_whole_payment(as_cashier, api_world, issued):
    from estate.billing import payments

    fresh = payments.receive_payment(
        issued["3-1201"], amount=Decimal("200.00"), method="cash", by=api_world.staff["cashier"]
    )
    response = post_json(
        as_cashier, f"/api/v1/payments/{fresh.pk}/reversals/", {"kind": "void", "reason": "收錯戶"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "200.00"


def test_a_refund_without_an_amount_is_400_naming_it(as_cashier, api_world):
    from estate.billing.models import Payment

    payment = Payment.objects.first()
    response = post_json(
        as_cashier,
        f"/api/v1/payments/{payment.pk}/reversals/",
        {"kind": "refund", "reason": "多收"},
    )
    assert (response.status_code, list(response.json())) == (400, ["amount"])


def test_an_owners_remark_answered_with_a_list_is_400(as_cashier, api_world):
    from estate.billing.models import Remark

    remark = Remark.objects.get()
    response = post_json(
        as_cashier, f"/api/v1/owner-remarks/{remark.pk}/answer/", {"answer": ["已修"]}
    )
    assert (response.status_code, list(response.json())) == (400, ["answer"])
    remark.refresh_from_db()
    assert remark.answered_at is None


def test_a_remark_answered_twice_is_409(as_cashier, api_world):
    from estate.billing.models import Remark

    url = f"/api/v1/owner-remarks/{Remark.objects.get().pk}/answer/"
    assert post_json(as_cashier, url, {"answer": "已安排維修班今天處理"}).status_code == 200
    assert post_json(as_cashier, url, {"answer": "已安排維修班今天處理"}).status_code == 409
