"""Binding a resident's WeChat to their portal login (綁定微信), and undoing it: the binding and
the consent to be told by WeChat go together, each change a consent row of its own (PIPL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from estate.messaging.actions import record_consent
from estate.messaging.choices import Channel, ConsentSource
from estate.messaging.models import WeChatAccount, WeChatBinding
from estate.properties.models import Resident


@transaction.atomic
def bind_wechat(
    *, account: WeChatAccount, resident: Resident, openid: str, at: datetime | None = None
) -> WeChatBinding:
    """Bind ``openid`` (the resident's WeChat as the account knows it) to ``resident`` and record
    their consent to WeChat messages. A WeChat bound to someone else is refused; binding
    another WeChat replaces the resident's earlier one; binding the same again changes nothing."""
    at = at or timezone.now()
    if account.office_id != resident.office_id:
        raise ValidationError(_("This WeChat account belongs to another office."))
    taken = (
        WeChatBinding.objects.select_for_update()
        .filter(account=account, openid=openid)
        .exclude(resident=resident)
        .exists()
    )
    if taken:
        raise ValidationError(
            _("This WeChat is already bound to another login: unbind it there first.")
        )
    binding = (
        WeChatBinding.objects.select_for_update().filter(account=account, resident=resident).first()
    )
    if binding is not None and binding.openid == openid:
        return binding
    if binding is None:
        binding = WeChatBinding.objects.create(
            office_id=account.office_id,
            account=account,
            resident=resident,
            openid=openid,
            bound_at=at,
        )
    else:
        binding.openid, binding.bound_at = openid, at
        binding.save(update_fields=["openid", "bound_at"])
    record_consent(
        resident=resident, channel=Channel.WECHAT, granted=True, source=ConsentSource.WECHAT, at=at
    )
    return binding


@transaction.atomic
def unbind_wechat(
    *,
    resident: Resident,
    source: str = ConsentSource.PORTAL,
    by: Any = None,
    at: datetime | None = None,
) -> int:
    """Remove the resident's WeChat bindings and record that they no longer consent to WeChat
    messages (what waits to go by WeChat is not sent); the number of bindings removed (0:
    nothing was bound, nothing recorded)."""
    removed, _rows = WeChatBinding.objects.filter(resident=resident).delete()
    if removed:
        record_consent(
            resident=resident, channel=Channel.WECHAT, granted=False, source=source, by=by, at=at
        )
    return removed
