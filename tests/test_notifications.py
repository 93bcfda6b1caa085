"""Notifications: sent once per key, shown in the inbox, marked read."""

from django.urls import reverse

from estate.notifications.actions import notify
from estate.notifications.models import Notification


def test_a_dedup_key_reaches_each_person_once(bsw, reception, head):
    for _ in range(3):
        notify(
            office_id=bsw.pk,
            recipients=[reception, head],
            kind="reminder",
            text="提醒",
            dedup_key="order:1:due",
        )
    assert Notification.objects.count() == 2
    notify(office_id=bsw.pk, recipients=[reception, reception], kind="info", text="無鍵通知")
    assert Notification.objects.filter(recipient=reception, kind="info").count() == 1


def test_inbox_shows_own_notifications_and_marks_them_read(client, bsw, reception, head):
    notify(office_id=bsw.pk, recipients=[reception], kind="info", text="給前臺的通知")
    notify(office_id=bsw.pk, recipients=[head], kind="info", text="給主任的通知")
    client.force_login(reception)
    home = client.get(reverse("core:home")).text
    assert 'data-testid="notifications"' in home
    inbox = client.get(reverse("notifications:inbox")).text
    assert "給前臺的通知" in inbox
    assert "給主任的通知" not in inbox
    client.post(reverse("notifications:mark_read"))
    assert not Notification.objects.filter(recipient=reception, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=head, read_at__isnull=True).exists()


class RefusingGateway:
    """Stands in for a provider that refuses (the real providers are outside this machine)."""

    needs_templates = False

    def send(self, sms):
        from estate.messaging.sms import DeliveryFailed

        raise DeliveryFailed("number not reachable")


def test_urgent_notifications_are_emailed_and_texted_with_results_recorded(
    bsw, reception, head, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    from estate.notifications.models import Delivery

    reception.email, reception.phone = "reception@example.cn", "13900002222"
    reception.save()
    with (
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level("INFO", logger="estate.sms"),
    ):
        notify(
            office_id=bsw.pk,
            recipients=[reception, head],
            kind="clock_breach",
            text="超時：工單 BSW-1",
        )
    sent = {
        (d.notification.recipient.username, d.channel): d.result for d in Delivery.objects.all()
    }
    assert sent == {
        ("reception", "email"): "sent",
        ("reception", "sms"): "sent",
        ("head", "email"): "skipped",  # no address on file
        ("head", "sms"): "skipped",
    }
    assert [m.to for m in mailoutbox] == [["reception@example.cn"]]
    assert "超時：工單 BSW-1" in mailoutbox[0].body
    assert "13900002222" not in caplog.text  # personal data stays out of logs
    assert "***2222" in caplog.text


def test_a_refused_text_is_recorded_as_failed(
    bsw, reception, settings, django_capture_on_commit_callbacks
):
    from estate.messaging.sms import sms_gateway
    from estate.notifications.models import Delivery

    settings.SMS_GATEWAY = "tests.test_notifications.RefusingGateway"
    sms_gateway.cache_clear()
    reception.phone = "13900002222"
    reception.save()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(office_id=bsw.pk, recipients=[reception], kind="emergency", text="緊急事件")
    finally:
        sms_gateway.cache_clear()
    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.result, delivery.error) == ("failed", "number not reachable")


def test_ordinary_notifications_are_not_texted(bsw, reception, django_capture_on_commit_callbacks):
    from estate.notifications.models import Delivery

    reception.phone = "13900002222"
    reception.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            office_id=bsw.pk, recipients=[reception], kind="work_order_dispatched", text="新工單"
        )
    assert not Delivery.objects.filter(channel="sms").exists()
