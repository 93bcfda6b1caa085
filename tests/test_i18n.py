"""Chinese first: zh-Hant by default, zh-Hans and English one click away."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "zh-CN,zh;q=0.9", ""])
def test_traditional_chinese_is_the_default_whatever_the_browser_says(client, reception, accept):
    client.force_login(reception)
    page = client.get(reverse("properties:unit_list"), headers={"Accept-Language": accept})
    assert '<html lang="zh-hant">' in page.text
    assert '<h1 class="h4">單元</h1>' in page.text


@pytest.mark.parametrize(
    ("code", "heading", "role"),
    [
        ("zh-hans", "单元", "前台接待员"),
        ("en", "Units", "Receptionist"),
        ("zh-hant", "單元", "前臺接待員"),
    ],
)
def test_switching_language_is_remembered(client, reception, code, heading, role):
    client.force_login(reception)
    response = client.post(
        reverse("set_language"), {"language": code, "next": reverse("core:home")}
    )
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert f'<html lang="{code}">' in home.text
    assert role in home.text
    assert f'<h1 class="h4">{heading}</h1>' in client.get(reverse("properties:unit_list")).text


def test_an_unknown_language_cookie_falls_back_to_traditional_chinese(client, reception, settings):
    client.force_login(reception)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="zh-hant">' in client.get(reverse("core:home")).text


def test_the_language_chosen_is_remembered_for_messages_to_that_person(client, reception):
    from estate.accounts.models import User

    client.force_login(reception)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert User.objects.get(pk=reception.pk).language == "en"
