"""The office's WeChat service account (服務號): a small client of WeChat's official-account API.

* The access token (``/cgi-bin/token``) is kept on the account and renewed five minutes before
  it runs out, and once more when an API answers that it is no longer valid (40001, 42001).
* A message goes as a template message (模板消息, ``/cgi-bin/message/template/send``) to the
  openid of the person's binding. The template for each kind of message is set in the
  account's ``template_ids``, as either

  - a template id (``"kind": "TEMPLATE-ID"``): the template has one field ``content``, which gets
    the message's words as the person reads them in the portal; or
  - ``{"id": "TEMPLATE-ID", "fields": {"thing1": "subject", "character_string2": "number"}}``:
    each of the template's fields gets one of the kind's placeholders (``text``: the whole
    message), cut to what WeChat takes for that type of field (``thing``: 20 characters …).

  The message's link is the template's ``url``, in full.
* Web authorisation (網頁授權, ``snsapi_base``) tells the openid of the person who opened the
  portal inside WeChat; ``estate.messaging.wechat_binding`` binds it.
* Callbacks from WeChat are signed: sha1 of the account's token, the timestamp and the nonce,
  sorted and joined.

Every failure to send is ``estate.messaging.sms.DeliveryFailed`` with a reason for the office
and whether trying again later can help. The API's address is ``WECHAT_API_BASE``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.messaging.models import Delivery, WeChatAccount
from estate.messaging.sms import DeliveryFailed, _kind_label

log = logging.getLogger("estate.wechat")

TIMEOUT_SECONDS = 10
RENEW_BEFORE = timedelta(minutes=5)
TOKEN_NOT_VALID = frozenset({40001, 42001})  # invalid credential; access token expired

# errcode -> (reason, try again later?, code kept on the delivery)
SEND_ERRORS: dict[int, tuple[Any, bool, str]] = {
    43004: (
        _("The person no longer follows the office's WeChat account."),
        False,
        "not_following",
    ),
    43101: (
        _("The person refuses messages from the office's WeChat account."),
        False,
        "refused",
    ),
    40003: (
        _("WeChat does not know this person's binding (openid) for the account."),
        False,
        "invalid_openid",
    ),
    40037: (
        _(
            "WeChat does not know the template id for this kind of message: check the account's template ids."
        ),
        False,
        "invalid_template",
    ),
    47003: (
        _(
            "The message does not fit the WeChat template's fields: check the account's template ids."
        ),
        False,
        "template_fields",
    ),
    45009: (
        _("The WeChat account reached its sending limit; the message will be tried again later."),
        True,
        "rate_limit",
    ),
    -1: (_("WeChat is busy; the message will be tried again later."), True, "busy"),
}
TOKEN_ERRORS: dict[int, Any] = {
    40013: _("WeChat does not accept the account's app id: check the WeChat account."),
    40125: _("WeChat does not accept the account's app secret: check the WeChat account."),
    40164: _("This server's address is not on the WeChat account's IP whitelist."),
}
# The longest value WeChat takes in a template field of each type (the field name's letters).
FIELD_LIMITS = {
    "thing": 20,
    "character_string": 32,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "phrase": 5,
    "name": 10,
    "car_number": 8,
}


class BindingFailed(Exception):
    """WeChat did not tell whose WeChat opened the page (a used or unknown code, an outage)."""


# -- transport ------------------------------------------------------------------------------


def _request(
    method: str, path: str, *, query: Mapping[str, str], body: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """One call of the API: its JSON answer. An answer that never came, a server error or a
    body that is not JSON is ``DeliveryFailed`` worth trying again."""
    url = f"{settings.WECHAT_API_BASE}{path}?{urlencode(query)}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    unreachable = _("WeChat could not be reached; the message will be tried again later.")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            raw = response.read(1024 * 1024)
    except urllib.error.HTTPError as error:
        retry = error.code >= 500 or error.code == 429
        log.warning("WeChat %s answered HTTP %s", path, error.code)
        raise DeliveryFailed(
            unreachable
            if retry
            else _("WeChat refused the call (HTTP %(status)s).") % {"status": error.code},
            retry=retry,
            code=f"http_{error.code}",
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        log.warning("WeChat %s could not be reached: %s", path, type(error).__name__)
        raise DeliveryFailed(unreachable, retry=True, code="unreachable") from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise DeliveryFailed(unreachable, retry=True, code="not_json") from None
    if not isinstance(answer, dict):
        raise DeliveryFailed(unreachable, retry=True, code="not_json")
    return answer


def _errcode(answer: Mapping[str, Any]) -> int:
    try:
        return int(answer.get("errcode") or 0)
    except (TypeError, ValueError):
        return -1


# -- the access token -----------------------------------------------------------------------


def access_token(*, account: WeChatAccount, renew: bool = False) -> str:
    """The account's access token: the one kept while it has five minutes left, else a new
    one (kept on the account)."""
    now = timezone.now()
    expires = account.access_token_expires_at
    if not renew and account.access_token and expires and expires - RENEW_BEFORE > now:
        return account.access_token
    answer = _request(
        "GET",
        "/cgi-bin/token",
        query={
            "grant_type": "client_credential",
            "appid": account.app_id,
            "secret": account.app_secret,
        },
    )
    code = _errcode(answer)
    if code or not isinstance(answer.get("access_token"), str):
        if code == -1:
            raise DeliveryFailed(SEND_ERRORS[-1][0], retry=True, code="busy")
        raise DeliveryFailed(
            TOKEN_ERRORS.get(code)
            or _("WeChat gave no access token for the account (error %(code)s).") % {"code": code},
            code=f"token_{code}",
        )
    try:
        lifetime = int(answer.get("expires_in") or 7200)
    except (TypeError, ValueError):
        lifetime = 7200
    account.access_token = answer["access_token"]
    account.access_token_expires_at = now + timedelta(seconds=lifetime)
    # The token is a cache of the account, not a change to it: written without save().
    WeChatAccount.objects.filter(pk=account.pk).update(
        access_token=account.access_token, access_token_expires_at=account.access_token_expires_at
    )
    return account.access_token


def _renewed(account: WeChatAccount, *, refused: str) -> str:
    """A token other than ``refused``: one another worker has just fetched, else a new one."""
    kept = (
        WeChatAccount.objects.filter(pk=account.pk)
        .values_list("access_token", "access_token_expires_at")
        .first()
    )
    if (
        kept
        and kept[0]
        and kept[0] != refused
        and kept[1]
        and kept[1] - RENEW_BEFORE > timezone.now()
    ):
        account.access_token, account.access_token_expires_at = kept
        return account.access_token
    return access_token(account=account, renew=True)


def _call(account: WeChatAccount, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST ``body`` to an API with the account's token, renewed once if WeChat refuses it."""
    token = access_token(account=account)
    answer = _request("POST", path, query={"access_token": token}, body=body)
    if _errcode(answer) in TOKEN_NOT_VALID:
        token = _renewed(account, refused=token)
        answer = _request("POST", path, query={"access_token": token}, body=body)
    return answer


