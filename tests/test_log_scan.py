"""The session's log scan (tests/log_scan.py) finds what it looks for, and the app's own logging
keeps numbers and codes out: the console SMS gateway, a desk look-up, a list searched by number."""

import logging

from django.urls import reverse

from estate.messaging.sms import ConsoleSms, Sms, masked
from tests.log_scan import personal_data_in


def test_the_scan_finds_mobile_numbers_anywhere_and_codes_in_the_sms_log():
    assert personal_data_in("django.server", '"GET /desk/lookup/?q=13812341234 HTTP/1.1" 200')
    assert personal_data_in("estate.sms", "SMS to ***1234: 您的驗證碼是 482913。")
    assert not personal_data_in("estate.sms", "SMS to ***1234: 您的驗證碼是 ******。")
    assert not personal_data_in("django.request", "Not Found: /orders/123456/")
    assert not personal_data_in("estate", "138****1234 工單 BSW-12 2026-12-09")


def test_the_console_gateway_masks_codes_numbers_and_links(caplog):
    caplog.set_level(logging.INFO, logger="estate.sms")
    ConsoleSms().send(
        Sms(
            phone="13812341234",
            text="驗證碼 482913；問卷 https://desk.example.cn/opinion/Zm9vYmFyYmF6/ ；回電 13900001111",
            key="k",
        )
    )
    line = caplog.records[-1].getMessage()
    assert not personal_data_in("estate.sms", line)
    assert "***1234" in line
    assert "https://desk.example.cn/…" in line
    assert "Zm9vYmFyYmF6" not in line
    assert masked("3/12號 下午 BSW-12") == "3/12號 下午 BSW-12"  # ordinary text is left alone


def test_a_desk_look_up_is_posted_never_a_url(client, reception, bsw):
    client.force_login(reception)
    assert client.get(reverse("frontdesk:lookup"), {"q": "13812341234"}).status_code == 405
    found = client.post(reverse("frontdesk:lookup"), {"q": "13812341234"})
    assert "3-1202" in found.content.decode()


def test_a_list_searched_by_number_shows_a_key_not_the_number(client, reception, bsw):
    client.force_login(reception)
    answer = client.post(
        reverse("properties:resident_list"), {"q": "13812341234"}, HTTP_HX_REQUEST="true"
    )
    assert "陳美玲" in answer.content.decode()
    address = answer["HX-Push-Url"]
    assert "13812341234" not in address
    assert "q=~" in address
    again = client.get(address)  # reloaded, bookmarked for the session
    assert "陳美玲" in again.content.decode()
    assert 'value="13812341234"' in again.content.decode()  # the box shows what was searched
    other = client.post(reverse("properties:resident_list"), {"q": "陳"}, HTTP_HX_REQUEST="true")
    assert other["HX-Push-Url"].endswith("?q=%E9%99%B3")  # a name stays readable
