"""Rectifications (限期整改, R-A2.3): the head sets a staff member measures with a deadline and
a penalty on a complaint's order, and records when they were carried out."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from estate.accounts.models import StaffRole, User
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.workorders.choices import Action
from estate.workorders.models import Rectification, WorkOrder
from estate.workorders.transitions import required, transition


def set_rectification(
    order: WorkOrder,
    *,
    staff_member: User,
    measures: str,
    deadline: date,
    penalty: str = "",
    by: Any,
    channel: str,
) -> Rectification:
    """The head sets the staff member a rectification with a deadline and a penalty (限期整改, R-A2.3)."""
    measures = required(measures, "measures")
    if not StaffRole.objects.filter(user=staff_member, office_id=order.office_id).exists():
        raise ValidationError({"staff_member": _("This person has no role in the order's office.")})
    with transaction.atomic():
        rectification = Rectification.objects.create(
            office_id=order.office_id,
            work_order=order,
            staff_member=staff_member,
            measures=measures,
            deadline=deadline,
            penalty=penalty.strip(),
            set_by=by,
            set_at=timezone.now(),
        )
        transition(
            order,
            Action.RECTIFY,
            by=by,
            channel=channel,
            note=measures,
            data={
                "staff_member": str(staff_member),
                "deadline": deadline.isoformat(),
                "penalty": penalty,
            },
        )
    notify(
        office_id=order.office_id,
        recipients=[staff_member],
        kind="rectification",
        text=Message(
            gettext_lazy("Rectification by %(deadline)s (order %(number)s): %(measures)s"),
            {"deadline": deadline.isoformat(), "number": order.number, "measures": measures[:80]},
        ),
        link=reverse("workorders:detail", args=[order.pk]),
    )
    return rectification


def finish_rectification(
    order: WorkOrder, *, rectification: Rectification, note: str, by: Any, channel: str
) -> Rectification:
    """The head records that the rectification was carried out."""
    note = required(note, "note")
    if rectification.work_order_id != order.pk:
        raise ValidationError({"rectification": _("This rectification belongs to another order.")})
    with transaction.atomic():
        if not Rectification.objects.filter(pk=rectification.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_note=note
        ):
            raise ValidationError({"rectification": _("This rectification is already done.")})
        transition(
            order,
            Action.RECTIFIED,
            by=by,
            channel=channel,
            note=note,
            data={"staff_member": str(rectification.staff_member)},
        )
    rectification.refresh_from_db()
    return rectification
