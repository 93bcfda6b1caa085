"""API tokens expire, are listed and revoked by their owner and by an administrator, and end on a
new password and on "sign out everywhere"; staff change their own password; staff sessions end
after an idle time and an absolute lifetime."""

from datetime import timedelta

import time_machine
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from estate.accounts import tokens
from estate.accounts.models import ApiToken, User
from tests.factories import PASSWORD

NOW = "2026-11-26 09:00:00 +08:00"


def as_token(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def works(api, key):
    return as_token(api, key).get("/api/v1/work-orders/").status_code == 200


def new_key(api, username="reception", name=""):
    answer = api.post(
        "/api/v1/auth/token/",
        {"username": username, "password": PASSWORD, "name": name},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_token_ends_after_the_configured_days(api, reception, settings):
    settings.API_TOKEN_DAYS = 30
    with time_machine.travel(NOW, tick=False) as clock:
        made = new_key(api, name="平板")
        assert made["expires_at"].startswith("2026-12-26T09:00")
        key = made["token"]
        assert works(api, key)
        clock.shift(timedelta(days=30) - timedelta(seconds=1))
        assert works(api, key)
        clock.shift(2)
        refused = as_token(api, key).get("/api/v1/work-orders/")
        assert refused.status_code == 401
        assert "失效" in refused.json()["detail"]


def test_only_a_digest_of_the_key_is_kept(api, reception):
    key = new_key(api)["token"]
    stored = ApiToken.objects.get()
    assert key not in (stored.digest, stored.prefix)
    assert key.startswith(stored.prefix)


def test_the_owner_lists_and_revokes_a_token_the_stolen_key_stops_working(api, reception, head):
    stolen = new_key(api, name="丟失的手機")
    kept = new_key(api, name="辦公室電腦")["token"]
    new_key(api, "head")
    listed = as_token(api, kept).get("/api/v1/auth/tokens/").json()
    assert [row["name"] for row in listed] == ["辦公室電腦", "丟失的手機"]  # not the head's
    assert all("token" not in row and "digest" not in row for row in listed)
    head_token = ApiToken.objects.get(user=head)
    assert (
        as_token(api, kept).post(f"/api/v1/auth/tokens/{head_token.pk}/revoke/").status_code == 404
    )
    revoked = as_token(api, kept).post(f"/api/v1/auth/tokens/{stolen['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"]
    assert not works(api, stolen["token"])
    assert works(api, kept)
    assert ApiToken.objects.get(pk=stolen["id"]).revoked_by == reception


def test_the_account_page_makes_shows_once_and_revokes_tokens(client, reception):
    client.force_login(reception)
    made = client.post(reverse("accounts:new_token"), {"name": "抄表平板"})
    key = made.context["new_key"]
    assert key in made.content.decode()
    page = client.get(reverse("accounts:account")).content.decode()
    assert "抄表平板" in page
    assert key not in page
    assert key[:8] in page
    token = ApiToken.objects.get(user=reception)
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.live
    assert client.post(reverse("accounts:new_token"), {"name": ""}).status_code == 400


def test_an_administrator_revokes_anyones_token_in_the_admin(client, reception):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    token, _key = tokens.issue(reception, name="外包商")
    client.force_login(admin)
    answer = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin
    assert not token.live
    assert not site._registry[ApiToken].has_add_permission(None)  # only the owner makes keys


def test_a_new_password_ends_every_token_and_every_other_session(api, reception):
    key = new_key(api)["token"]
    elsewhere = Client()
    elsewhere.force_login(reception)
    here = Client()
    here.force_login(reception)
    changed = here.post(
        reverse("accounts:change_password"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-2027",
            "new_password2": "another-long-pass-2027",
        },
    )
    assert changed.status_code == 302
    assert here.get(reverse("accounts:account")).status_code == 200  # this session goes on
    assert elsewhere.get(reverse("accounts:account")).status_code == 302  # signed out
    assert not works(api, key)


def test_a_password_set_anywhere_else_ends_the_tokens_too(api, reception):
    key = new_key(api)["token"]
    reception.set_password("set-by-the-admin-2027")
    reception.save()
    assert not works(api, key)


def test_a_weak_new_password_is_refused_by_djangos_validators(client, reception):
    client.force_login(reception)
    page = client.post(
        reverse("accounts:change_password"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert page.status_code == 400
    assert page.context["form"].errors["new_password2"]
    reception.refresh_from_db()
    assert reception.check_password(PASSWORD)


def test_signing_out_everywhere_ends_every_session_and_token(api, reception):
    key = new_key(api)["token"]
    phone, desk = Client(), Client()
    phone.force_login(reception)
    desk.force_login(reception)
    desk.post(reverse("accounts:sign_out_everywhere"))
    assert phone.get(reverse("accounts:account")).status_code == 302
    assert desk.get(reverse("accounts:account")).status_code == 302
    assert not works(api, key)
    fresh = Client()
    fresh.force_login(User.objects.get(pk=reception.pk))
    assert fresh.get(reverse("accounts:account")).status_code == 200  # signing in again works


def test_an_administrator_signs_a_person_out_everywhere(client, api, reception):
    key = new_key(api)["token"]
    desk = Client()
    desk.force_login(reception)
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [reception.pk]},
    )
    assert desk.get(reverse("accounts:account")).status_code == 302
    assert not works(api, key)


def test_a_staff_session_ends_after_idle_minutes(client, reception, settings):
    settings.SESSION_IDLE_MINUTES = 30
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(reception)
        assert client.get(reverse("accounts:account")).status_code == 200
        clock.shift(29 * 60)
        assert client.get(reverse("accounts:account")).status_code == 200  # activity counts
        clock.shift(29 * 60)
        assert client.get(reverse("accounts:account")).status_code == 200
        clock.shift(31 * 60)
        ended = client.get(reverse("accounts:account"))
        assert ended.status_code == 302
        assert ended["Location"].startswith(reverse("accounts:login"))
        signed_out = client.get(ended["Location"])
        assert "30 分鐘" in signed_out.content.decode()
        assert not signed_out.wsgi_request.user.is_authenticated


def test_a_staff_session_ends_after_its_absolute_lifetime(client, reception, settings):
    settings.SESSION_MAX_HOURS = 12
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(reception)
        for _ in range(12 * 4):
            clock.shift(15 * 60)
            last = client.get(reverse("accounts:account"))
        assert last.status_code == 200  # exactly twelve hours, always active
        clock.shift(15 * 60)
        assert client.get(reverse("accounts:account")).status_code == 302


def test_an_htmx_request_after_the_idle_time_is_sent_to_sign_in(client, reception):
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(reception)
        client.get(reverse("accounts:account"))
        clock.shift(31 * 60)
        ended = client.get(reverse("accounts:account"), HTTP_HX_REQUEST="true")
        assert ended["HX-Redirect"].startswith(reverse("accounts:login"))


def test_a_residents_portal_session_is_not_cut_after_idle_minutes(client, bsw):
    from estate.properties.models import Resident

    user = User.objects.create_user("chen", password=PASSWORD)
    Resident.objects.filter(phone="13812341234").update(user=user)
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(user)
        clock.shift(timedelta(days=3))
        assert client.get(reverse("portal:home")).status_code == 200


def test_the_expiry_is_counted_from_when_the_token_was_made(reception, settings):
    settings.API_TOKEN_DAYS = 7
    token, _key = tokens.issue(reception)
    assert token.expires_at - timezone.now() <= timedelta(days=7)
    assert token.expires_at - timezone.now() > timedelta(days=7) - timedelta(minutes=1)
