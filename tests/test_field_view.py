"""The field view (我的工單) and steps done without signal: workers and leads land on their jobs
as cards; a lead assigns from the card; a step kept on the phone is recorded with the time it
was done, within bounds, and refused (with words for the worker) when no longer allowed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from estate.properties.models import Unit
from estate.workorders import actions
from estate.workorders.choices import Action, Status
from estate.workorders.models import WorkOrder
from estate.workorders.offline import QUEUED_HEADER

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
QUEUED = {"HTTP_" + QUEUED_HEADER.upper().replace("-", "_"): "1"}


@pytest.fixture
def at_ten():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def another_order(bsw, reception, repair_team, description):
    return actions.open_work_order(
        office=bsw, by=reception, channel="desk", kind="repair", description=description,
        unit=Unit.objects.get(office=bsw, address="3-1202"), service_unit=repair_team,
    )  # fmt: skip


def test_workers_and_leads_land_on_their_jobs_and_the_desk_does_not(
    client, at_ten, bsw, reception, worker, repair_lead
):
    for person in (worker, repair_lead):
        client.force_login(person)
        assert client.get(reverse("core:home"))["Location"] == reverse("workorders:jobs")
        assert client.get(reverse("core:home"), {"overview": 1}).status_code == 200
    client.force_login(reception)
    assert client.get(reverse("core:home")).status_code == 200


def test_a_lead_sees_the_units_orders_waiting_first_and_assigns_from_the_card(
    client, at_ten, bsw, reception, repair_team, repair_lead, worker, leaking_pipe
):
    mine = another_order(bsw, reception, repair_team, "門鈴壞了")
    actions.assign(mine, assignee=worker, by=reception, channel="desk")
    client.force_login(repair_lead)
    page = client.get(reverse("workorders:jobs")).content.decode()
    assert page.index(f"job-{leaking_pipe.number}") < page.index(f"job-{mine.number}")
    assert 'data-testid="waiting"' in page
    assert page.count('data-testid="assign"') == 2
    answer = client.post(
        reverse("workorders:act", args=[leaking_pipe.pk, Action.ASSIGN]),
        {"assign-assignee": worker.pk, "next": reverse("workorders:jobs")},
    )
    assert answer["Location"] == reverse("workorders:jobs")
    leaking_pipe.refresh_from_db()
    assert leaking_pipe.assignee == worker
    # The queue's "mine" now shows the lead their units' orders too.
    queue = client.get(reverse("workorders:queue"), {"mine": "true", "status": "open"})
    assert leaking_pipe.number in queue.content.decode()


def test_a_worker_sees_only_their_jobs_with_the_clock_that_runs_out_first(
    client, at_ten, bsw, reception, repair_team, worker, leaking_pipe
):
    other = another_order(bsw, reception, repair_team, "門鈴壞了")
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    client.force_login(worker)
    page = client.get(reverse("workorders:jobs")).content.decode()
    assert f"job-{leaking_pipe.number}" in page
    assert f"job-{other.number}" not in page  # the team's, not given to them
    assert 'data-testid="tap-accept"' in page
    assert 'data-testid="clock"' in page
    assert 'data-testid="assign"' not in page
    client.post(
        reverse("workorders:act", args=[leaking_pipe.pk, Action.ACCEPT]),
        {"next": reverse("workorders:jobs")},
    )
    leaking_pipe.refresh_from_db()
    assert leaking_pipe.status == Status.ACCEPTED


def test_a_step_kept_on_the_phone_is_recorded_at_the_time_it_was_done(
    client, at_ten, bsw, reception, worker, leaking_pipe
):
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    client.force_login(worker)
    started = MORNING + timedelta(minutes=3)  # in the basement, no signal
    at_ten.move_to(MORNING + timedelta(minutes=25))  # back upstairs
    accepted = MORNING + timedelta(minutes=2)
    url = reverse("workorders:act", args=[leaking_pipe.pk, Action.ACCEPT])
    assert client.post(url, {"done_at": accepted.isoformat()}, **QUEUED).json()["ok"] is True
    url = reverse("workorders:act", args=[leaking_pipe.pk, Action.START])
    answer = client.post(url, {"done_at": started.isoformat()}, **QUEUED)
    assert answer.status_code == 200
    assert answer.json()["ok"] is True
    event = leaking_pipe.events.get(action=Action.START)
    assert event.at == started
    assert event.data["received_at"].startswith("2026-03-10T02:25")
    # Completion kept on the phone too; the return visit is planned from when it was done.
    done = MORNING + timedelta(minutes=20)
    url = reverse("workorders:act", args=[leaking_pipe.pk, Action.COMPLETE])
    answer = client.post(
        url, {"done_at": done.isoformat(), "complete-work_done": "換了閥芯"}, **QUEUED
    )
    assert answer.json()["ok"] is True
    leaking_pipe.refresh_from_db()
    assert leaking_pipe.status == Status.COMPLETED
    assert leaking_pipe.completed_at == done


def test_a_queued_step_no_longer_allowed_is_refused_in_words_for_the_worker(
    client, at_ten, bsw, reception, worker, leaking_pipe
):
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    actions.cancel(leaking_pipe, reason="住戶已自行修好", by=reception, channel="desk")
    client.force_login(worker)
    url = reverse("workorders:act", args=[leaking_pipe.pk, Action.START])
    answer = client.post(url, {"done_at": MORNING.isoformat()}, **QUEUED)
    assert answer.status_code in (403, 409)
    assert answer.json()["ok"] is False
    assert leaking_pipe.number in answer.json()["message"]
    assert not leaking_pipe.events.filter(action=Action.START).exists()


@pytest.mark.parametrize(
    ("done_at", "words"),
    [
        ("yesterday", "不是時間"),
        ((MORNING + timedelta(hours=1)).isoformat(), "時鐘"),
        ((MORNING - timedelta(days=3)).isoformat(), "太久"),
        ("2026-03-10T09:00:00", "不是時間"),  # no time zone
    ],
)
def test_a_queued_time_out_of_bounds_is_refused(
    client, at_ten, bsw, reception, worker, leaking_pipe, done_at, words
):
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    client.force_login(worker)
    url = reverse("workorders:act", args=[leaking_pipe.pk, Action.START])
    answer = client.post(url, {"done_at": done_at}, **QUEUED)
    assert answer.status_code == 400
    assert words in answer.json()["message"]
    assert WorkOrder.objects.get(pk=leaking_pipe.pk).status != Status.IN_PROGRESS


def test_a_step_done_before_the_orders_last_change_is_put_at_that_change(
    client, at_ten, bsw, reception, worker, leaking_pipe
):
    at_ten.move_to(MORNING + timedelta(minutes=20))
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    assigned = leaking_pipe.events.get(action=Action.ASSIGN).at
    client.force_login(worker)
    url = reverse("workorders:act", args=[leaking_pipe.pk, Action.ACCEPT])
    client.post(url, {"done_at": (MORNING + timedelta(minutes=5)).isoformat()}, **QUEUED)
    assert leaking_pipe.events.get(action=Action.ACCEPT).at == assigned


def test_estate_installs_on_a_phone(client, worker):
    """The manifest starts on the jobs; the service worker is served from the root with the
    right to keep the whole site, never cached, and keeps the files the pages use."""
    manifest = client.get(reverse("web_manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["start_url"] == reverse("workorders:jobs")
    assert body["display"] == "standalone"
    assert body["icons"][0]["type"] == "image/svg+xml"
    worker_js = client.get(reverse("service_worker"))
    assert worker_js["Content-Type"].startswith("text/javascript")
    assert worker_js["Service-Worker-Allowed"] == "/"
    assert "no-cache" in worker_js["Cache-Control"]
    text = worker_js.content.decode()
    assert "estate/field.js" in text
    assert "bootstrap.bundle.min.js" in text
    client.force_login(worker)
    page = client.get(reverse("workorders:jobs")).content.decode()
    assert 'rel="manifest"' in page
    assert 'id="field-queue"' in page


def test_signing_out_has_the_browser_forget_the_kept_pages(client, worker):
    client.force_login(worker)
    answer = client.post(reverse("accounts:logout"))
    assert answer["Clear-Site-Data"] == '"cache"'


def test_the_worker_calls_the_requester_from_the_order_once_the_number_is_revealed(
    client, at_ten, bsw, reception, worker, leaking_pipe
):
    from estate.properties.models import PhoneReveal, Resident

    chen = Resident.objects.get(phone="13812341234")
    WorkOrder.objects.filter(pk=leaking_pipe.pk).update(requester=chen)
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    client.force_login(worker)
    answer = client.post(
        reverse("properties:reveal_phone", args=[chen.pk]) + f"?order={leaking_pipe.pk}"
    ).content.decode()
    assert 'href="tel:13812341234"' in answer
    assert PhoneReveal.objects.filter(viewer=worker, resident=chen).exists()  # audited


def test_on_a_phone_the_queue_folds_its_filters_and_columns(client, worker, leaking_pipe):
    client.force_login(worker)
    page = client.get(reverse("workorders:queue")).content.decode()
    assert 'data-testid="more-filters"' in page
    assert page.count("filter-more") >= 5  # every filter but the search
    assert 'class="d-none d-md-table-cell"' in page


def test_the_scheduler_tidies_keys_and_photos_nobody_will_use(db, tmp_path, settings):
    """Keys of messages taken a month ago and photos of reports never sent again go; the
    recent ones stay."""
    import os

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from estate.messaging import received
    from estate.messaging.models import Received
    from estate.portal import pending

    now = timezone.now()
    Received.objects.create(channel="wechat", key="old", at=now - timedelta(days=31))
    Received.objects.create(channel="wechat", key="new", at=now - timedelta(days=1))
    assert received.forget_old(now) == 1
    assert list(Received.objects.values_list("key", flat=True)) == ["new"]
    settings.MEDIA_ROOT = str(tmp_path)
    old = default_storage.save(f"{pending.FOLDER}/old.png", ContentFile(b"x"))
    new = default_storage.save(f"{pending.FOLDER}/new.png", ContentFile(b"x"))
    for name, age in ((old, timedelta(days=2)), (new, timedelta(hours=1))):
        moment = (now - age).timestamp()  # the suite may have moved the clock: set both
        os.utime(default_storage.path(name), (moment, moment))
    assert pending.forget_old(now) == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(new)
