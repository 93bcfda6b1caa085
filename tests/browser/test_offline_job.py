"""A worker in a basement: the job is completed without signal on a phone, kept on it, and
recorded with the time it was done once the signal is back (Playwright's offline mode)."""

import time
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from estate.workorders import actions
from estate.workorders.choices import Action, Status
from estate.workorders.models import WorkOrder
from tests.browser.steps import open_action, sign_in


def test_a_job_completed_without_signal_is_recorded_with_the_time_it_was_done(
    page: Page, live_server, transactional_db, bsw, reception, worker, leaking_pipe
):
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    actions.accept(leaking_pipe, by=worker, channel="ui")
    actions.start(leaking_pipe, by=worker, channel="ui")
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    order_page = f"{base}/orders/{leaking_pipe.pk}/"
    sign_in(page, base, "worker")
    page.goto(order_page)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the service worker, which keeps the page
    page.wait_for_load_state("networkidle")

    page.context.set_offline(True)
    open_action(page, "complete")
    page.locator("[name='complete-work_done']").fill("更換廚房水管接頭")
    done_at = timezone.now()
    page.get_by_test_id("submit-complete").click()
    expect(page.get_by_test_id("queue-warning")).to_contain_text(leaking_pipe.number)
    assert WorkOrder.objects.get(pk=leaking_pipe.pk).status == Status.IN_PROGRESS
    page.reload()  # no signal: the kept page, and the step still kept on the phone
    expect(page.locator("[data-kept] li")).to_have_count(1)

    time.sleep(2)
    back_at = timezone.now()
    page.context.set_offline(False)
    expect(page.get_by_test_id("queue-success")).to_be_visible()
    order = WorkOrder.objects.get(pk=leaking_pipe.pk)
    assert order.status == Status.COMPLETED
    assert order.completed_at is not None
    assert done_at - timedelta(seconds=2) <= order.completed_at < back_at
    event = order.events.get(action=Action.COMPLETE)
    assert event.at == order.completed_at
    assert event.data["received_at"] >= back_at.isoformat()
    expect(page.get_by_test_id("order-status")).to_contain_text("已完成")  # reloaded


def test_a_step_no_longer_allowed_when_the_signal_is_back_is_refused_and_said(
    page: Page, live_server, transactional_db, bsw, reception, worker, leaking_pipe
):
    actions.assign(leaking_pipe, assignee=worker, by=reception, channel="desk")
    base = live_server.url
    sign_in(page, base, "worker")
    page.goto(f"{base}/orders/jobs/")
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    page.get_by_test_id("tap-accept").click()
    expect(page.get_by_test_id("queue-warning")).to_be_visible()
    actions.cancel(leaking_pipe, reason="住戶已自行修好", by=reception, channel="desk")
    page.context.set_offline(False)
    expect(page.get_by_test_id("queue-danger")).to_contain_text(leaking_pipe.number)
    assert not leaking_pipe.events.filter(action=Action.ACCEPT).exists()