# -- template messages ----------------------------------------------------------------------


def send_template(
    *, account: WeChatAccount, openid: str, template_id: str, data: Mapping[str, str], url: str = ""
) -> str:
    """Send a template message; WeChat's msgid."""
    body: dict[str, Any] = {
        "touser": openid,
        "template_id": template_id,
        "data": {key: {"value": value} for key, value in data.items()},
    }
    if url:
        body["url"] = url
    answer = _call(account, "/cgi-bin/message/template/send", body)
    code = _errcode(answer)
    if code in SEND_ERRORS:
        reason, retry, name = SEND_ERRORS[code]
        raise DeliveryFailed(reason, retry=retry, code=name)
    if code in TOKEN_NOT_VALID:
        raise DeliveryFailed(
            _(
                "WeChat did not accept the account's access token; the message will be tried again later."
            ),
            retry=True,
            code="token",
        )
    if code:
        raise DeliveryFailed(
            _("WeChat refused the message (error %(code)s).") % {"code": code},
            code=f"wechat_{code}",
        )
    return str(answer.get("msgid", ""))


def template_for(account: WeChatAccount, kind: str) -> tuple[str, dict[str, str] | None]:
    """The template id for ``kind`` and its fields (field → placeholder), or None for a
    template with one ``content`` field."""
    config = (account.template_ids or {}).get(kind)
    if isinstance(config, str) and config.strip():
        return config.strip(), None
    if isinstance(config, dict):
        template_id, fields = config.get("id"), config.get("fields")
        if (
            isinstance(template_id, str)
            and template_id.strip()
            and isinstance(fields, dict)
            and fields
            and all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())
        ):
            return template_id.strip(), dict(fields)
        raise DeliveryFailed(
            _(
                "The WeChat template for “%(kind)s” is not set out right: give its id and its fields."
            )
            % {"kind": _kind_label(kind)},
            code="bad_template",
        )
    raise DeliveryFailed(
        _("No WeChat template is set for “%(kind)s”: add it to the account's template ids.")
        % {"kind": _kind_label(kind)},
        code="no_template",
    )


