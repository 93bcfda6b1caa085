"""Every write of patrols: routes and their check points (the office's, MANAGE_OFFICE), and the
guard's scan of a point (DO_WORK, on a patrol of their own service unit)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.accounts.access import scope_for
from estate.accounts.roles import Capability
from estate.core.permissions import require_capability
from estate.patrols.choices import ScanMethod
from estate.patrols.geo import distance_m
from estate.patrols.models import CheckPoint, PatrolRoute, PointScan
from estate.patrols.tasks_link import complete_patrol
from estate.planned.choices import Target, TaskStatus
from estate.planned.models import PlannedTask

# Room for the positions of a route while it is renumbered (the pair route+position is unique).
_SHIFT = 10_000


def new_point_code() -> str:
    """A fresh QR code value: random, unguessable (the label is the proof of presence), unique
    among every office's points; 16 URL-safe characters."""
    while True:
        code = secrets.token_urlsafe(12)
        if not CheckPoint.objects.filter(code=code).exists():
            return code


# ---------------------------------------------------------------- routes and points


def add_route(
    *, office: Any, name: str, service_unit: Any, by: Any, minutes_between_points: int = 15
) -> PatrolRoute:
    require_capability(by, Capability.MANAGE_OFFICE, office.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the route a name.")})
    if service_unit.office_id != office.pk:
        raise ValidationError({"service_unit": _("This service unit belongs to another office.")})
    if PatrolRoute.objects.filter(office=office, name=name).exists():
        raise ValidationError({"name": _("The office already has a route of this name.")})
    with transaction.atomic():
        return PatrolRoute.objects.create(
            office=office,
            name=name,
            service_unit=service_unit,
            minutes_between_points=minutes_between_points,
        )


def add_point(
    *,
    route: PatrolRoute,
    name: str,
    by: Any,
    nfc_tag: str = "",
    latitude: Any = None,
    longitude: Any = None,
    radius_m: int = 50,
) -> CheckPoint:
    """A check point at the end of the route, with a new QR code."""
    require_capability(by, Capability.MANAGE_OFFICE, route.office_id)
    name, nfc_tag = (name or "").strip(), (nfc_tag or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the check point a name.")})
    lat, lon = _location(latitude, longitude)
    if (lat is None) != (lon is None):
        raise ValidationError(
            {"longitude": _("Give both the latitude and the longitude, or neither.")}
        )
    if nfc_tag and CheckPoint.objects.filter(office_id=route.office_id, nfc_tag=nfc_tag).exists():
        raise ValidationError({"nfc_tag": _("Another check point of the office has this NFC tag.")})
    with transaction.atomic():
        last = route.points.aggregate(last=Max("position"))["last"] or 0
        return CheckPoint.objects.create(
            office_id=route.office_id,
            route=route,
            position=last + 1,
            name=name,
            code=new_point_code(),
            nfc_tag=nfc_tag,
            latitude=lat,
            longitude=lon,
            radius_m=radius_m,
        )


def reorder_points(*, route: PatrolRoute, order: list[int], by: Any) -> None:
    """Put the route's points in ``order`` (their ids, each once), numbered from 1."""
    require_capability(by, Capability.MANAGE_OFFICE, route.office_id)
    current = set(route.points.values_list("pk", flat=True))
    if len(order) != len(set(order)) or set(order) != current:
        raise ValidationError({"order": _("Name every check point of the route once.")})
    with transaction.atomic():
        points = CheckPoint.objects.select_for_update().filter(route=route)
        # Two steps, so that no moment has two points on one position.
        for point_id, position in zip(order, range(1, len(order) + 1), strict=True):
            points.filter(pk=point_id).update(position=position + _SHIFT)
        for point_id, position in zip(order, range(1, len(order) + 1), strict=True):
            points.filter(pk=point_id).update(position=position)


def move_point(*, point: CheckPoint, by: Any, up: bool) -> None:
    """Swap a point with the one before it (``up``) or after it."""
    order = list(point.route.points.order_by("position").values_list("pk", flat=True))
    at = order.index(point.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(order):
        order[at], order[other] = order[other], order[at]
    reorder_points(route=point.route, order=order, by=by)


def renew_code(*, point: CheckPoint, by: Any) -> CheckPoint:
    """A new QR code for a point (its label was lost or copied); the old label stops working."""
    require_capability(by, Capability.MANAGE_OFFICE, point.office_id)
    with transaction.atomic():
        CheckPoint.objects.filter(pk=point.pk).update(code=new_point_code())
    point.refresh_from_db()
    return point


# ---------------------------------------------------------------- the guard's scan


@dataclass
class ScanResult:
    scan: PointScan
    created: bool  # False: the point was scanned before on this patrol; nothing new recorded
    message: str
    completed: bool = False  # this scan was the route's last point: the patrol is done


def scan(
    code_or_tag: str,
    *,
    by: Any,
    at: datetime | None = None,
    latitude: Any = None,
    longitude: Any = None,
    accuracy: Any = None,
    method: str | None = None,
) -> ScanResult:
    """Record that ``by`` was at the check point with this QR code (or NFC tag id) at ``at``.

    The scan goes to the guard's open patrol of the point's route (a planned task of their own
    service unit); the same point twice on one patrol is recorded once. Marks: out of order (a
    later point of the route was scanned before), outside the window (not between the task's
    due time and the end of its window), outside the radius (the phone's location farther from
    the point's than its radius). The route's last point completes the patrol.
    """
    at = at or timezone.now()
    lat, lon = _location(latitude, longitude)
    accuracy_m = _accuracy(accuracy)
    point, found_by = _point_for(code_or_tag, by)
    with transaction.atomic():
        task = _open_patrol(point, by, at)
        # One scan at a time per patrol: the order and completion are decided on what is there.
        PlannedTask.objects.select_for_update().filter(pk=task.pk).first()
        earlier = PointScan.objects.filter(task=task, point=point).first()
        if earlier is not None:
            return ScanResult(earlier, False, _already(earlier))
        distance = _distance(lat, lon, point)
        try:
            with transaction.atomic():
                recorded = PointScan.objects.create(
                    office_id=point.office_id,
                    task=task,
                    point=point,
                    scanned_at=at,
                    by=by,
                    method=method or found_by,
                    latitude=lat,
                    longitude=lon,
                    accuracy_m=accuracy_m,
                    distance_m=distance,
                    out_of_order=PointScan.objects.filter(
                        task=task, point__position__gt=point.position
                    ).exists(),
                    outside_window=not (task.due_at <= at <= task.window_ends_at),
                    outside_radius=distance is not None and distance > point.radius_m,
                )
        except IntegrityError:  # the same point, at the same moment, from a second tap
            earlier = PointScan.objects.get(task=task, point=point)
            return ScanResult(earlier, False, _already(earlier))
        scanned = PointScan.objects.filter(task=task).count()
        completed = scanned >= point.route.points.count() and complete_patrol(task, by=by, at=at)
        message = (
            _("%(point)s scanned. The patrol is complete.")
            if completed
            else _("%(point)s scanned.")
        ) % {"point": point.name}
        return ScanResult(recorded, True, message, completed)


def _distance(lat: Decimal | None, lon: Decimal | None, point: CheckPoint) -> int | None:
    """Metres from the phone to the point, when both gave where they are."""
    if lat is None or lon is None or point.latitude is None or point.longitude is None:
        return None
    return distance_m(lat, lon, point.latitude, point.longitude)


def _already(earlier: PointScan) -> str:
    local = timezone.localtime(earlier.scanned_at, _zone(earlier.office))
    return _("Already scanned at %(time)s.") % {"time": local.strftime("%H:%M")}


def _zone(office: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(office.timezone)


def _point_for(code_or_tag: str, by: Any) -> tuple[CheckPoint, str]:
    """The point with this QR code, else with this NFC tag, in an office where ``by`` does field
    work; which of the two it was found by."""
    value = (code_or_tag or "").strip()
    offices = scope_for(by).office_ids_with(Capability.DO_WORK)
    if not offices:
        raise PermissionDenied(_("You have no office in which you may do this."))
    if value:
        by_code = CheckPoint.objects.select_related("route", "office").filter(code=value).first()
        if by_code is not None:
            if by_code.office_id not in offices:
                raise ValidationError({"code": _("This check point belongs to another office.")})
            return by_code, ScanMethod.QR
        tagged = CheckPoint.objects.select_related("route", "office").filter(nfc_tag__iexact=value)
        mine = tagged.filter(office_id__in=offices).first()
        if mine is not None:
            return mine, ScanMethod.NFC
        if tagged.exists():
            raise ValidationError({"code": _("This check point belongs to another office.")})
    raise ValidationError({"code": _("No check point has this code.")})


def _open_patrol(point: CheckPoint, by: Any, at: datetime) -> PlannedTask:
    """The guard's open patrol of the point's route: a task of one of their service units; of
    several open, the one whose window holds ``at``, else the latest already due."""
    units = scope_for(by).service_unit_ids
    open_tasks = list(
        PlannedTask.objects.filter(
            office_id=point.office_id,
            plan__target=Target.ROUTE,
            plan__route_id=point.route_id,
            status=TaskStatus.OPEN,
            service_unit_id__in=units,
        ).order_by("due_at", "pk")
    )
    if not open_tasks:
        raise ValidationError({"code": _("No patrol of this route is open now.")})
    for task in open_tasks:
        if task.due_at <= at <= task.window_ends_at:
            return task
    due = [task for task in open_tasks if task.due_at <= at]
    return due[-1] if due else open_tasks[0]


def _location(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    return (
        _coordinate(latitude, "latitude", Decimal(90)),
        _coordinate(longitude, "longitude", Decimal(180)),
    )


def _coordinate(value: Any, field: str, limit: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: _("The location must be a number of degrees.")}) from None
    if not number.is_finite() or abs(number) > limit:
        raise ValidationError(
            {
                field: _("The location must be between -%(limit)s and %(limit)s degrees.")
                % {"limit": limit}
            }
        )
    return number.quantize(Decimal("0.000001"))


def _accuracy(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"accuracy": _("The accuracy must be a number of metres.")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({"accuracy": _("The accuracy must be a number of metres.")})
    return int(number.to_integral_value())
