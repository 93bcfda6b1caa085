"""Notices (公告): written, published for a date range, shown to residents, printed as an A4 lobby notice."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from estate.accounts.models import User
from estate.notices import actions
from estate.notices.models import Notice
from estate.properties.models import Resident


def test_published_notices_show_only_within_their_dates(bsw, reception):
    notice = actions.write_notice(
        office=bsw, by=reception, title="電梯維修通知", body="3棟電梯將於週六停運維修。", starts_on=date(2026, 11, 26),
        ends_on=date(2026, 11, 30),
    )  # fmt: skip
    assert not Notice.objects.showing_on(date(2026, 11, 27)).exists()  # a draft shows nowhere
    actions.publish(notice, by=reception)
    assert list(Notice.objects.showing_on(date(2026, 11, 27))) == [notice]
    assert not Notice.objects.showing_on(date(2026, 12, 1)).exists()
    with pytest.raises(ValidationError):
        actions.publish(notice, by=reception)
    with pytest.raises(ValidationError):
        actions.revise_notice(
            notice, title="改", body="改", starts_on=date(2026, 11, 26), ends_on=None, by=reception
        )


def test_bad_dates_and_empty_text_are_refused(bsw, reception):
    with pytest.raises(ValidationError) as refused:
        actions.write_notice(
            office=bsw,
            by=reception,
            title=" ",
            body="",
            starts_on=date(2026, 11, 26),
            ends_on=date(2026, 11, 1),
        )
    assert set(refused.value.message_dict) == {"title", "body", "ends_on"}
    assert not Notice.objects.exists()


def test_pages_write_publish_print_and_the_portal_shows_it(client, bsw, reception):
    client.force_login(reception)
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        response = client.post(
            reverse("notices:new"),
            {
                "office": bsw.pk,
                "title": "停車收費調整說明",
                "body": "根據業主意見，臨時停車收費維持不變。\n特此通知。",
                "starts_on": "2026-11-26",
            },
        )
        assert response.status_code == 302
        notice = Notice.objects.get()
        client.post(reverse("notices:publish", args=[notice.pk]))
        pdf = client.get(reverse("notices:pdf", args=[notice.pk]))
        text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
        assert "停車收費調整說明" in text
        assert "碧水灣管理處" in text
        resident = Resident.objects.get(name="陳美玲")
        resident.user = User.objects.create_user("resident", password="x")
        resident.save()
        client.force_login(resident.user)
        assert "停車收費調整說明" in client.get(reverse("portal:home")).text


def test_notices_of_another_office_are_404(client, bsw, reception, other_office):
    from estate.accounts.roles import Role
    from tests.factories import staff

    notice = actions.write_notice(
        office=bsw, by=reception, title="t", body="b", starts_on=date(2026, 11, 26)
    )
    client.force_login(staff("outsider", Role.RECEPTIONIST, other_office))
    assert client.get(reverse("notices:pdf", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:publish", args=[notice.pk])).status_code == 404