def fitted(field: str, value: Any) -> str:
    """``value`` as WeChat takes it in a template field named ``field`` (its type is the
    name's letters: ``thing1`` is a thing, at most 20 characters)."""
    text = " ".join(str(value if value is not None else "").split())
    limit = FIELD_LIMITS.get(field.rstrip("0123456789"))
    if limit is None:
        return text
    if not text:
        return "-"
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…" if field.startswith("thing") else text[:limit]


def template_data(
    fields: Mapping[str, str] | None, *, text: str, values: Mapping[str, Any]
) -> dict[str, str]:
    if fields is None:
        return {"content": text}
    return {
        field: fitted(field, text if placeholder == "text" else values.get(placeholder, ""))
        for field, placeholder in fields.items()
    }


def full_link(link: str) -> str:
    if link.startswith("/"):
        return f"{settings.SITE_URL.rstrip('/')}{link}"
    return link if link.startswith(("https://", "http://")) else ""


def send_message(*, delivery: Delivery) -> str:
    """Send a delivery of channel "wechat" (its address is the openid) by the account of the
    message's office; WeChat's msgid, or ``DeliveryFailed``."""
    message = delivery.message
    account = WeChatAccount.objects.filter(office_id=message.office_id).first()
    if account is None:
        raise DeliveryFailed(_("The office has no WeChat service account."), code="no_account")
    template_id, fields = template_for(account, message.kind)
    values = dict(message.values or {})
    return send_template(
        account=account,
        openid=delivery.address,
        template_id=template_id,
        data=template_data(fields, text=message.text, values=values),
        url=full_link(message.link or str(values.get("link") or "")),
    )


# -- web authorisation (網頁授權) -------------------------------------------------------------


def authorize_url(*, account: WeChatAccount, redirect_uri: str, state: str) -> str:
    """WeChat's authorisation page, which sends the person back to ``redirect_uri`` with a
    code; WeChat checks the parameters in this order."""
    query = urlencode(
        {
            "appid": account.app_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
        }
    )
    return f"{settings.WECHAT_OPEN_BASE}/connect/oauth2/authorize?{query}#wechat_redirect"


def openid_for_code(*, account: WeChatAccount, code: str) -> str:
    """The openid of the person WeChat gave ``code`` for, or ``BindingFailed``."""
    try:
        answer = _request(
            "GET",
            "/sns/oauth2/access_token",
            query={
                "appid": account.app_id,
                "secret": account.app_secret,
                "code": code,
                "grant_type": "authorization_code",
            },
        )
    except DeliveryFailed:
        raise BindingFailed(
            _("WeChat could not be reached: please try again in a moment.")
        ) from None
    openid = answer.get("openid")
    if _errcode(answer) or not isinstance(openid, str) or not openid:
        log.info("WeChat refused an authorisation code: %s", _errcode(answer))
        raise BindingFailed(_("WeChat did not confirm your WeChat account: please try again."))
    if answer.get("is_snapshotuser") == 1:  # a page opened from a Moments snapshot: no real openid
        raise BindingFailed(
            _("Open this page in WeChat itself (not a Moments preview) to bind it.")
        )
    return openid


# -- callbacks ------------------------------------------------------------------------------


def signature(*, token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def signature_ok(*, token: str, timestamp: str, nonce: str, signed: str) -> bool:
    if not (token and timestamp and nonce and signed):
        return False
    expected = signature(token=token, timestamp=timestamp, nonce=nonce)
    return hmac.compare_digest(expected, signed.lower())
