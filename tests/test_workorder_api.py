"""The work-order and front-desk API: same rules as the pages, 409 for refused steps, 400 with field names."""

from estate.frontdesk.models import CallRecord, Contact, Referral
from estate.properties.models import Department
from estate.workorders.models import WorkOrder
from tests.factories import PASSWORD


def token_for(api, username):
    response = api.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def test_token_auth_and_the_whole_lifecycle(api, bsw, reception, repair_lead, worker, repair_team):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api, 'reception')}")
    created = api.post(
        "/api/v1/work-orders/",
        {
            "kind": "repair",
            "unit": "3-1202",
            "description": "廚房水管漏水",
            "service_unit": repair_team.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["number"].startswith("BSW-")
    assert order["status"] == "dispatched"
    assert order["requester_phone"] == "138****1234"
    url = f"/api/v1/work-orders/{order['id']}"

    def as_user(username, step, body=None):
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api, username)}")
        return api.post(f"{url}/{step}/", body or {}, format="json")

    assert as_user("repair_lead", "assign", {"assignee": worker.pk}).status_code == 200
    assert as_user("worker", "accept").json()["status"] == "accepted"
    done = as_user("worker", "complete", {"work_done": "更換接頭", "fee_charged": "20.00"})
    assert done.json()["status"] == "completed"
    assert (
        as_user("reception", "reply", {"reply_channel": "phone", "text": "已修好"}).json()["status"]
        == "replied"
    )
    closed = as_user("reception", "close")
    assert closed.status_code == 200
    body = closed.json()
    assert body["status"] == "closed"
    assert [e["action"] for e in body["events"]] == [
        "open", "dispatch", "assign", "accept", "complete", "reply", "close",
    ]  # fmt: skip
    assert {e["channel"] for e in body["events"]} == {"api"}


def test_a_step_not_allowed_now_answers_409_and_changes_nothing(api, reception, leaking_pipe):
    api.force_authenticate(reception)
    response = api.post(f"/api/v1/work-orders/{leaking_pipe.pk}/close/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["status"] == "dispatched"
    leaking_pipe.refresh_from_db()
    assert leaking_pipe.status == "dispatched"
    assert not leaking_pipe.events.filter(action="close").exists()


def test_validation_errors_name_the_fields(api, reception, bsw):
    api.force_authenticate(reception)
    response = api.post("/api/v1/work-orders/", {"kind": "leak", "unit": "3-120"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert {"kind", "unit", "description"} <= set(errors)
    assert "3-1202" in errors["unit"][0]  # a suggestion, never a silently wrong unit
    assert not WorkOrder.objects.exists()


def test_action_validation_errors_are_400(api, reception, leaking_pipe):
    api.force_authenticate(reception)
    response = api.post(
        f"/api/v1/work-orders/{leaking_pipe.pk}/cancel/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_roles_are_enforced_like_the_ui(api, worker, leaking_pipe):
    api.force_authenticate(worker)
    assert (
        api.post(
            f"/api/v1/work-orders/{leaking_pipe.pk}/cancel/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert api.post("/api/v1/work-orders/", {"kind": "repair"}, format="json").status_code == 403


def test_other_offices_orders_are_404(api, other_office, leaking_pipe):
    from estate.accounts.roles import Role
    from tests.factories import staff

    outsider = staff("outsider", Role.RECEPTIONIST, other_office)
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/work-orders/{leaking_pipe.pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/work-orders/{leaking_pipe.pk}/close/", {}, format="json").status_code
        == 404
    )
    assert api.get("/api/v1/work-orders/").json()["results"] == []


def test_queue_filters_are_shared_with_the_page(api, reception, leaking_pipe, bsw):
    from estate.workorders import actions

    actions.open_work_order(
        office=bsw,
        by=reception,
        channel="desk",
        kind="complaint",
        description="保安態度差",
        location="南門崗亭",
    )
    api.force_authenticate(reception)

    def numbers(**query):
        return [o["number"] for o in api.get("/api/v1/work-orders/", query).json()["results"]]

    assert numbers(kind="repair") == [leaking_pipe.number]
    assert numbers(q="漏水") == [leaking_pipe.number]
    assert numbers(q="态度") != []  # Simplified finds Traditional
    assert numbers(status="dispatched") == [leaking_pipe.number]


def test_contact_with_a_referral_over_the_api(api, reception, bsw):
    power = Department.objects.create(
        office=bsw, name="供電所", scope="停電、電表", phone="95598", is_external=True
    )
    api.force_authenticate(reception)
    response = api.post(
        "/api/v1/contacts/",
        {
            "channel": "call",
            "unit": "3-1202",
            "kind": "inquiry",
            "intent": "整棟停電，問何時恢復",
            "outcome": "referred",
            "referral": {"department": power.pk, "told_requester": "請致電 95598 報修"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert (referral.department, referral.contact.unit.address) == (power, "3-1202")
    assert referral.contact.requester.name == "陳美玲"


def test_contact_errors_nest_by_part(api, reception, bsw):
    api.force_authenticate(reception)
    response = api.post(
        "/api/v1/contacts/",
        {
            "channel": "call",
            "kind": "repair",
            "intent": "漏水",
            "outcome": "work_order",
            "order": {"priority": "x"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "priority" in response.json()["order"]
    assert not Contact.objects.exists()


def test_telephone_system_reports_ring_times(api, reception, bsw):
    api.force_authenticate(reception)
    for call_id, seconds in [("c1", 5), ("c2", 14), ("c3", 22)]:
        body = {
            "office": "BSW",
            "call_id": call_id,
            "rang_at": "2026-11-26T09:00:00+08:00",
            "ring_seconds": seconds,
        }
        assert api.post("/api/v1/telephony/calls/", body, format="json").status_code == 201
    again = {
        "office": "BSW",
        "call_id": "c3",
        "rang_at": "2026-11-26T09:00:00+08:00",
        "ring_seconds": 12,
    }
    assert api.post("/api/v1/telephony/calls/", again, format="json").status_code == 200
    assert CallRecord.objects.count() == 3
    rate = api.get("/api/v1/telephony/ring-rate/", {"office": bsw.pk, "date": "2026-11-26"}).json()
    assert rate == {"calls": 3, "within_three_rings": 3, "percent": 100.0, "met": True}


def test_telephony_needs_a_desk_role_in_that_office(api, worker, bsw):
    api.force_authenticate(worker)
    body = {
        "office": "BSW",
        "call_id": "c1",
        "rang_at": "2026-11-26T09:00:00+08:00",
        "ring_seconds": 3,
    }
    assert api.post("/api/v1/telephony/calls/", body, format="json").status_code == 403


def test_the_schema_lists_every_action(client, reception):
    client.force_login(reception)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/work-orders/{id}/dispatch/",
        "/api/v1/work-orders/{id}/update-requester/",
        "/api/v1/contacts/",
    ):
        assert path in schema
