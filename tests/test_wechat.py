"""The office's WeChat service account, against a local stand-in of WeChat's API: the access
token is kept and renewed, template messages go out and their refusals become reasons the
office can act on, a resident binds their WeChat in the portal by web authorisation, and what
people write to the account comes back in, once however often WeChat retries."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from estate.accounts.models import User
from estate.messaging import inbound, wechat
from estate.messaging.models import Consent, Delivery, Message, WeChatAccount, WeChatBinding
from estate.messaging.sms import DeliveryFailed
from estate.messaging.wechat_binding import bind_wechat
from estate.properties.models import Resident
from tests.factories import PASSWORD

OPENID = "o-chen-0123456789"


@pytest.fixture
def chen(bsw):
    user = User.objects.create_user(username="chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    return user


@pytest.fixture
def resident(chen):
    return Resident.objects.get(user=chen)


def delivery(
    resident, *, kind="reply", text="您的報修 BSW-0001 已有回覆：明天上午換水龍頭。", **values
):
    message = Message.objects.create(
        office=resident.office,
        kind=kind,
        key=f"test:{kind}:{Message.objects.count()}",
        resident=resident,
        recipient_key=f"r{resident.pk}",
        language="zh-hant",
        text=text,
        values=values,
        link="/portal/orders/1/",
        created_at=timezone.now(),
    )
    return Delivery.objects.create(message=message, channel="wechat", address=OPENID)


# -- the access token --------------------------------------------------------------------


def test_the_token_is_fetched_once_and_kept_on_the_account(wechat_stub, wechat_account, resident):
    wechat_stub.followers.add(OPENID)
    wechat.send_message(delivery=delivery(resident))
    wechat.send_message(delivery=delivery(resident))
    assert len(wechat_stub.calls("/cgi-bin/token")) == 1
    assert wechat_stub.calls("/cgi-bin/token")[0].query == {
        "grant_type": "client_credential",
        "appid": "wx-bsw",
        "secret": "secret-bsw",
    }
    kept = WeChatAccount.objects.get(pk=wechat_account.pk)
    assert kept.access_token == "TOKEN-1"
    assert timedelta(hours=1, minutes=59) < kept.access_token_expires_at - timezone.now()
    sends = wechat_stub.calls("/cgi-bin/message/template/send")
    assert [s.query["access_token"] for s in sends] == ["TOKEN-1", "TOKEN-1"]


def test_a_token_with_less_than_five_minutes_left_is_renewed(wechat_stub, wechat_account):
    wechat_stub.tokens["OLD"] = "wx-bsw"
    WeChatAccount.objects.filter(pk=wechat_account.pk).update(
        access_token="OLD", access_token_expires_at=timezone.now() + timedelta(minutes=6)
    )
    account = WeChatAccount.objects.get(pk=wechat_account.pk)
    assert wechat.access_token(account=account) == "OLD"
    WeChatAccount.objects.filter(pk=wechat_account.pk).update(
        access_token_expires_at=timezone.now() + timedelta(minutes=4)
    )
    account = WeChatAccount.objects.get(pk=wechat_account.pk)
    assert wechat.access_token(account=account) == "TOKEN-1"


@pytest.mark.parametrize("errcode", [40001, 42001])
def test_a_refused_token_is_renewed_once_and_the_message_sent(
    wechat_stub, wechat_account, resident, errcode
):
    wechat_stub.followers.add(OPENID)
    wechat.send_message(delivery=delivery(resident))
    wechat_stub.fail_next("/cgi-bin/message/template/send", errcode)
    msgid = wechat.send_message(delivery=delivery(resident))
    assert msgid == str(wechat_stub.sent[-1]["msgid"])
    assert len(wechat_stub.calls("/cgi-bin/token")) == 2
    assert len(wechat_stub.calls("/cgi-bin/message/template/send")) == 3
    assert WeChatAccount.objects.get(pk=wechat_account.pk).access_token == "TOKEN-3"


def test_a_token_refused_twice_is_tried_again_later(wechat_stub, wechat_account, resident):
    wechat_stub.followers.add(OPENID)
    wechat_stub.fail_next("/cgi-bin/message/template/send", 40001, 40001)
    with pytest.raises(DeliveryFailed) as failed:
        wechat.send_message(delivery=delivery(resident))
    assert failed.value.retry is True
    assert len(wechat_stub.calls("/cgi-bin/token")) == 2  # renewed once, not in a loop


def test_a_wrong_secret_is_said_plainly(wechat_stub, wechat_account, resident):
    wechat_stub.accounts["wx-bsw"] = "another-secret"
    with pytest.raises(DeliveryFailed) as failed:
        wechat.send_message(delivery=delivery(resident))
    assert (failed.value.retry, failed.value.code) == (False, "token_40125")
    assert "AppSecret" in str(failed.value)


# -- template messages ------------------------------------------------------------------


def test_a_message_goes_as_its_kinds_template_with_its_words_and_link(
    wechat_stub, wechat_account, resident, settings
):
    settings.SITE_URL = "https://desk.example.cn"
    wechat_stub.followers.add(OPENID)
    sent = delivery(resident)
    msgid = wechat.send_message(delivery=sent)
    (body,) = wechat_stub.sent
    assert msgid == str(body["msgid"])
    assert body["touser"] == OPENID
    assert body["template_id"] == "TPL-REPLY"
    assert body["url"] == "https://desk.example.cn/portal/orders/1/"
    assert body["data"] == {"content": {"value": sent.message.text}}


def test_template_fields_get_the_kinds_placeholders_cut_to_what_wechat_takes(
    wechat_stub, wechat_account, resident
):
    wechat_stub.followers.add(OPENID)
    sent = delivery(
        resident,
        kind="dispatched",
        text="您的報修 BSW-0001 已交維修班。",
        number="BSW-2026-000123",
        team="維修班（第二組，負責三號樓至七號樓的水電及門窗維修）",
        expected="30分鐘內",
    )
    wechat.send_message(delivery=sent)
    data = wechat_stub.sent[0]["data"]
    assert data["character_string1"] == {"value": "BSW-2026-000123"}
    assert data["thing2"]["value"] == "維修班（第二組，負責三號樓至七號樓的水…"
    assert len(data["thing2"]["value"]) == 20
    assert data["time3"] == {"value": "30分鐘內"}


@pytest.mark.parametrize(
    ("setup", "retry", "code"),
    [
        (lambda stub: None, False, "not_following"),  # 43004: the openid does not follow
        (lambda stub: stub.templates.clear(), False, "invalid_template"),  # 40037
        (lambda stub: stub.fail_next("/cgi-bin/message/template/send", 45009), True, "rate_limit"),
        (lambda stub: stub.fail_next("/cgi-bin/message/template/send", -1), True, "busy"),
        (
            lambda stub: stub.fail_next("/cgi-bin/message/template/send", "http_502"),
            True,
            "http_502",
        ),
        (lambda stub: stub.fail_next("/cgi-bin/token", "http_503"), True, "http_503"),
        (
            lambda stub: stub.fail_next("/cgi-bin/message/template/send", 40003),
            False,
            "invalid_openid",
        ),
    ],
)
def test_refusals_become_reasons_and_say_whether_to_try_again(
    wechat_stub, wechat_account, resident, setup, retry, code
):
    if code != "not_following":
        wechat_stub.followers.add(OPENID)
    setup(wechat_stub)
    with pytest.raises(DeliveryFailed) as failed:
        wechat.send_message(delivery=delivery(resident))
    assert (failed.value.retry, failed.value.code) == (retry, code)
    assert str(failed.value)


def test_reasons_are_in_the_offices_language(wechat_stub, wechat_account, resident):
    from django.utils.translation import override

    with override("zh-hant"), pytest.raises(DeliveryFailed) as failed:
        wechat.send_message(delivery=delivery(resident))
    assert "公眾號" in str(failed.value)


def test_wechat_out_of_reach_is_tried_again(wechat_stub, wechat_account, resident, settings):
    wechat_stub.stop()
    with pytest.raises(DeliveryFailed) as failed:
        wechat.send_message(delivery=delivery(resident))
    assert (failed.value.retry, failed.value.code) == (True, "unreachable")


def test_a_kind_without_a_template_is_refused_before_calling_wechat(
    wechat_stub, wechat_account, resident
):
    with pytest.raises(DeliveryFailed) as failed:
        wechat.send_message(delivery=delivery(resident, kind="completed"))
    assert (failed.value.retry, failed.value.code) == (False, "no_template")
    assert wechat_stub.requests == []


def test_an_office_without_an_account_cannot_send(wechat_stub, resident):
    with pytest.raises(DeliveryFailed) as failed:
        wechat.send_message(delivery=delivery(resident))
    assert failed.value.code == "no_account"


# -- binding in the portal ---------------------------------------------------------------


def test_a_resident_binds_their_wechat_by_web_authorisation(
    client, chen, resident, wechat_stub, wechat_account
):
    client.force_login(chen)
    page = client.get(reverse("portal:wechat"))
    assert page.status_code == 200
    assert 'data-testid="wechat-unbound"' in page.text

    start = client.post(reverse("portal:wechat_bind"))
    assert start.status_code == 302
    target = urlsplit(start["Location"])
    assert f"{target.scheme}://{target.netloc}" == "https://open.weixin.example"
    assert target.path == "/connect/oauth2/authorize"
    assert target.fragment == "wechat_redirect"
    query = parse_qs(target.query)
    assert list(query) == ["appid", "redirect_uri", "response_type", "scope", "state"]
    assert query["appid"] == ["wx-bsw"]
    assert query["scope"] == ["snsapi_base"]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver" + reverse("portal:wechat_callback")]
    state = query["state"][0]
    assert state.isalnum()
    assert len(state) <= 128

    wechat_stub.codes["CODE-1"] = OPENID
    back = client.get(reverse("portal:wechat_callback"), {"code": "CODE-1", "state": state})
    assert back["Location"] == reverse("portal:wechat")
    binding = WeChatBinding.objects.get()
    assert (binding.resident, binding.account, binding.openid) == (resident, wechat_account, OPENID)
    consent = Consent.objects.get()
    assert (consent.channel, consent.granted, consent.source) == ("wechat", True, "wechat")
    (exchange,) = wechat_stub.calls("/sns/oauth2/access_token")
    assert exchange.query == {
        "appid": "wx-bsw",
        "secret": "secret-bsw",
        "code": "CODE-1",
        "grant_type": "authorization_code",
    }
    assert 'data-testid="wechat-bound"' in client.get(reverse("portal:wechat")).text

    client.post(reverse("portal:wechat_unbind"))
    assert not WeChatBinding.objects.exists()
    withdrawn = Consent.objects.order_by("-at", "-id").first()
    assert (withdrawn.granted, withdrawn.source) == (False, "portal")
    assert 'data-testid="wechat-unbound"' in client.get(reverse("portal:wechat")).text


def test_a_state_not_signed_for_this_resident_binds_nothing(
    client, chen, resident, wechat_stub, wechat_account, bsw
):
    from estate.portal.wechat import _state
    from tests.factories import ResidentFactory

    other = ResidentFactory(household=resident.household, name="陳小明", phone="13812340000")
    wechat_stub.codes["CODE-2"] = OPENID
    client.force_login(chen)
    for state in (_state(other, wechat_account), "00", "zz", ""):
        client.get(reverse("portal:wechat_callback"), {"code": "CODE-2", "state": state})
    assert not WeChatBinding.objects.exists()
    assert wechat_stub.calls("/sns/oauth2/access_token") == []


def test_an_old_state_binds_nothing(client, chen, resident, wechat_stub, wechat_account):
    import time_machine

    from estate.portal.wechat import _state

    state = _state(resident, wechat_account)
    wechat_stub.codes["CODE-3"] = OPENID
    client.force_login(chen)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        client.get(reverse("portal:wechat_callback"), {"code": "CODE-3", "state": state})
    assert not WeChatBinding.objects.exists()


def test_a_code_wechat_does_not_know_binds_nothing(
    client, chen, resident, wechat_stub, wechat_account
):
    from estate.portal.wechat import _state

    client.force_login(chen)
    answer = client.get(
        reverse("portal:wechat_callback"),
        {"code": "NOT-GIVEN", "state": _state(resident, wechat_account)},
        follow=True,
    )
    assert not WeChatBinding.objects.exists()
    assert not Consent.objects.exists()
    assert "alert-danger" in answer.text


def test_wechat_out_of_reach_while_binding_is_said(
    client, chen, resident, wechat_stub, wechat_account
):
    from estate.portal.wechat import _state

    wechat_stub.fail_next("/sns/oauth2/access_token", "http_502")
    client.force_login(chen)
    answer = client.get(
        reverse("portal:wechat_callback"),
        {"code": "CODE-4", "state": _state(resident, wechat_account)},
        follow=True,
    )
    assert "alert-danger" in answer.text
    assert not WeChatBinding.objects.exists()


def test_a_wechat_bound_to_someone_else_is_refused(resident, wechat_account, bsw):
    from django.core.exceptions import ValidationError

    from tests.factories import ResidentFactory

    other = ResidentFactory(household=resident.household, name="陳小明", phone="13812340000")
    bind_wechat(account=wechat_account, resident=other, openid=OPENID)
    with pytest.raises(ValidationError):
        bind_wechat(account=wechat_account, resident=resident, openid=OPENID)
    # binding the same WeChat again changes nothing and records no second consent
    bind_wechat(account=wechat_account, resident=other, openid=OPENID)
    assert Consent.objects.count() == 1


def test_the_portal_says_when_the_office_has_no_account(client, chen, resident):
    client.force_login(chen)
    page = client.get(reverse("portal:wechat"))
    assert 'data-testid="wechat-none"' in page.text
    assert client.post(reverse("portal:wechat_bind")).status_code == 404


# -- what comes back in -------------------------------------------------------------------


def signed(token="callback-token", timestamp="1767225600", nonce="n0nce"):
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def hook(app_id="wx-bsw"):
    return reverse("hooks:wechat", args=[app_id])


def test_wechat_checks_the_server_address_with_a_signed_echostr(client, wechat_account):
    answer = client.get(hook(), {**signed(), "echostr": "4567890123"})
    assert (answer.status_code, answer.text) == (200, "4567890123")
    assert client.get(hook(), {**signed(token="wrong"), "echostr": "1"}).status_code == 403
    assert client.get(hook(), {"echostr": "1"}).status_code == 403
    assert client.get(hook("wx-unknown"), {**signed(), "echostr": "1"}).status_code == 404


PUSH = """<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>
<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>1767225600</CreateTime>
<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[水龍頭還在漏，請再來看看]]></Content>
<MsgId>24543210987654321</MsgId></xml>"""


@pytest.fixture
def taken(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(inbound, "take_reply", lambda **kwargs: calls.append(kwargs))
    return calls


def post(client, body, query=None):
    url = hook() + "?" + "&".join(f"{k}={v}" for k, v in (query or signed()).items())
    return client.post(url, body.encode(), content_type="text/xml")


def test_a_text_message_is_taken_once_however_often_wechat_posts_it(
    client, wechat_account, bsw, taken
):
    for _try in range(3):
        answer = post(client, PUSH.format(openid=OPENID))
        assert (answer.status_code, answer.text) == (200, "success")
    assert len(taken) == 1
    (call,) = taken
    assert call["office"] == bsw
    assert call["channel"] == "wechat"
    assert call["sender"] == OPENID
    assert call["text"] == "水龍頭還在漏，請再來看看"
    assert call["at"].isoformat() == "2026-01-01T00:00:00+00:00"


def test_a_push_without_the_right_signature_is_not_taken(client, wechat_account, taken):
    assert post(client, PUSH.format(openid=OPENID), signed(token="guess")).status_code == 403
    assert taken == []


def test_xml_with_a_doctype_or_entities_is_refused(client, wechat_account, taken):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<xml><FromUserName>x</FromUserName><MsgType>text</MsgType><Content>&b;</Content></xml>"
    )
    assert post(client, bomb).status_code == 400
    external = (
        '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        "<xml><FromUserName>x</FromUserName><MsgType>text</MsgType><Content>&e;</Content></xml>"
    )
    assert post(client, external).status_code == 400
    assert post(client, "not xml").status_code == 400
    assert taken == []


def test_events_and_pictures_are_answered_but_not_taken(client, wechat_account, taken):
    event = (
        f"<xml><FromUserName>{OPENID}</FromUserName><CreateTime>1767225600</CreateTime>"
        "<MsgType>event</MsgType><Event>subscribe</Event></xml>"
    )
    assert post(client, event).text == "success"
    assert taken == []


def test_a_message_whose_taking_failed_is_taken_when_wechat_retries(wechat_account, monkeypatch):
    from estate.messaging import wechat_inbound

    calls: list[str] = []

    def flaky(**kwargs):
        calls.append(kwargs["text"])
        if len(calls) == 1:
            raise RuntimeError("database busy")

    monkeypatch.setattr(inbound, "take_reply", flaky)
    push = wechat_inbound.parse_push(PUSH.format(openid=OPENID).encode())
    with pytest.raises(RuntimeError):
        wechat_inbound.take_push(account=wechat_account, push=push)
    assert wechat_inbound.take_push(account=wechat_account, push=push) is True
    assert wechat_inbound.take_push(account=wechat_account, push=push) is False
    assert len(calls) == 2


def test_unfollowing_the_account_withdraws_consent_and_stops_what_waits(
    client, wechat_account, resident
):
    """WeChat refuses every message to a person who unfollowed: the binding goes, consent is
    recorded as withdrawn (by WeChat), and a message still waiting is not sent."""
    from estate.messaging.actions import consented_channels

    bind_wechat(account=wechat_account, resident=resident, openid=OPENID)
    waiting = delivery(resident)
    assert consented_channels(resident) == {"wechat"}
    unfollow = (
        f"<xml><FromUserName>{OPENID}</FromUserName><CreateTime>1767225600</CreateTime>"
        "<MsgType>event</MsgType><Event>unsubscribe</Event></xml>"
    )
    assert post(client, unfollow).text == "success"
    assert not WeChatBinding.objects.filter(resident=resident).exists()
    assert consented_channels(resident) == set()
    withdrawn = Consent.objects.filter(resident=resident).latest("at", "id")
    assert (withdrawn.granted, withdrawn.source) == (False, "wechat")
    waiting.refresh_from_db()
    assert waiting.state == "cancelled"
    assert post(client, unfollow).text == "success"  # again: nothing more to do
    assert Consent.objects.filter(resident=resident).count() == 2


def test_the_admin_writes_the_secret_but_never_shows_it(admin_client, wechat_account):
    page = reverse("admin:messaging_wechataccount_change", args=[wechat_account.pk])
    assert wechat_account.app_secret not in admin_client.get(page).text
    form = {
        "office": wechat_account.office_id, "app_id": wechat_account.app_id, "app_secret": "",
        "token": wechat_account.token, "template_ids": '{"reply": "TPL-REPLY"}',
    }  # fmt: skip
    assert admin_client.post(page, form).status_code == 302
    kept = WeChatAccount.objects.get(pk=wechat_account.pk)
    assert kept.app_secret == wechat_account.app_secret
    assert kept.template_ids == {"reply": "TPL-REPLY"}
    admin_client.post(page, {**form, "app_secret": "new-secret-0123"})
    assert WeChatAccount.objects.get(pk=wechat_account.pk).app_secret == "new-secret-0123"
