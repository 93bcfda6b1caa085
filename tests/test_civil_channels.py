"""No forbidden phrase reaches a requester through any channel: order replies, updates and
promises, answers to opinions, notices, questionnaires; the library page and the check."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from estate.language import actions as language
from estate.language.choices import GuardMode, Situation
from estate.language.models import PhraseHit
from estate.notices import actions as notices
from estate.notices.models import Notice
from estate.visits import actions as visits
from estate.visits.models import OpinionItem
from estate.workorders import actions as work_orders
from estate.workorders.models import Reply
from tests.factories import staff
from tests.test_workorder_api import token_for

RUDE = "急什麼，等一下"


def test_an_update_with_a_forbidden_phrase_is_refused_keeping_the_text(
    client, reception, leaking_pipe
):
    client.force_login(reception)
    steps = leaking_pipe.events.count()
    page = client.post(
        reverse("workorders:act", args=[leaking_pipe.pk, "update_requester"]),
        {"update_requester-reply_channel": "phone", "update_requester-text": f"師傅說{RUDE}"},
    )
    body = page.content.decode()
    assert page.status_code == 400
    assert f"師傅說{RUDE}</textarea>" in body  # what was typed is kept
    assert f'data-testid="forbidden-span">{RUDE}</mark>' in body
    assert "請稍候，我先辦完這件事再給您辦。" in body  # a suggestion for the situation
    assert not Reply.objects.exists()
    assert leaking_pipe.events.count() == steps
    hit = PhraseHit.objects.get()
    assert (hit.staff_member, hit.channel, hit.matched) == (reception, "update", RUDE)


def test_the_api_refuses_a_reply_naming_the_field(
    api, reception, worker, repair_lead, leaking_pipe
):
    work_orders.assign(leaking_pipe, assignee=worker, by=repair_lead, channel="desk")
    work_orders.accept(leaking_pipe, by=worker, channel="desk")
    work_orders.complete(leaking_pipe, work_done="換了接頭", by=worker, channel="desk")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api, 'reception')}")
    url = f"/api/v1/work-orders/{leaking_pipe.pk}/reply/"
    refused = api.post(url, {"reply_channel": "phone", "text": "你問我，我問誰？"}, format="json")
    assert refused.status_code == 400
    assert "text" in refused.json()
    assert not Reply.objects.exists()
    fine = api.post(
        url, {"reply_channel": "phone", "text": "水管已修好，請您查看。"}, format="json"
    )
    assert fine.status_code == 200


def test_a_promise_reason_is_checked(reception, leaking_pipe):
    from django.utils import timezone

    with pytest.raises(ValidationError) as refused:
        work_orders.promise(
            leaking_pipe,
            promised_at=timezone.now(),
            reason="我怎麼知道什麼時候辦好",
            by=reception,
            channel="desk",
        )
    assert "reason" in refused.value.message_dict


def test_an_answer_to_an_opinion_is_checked_and_the_page_keeps_it(client, bsw, reception, head):
    from estate.properties.models import Household
    from estate.visits.models import ReturnVisit

    visit = ReturnVisit.objects.create(
        office=bsw,
        kind="survey",
        household=Household.objects.filter(office=bsw).first(),
        assigned_to=reception,
        due_at="2026-11-30T12:00:00+08:00",
    )
    visits.record_visit(
        visit, by=reception, channel="phone", reached=True, score=4,
        items=[("suggestion", "希望增加快遞櫃")],
    )  # fmt: skip
    item = OpinionItem.objects.get()
    client.force_login(reception)
    page = client.post(reverse("visits:answer", args=[item.pk]), {"answer": "別煩啦，沒地方放"})
    assert page.status_code == 400
    assert 'value="別煩啦，沒地方放"' in page.content.decode()
    assert 'data-testid="forbidden-span">別煩啦</mark>' in page.content.decode()
    item.refresh_from_db()
    assert item.answered_at is None
    visits.answer_item(item, by=head, answer="已聯繫快遞公司，月底前安裝。")


def test_notices_are_checked_when_written_and_again_when_published(bsw, reception, head):
    with pytest.raises(ValidationError) as refused:
        notices.write_notice(
            office=bsw, by=reception, title="有意見找領導去", body="停水通知",
            starts_on=date(2026, 11, 26),
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"title"}
    assert not Notice.objects.exists()
    notice = notices.write_notice(
        office=bsw, by=reception, title="停水通知", body="本週六停水，恕不另行通知。",
        starts_on=date(2026, 11, 26),
    )  # fmt: skip
    language.add_forbidden_phrase(office=bsw, text="恕不另行通知", situation=Situation.APOLOGISING)
    with pytest.raises(ValidationError):
        notices.publish(notice, by=head)
    notice.refresh_from_db()
    assert notice.published_at is None


def test_an_office_that_warns_lets_a_reply_through_and_records_it(bsw, reception, leaking_pipe):
    language.set_mode(office=bsw, mode=GuardMode.WARN)
    work_orders.update_requester(
        leaking_pipe, reply_channel="phone", text="別煩了，明天去", by=reception, channel="desk"
    )
    assert Reply.objects.count() == 1
    assert PhraseHit.objects.get().blocked is False


def test_the_check_as_staff_type_marks_the_span_and_records_nothing(client, bsw, reception):
    client.force_login(reception)
    page = client.post(reverse("language:check"), {"text": f"您好，{RUDE}", "office": bsw.pk})
    assert f'data-testid="forbidden-span">{RUDE}</mark>' in page.content.decode()
    quiet = client.post(reverse("language:check"), {"text": "您好，請稍候", "office": bsw.pk})
    assert quiet.content.decode().strip() == ""
    assert not PhraseHit.objects.exists()


def test_the_check_over_the_api(api, bsw, other_office, reception):
    api.force_authenticate(user=reception)
    found = api.post("/api/v1/language/check/", {"text": f"好的，{RUDE}！", "office": bsw.pk})
    body = found.json()
    assert body["ok"] is False
    (hit,) = body["hits"]
    assert (hit["start"], hit["end"], hit["written"]) == (3, 10, RUDE)
    assert hit["suggestions"][0] == "請稍候，我先辦完這件事再給您辦。"
    stranger = api.post("/api/v1/language/check/", {"text": "x", "office": other_office.pk})
    assert stranger.status_code == 400
    assert "office" in stranger.json()


def test_the_head_edits_the_library_and_staff_see_it_in_their_boxes(
    client, bsw, reception, head, leaking_pipe
):
    client.force_login(reception)
    assert (
        client.post(reverse("language:change"), {"do": "mode", "mode": "warn"}).status_code == 404
    )
    client.force_login(head)
    client.post(
        reverse("language:change"),
        {
            "office": bsw.pk,
            "do": "phrase",
            "situation": "waiting",
            "text": "師傅已在路上，請您稍候。",
        },
    )
    client.post(
        reverse("language:change"),
        {"office": bsw.pk, "do": "forbidden", "situation": "referring", "text": "您"},
    )
    page = client.get(reverse("language:library"), {"office": bsw.pk}).content.decode()
    assert "師傅已在路上，請您稍候。" in page
    assert "<td>您</td>" not in page  # refused: it would match nearly everything
    client.force_login(reception)
    order_page = client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).content.decode()
    assert "<option>師傅已在路上，請您稍候。</option>" in order_page
    assert 'data-testid="phrase-picker-text"' in order_page


def test_simplified_readers_get_the_library_in_simplified(client, reception, leaking_pipe):
    client.force_login(reception)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("workorders:detail", args=[leaking_pipe.pk])).content.decode()
    assert "<option>请稍候，我先办完这件事再给您办。</option>" in page


def test_hits_are_listed_per_staff_member(client, bsw, reception, head, leaking_pipe):
    staff("manager", "manager", bsw)
    for text in ("別煩了", "找誰都沒用"):
        with pytest.raises(ValidationError):
            work_orders.update_requester(
                leaking_pipe, reply_channel="phone", text=text, by=reception, channel="desk"
            )
    client.force_login(head)
    page = client.get(reverse("language:library"), {"office": bsw.pk}).content.decode()
    cells = re.sub(r">\s+<", "><", page)  # the table as cells, however the template is laid out
    assert '<td>reception</td><td class="text-end">2</td><td class="text-end">2</td>' in cells
