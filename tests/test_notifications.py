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
