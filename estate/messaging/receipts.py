"""Delivery receipts (狀態報告): the provider's word that a text reached the phone, or did not,
applied to the ``Delivery`` it sent under that id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from estate.messaging.callbacks import entries, provider_time
from estate.messaging.choices import Channel, DeliveryState
from estate.messaging.models import Delivery
from estate.messaging.signals import delivery_results


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    delivered: bool
    at: datetime
    code: str = ""
    message: str = ""


def parse_receipts(provider: str, body: bytes | str) -> list[Receipt]:
    """The receipts in a status-report callback (Alibaba SmsReport, Tencent 短信下發狀態通知);
    ``ValueError`` for a body that is not one."""
    receipts = []
    for entry in entries(body):
        if provider == "aliyun":
            success = entry.get("success")
            receipts.append(
                Receipt(
                    provider_id=str(entry.get("biz_id") or ""),
                    delivered=success is True or str(success).lower() == "true",
                    at=provider_time(entry.get("report_time")),
                    code=str(entry.get("err_code") or ""),
                    message=str(entry.get("err_msg") or ""),
                )
            )
        elif provider == "tencent":
            receipts.append(
                Receipt(
                    provider_id=str(entry.get("sid") or ""),
                    delivered=str(entry.get("report_status", "")).upper() == "SUCCESS",
                    at=provider_time(entry.get("user_receive_time")),
                    code=str(entry.get("errmsg") or ""),
                    message=str(entry.get("description") or ""),
                )
            )
        else:
            raise ValueError(provider)
    if any(not receipt.provider_id for receipt in receipts):
        raise ValueError("a receipt without a message id")
    return receipts


def settle_receipt(receipt: Receipt) -> bool:
    """Mark the sent text ``receipt`` tells of delivered, or failed with the reason; compare and
    set, so a receipt told twice (or about a text no longer waiting for one) changes nothing.
    True when a delivery changed."""
    waiting = Delivery.objects.filter(
        provider_id=receipt.provider_id, channel=Channel.SMS, state=DeliveryState.SENT
    )
    message_ids = list(waiting.values_list("message_id", flat=True))
    if receipt.delivered:
        changed = waiting.update(state=DeliveryState.DELIVERED, delivered_at=receipt.at)
    else:
        reason = _("The phone did not receive the text (%(code)s %(message)s).") % {
            "code": receipt.code,
            "message": receipt.message,
        }
        changed = waiting.update(state=DeliveryState.FAILED, error=reason[:300])
    if changed:
        delivery_results.send(sender=Delivery, message_ids=message_ids)
    return changed > 0
