"""The only code that writes emergencies: open, check in on scene, and the incident report's life."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from estate.accounts.people import people_with_role
from estate.accounts.roles import Role
from estate.emergencies import calls
from estate.emergencies.models import Category, Emergency, IncidentReport, ReportStatus, Responder
from estate.notifications.actions import notify
from estate.notifications.messages import Message
from estate.properties.models import Office, ServiceUnit, Unit
from estate.timerules import clocks
from estate.timerules.choices import Rule
from estate.workorders import actions as work_orders
from estate.workorders.choices import Kind, Priority


def open_emergency(
    *,
    office: Office,
    by: Any,
    channel: str,
    category: str,
    description: str,
    service_units: list[ServiceUnit],
    unit: Unit | None = None,
    location: str = "",
) -> Emergency:
    """One step: the order, and at once a call to the head and the duty officers of the chosen
    units (none chosen: the units the office's plan names for the category). Nothing about the
    place or the units blocks it: in a fire the alert goes out first."""
    if category not in Category.values:
        raise ValidationError({"category": _("Choose what kind of emergency it is.")})
    if any(unit_.office_id != office.pk for unit_ in service_units):
        raise ValidationError(
            {"service_units": _("A chosen service unit belongs to another office.")}
        )
    service_units = list(service_units) or calls.units_to_call(office, category)
    with transaction.atomic():
        order = work_orders.open_work_order(
            office=office,
            by=by,
            channel=channel,
            kind=Kind.EMERGENCY,
            description=description,
            unit=unit,
            location=location,
            priority=Priority.URGENT,
            is_emergency=True,
            service_unit=service_units[0] if service_units else None,
        )
        emergency = Emergency.objects.create(office=office, work_order=order, category=category)
        emergency.service_units.set(service_units)
        called: dict[int, tuple[Any, str]] = {}
        for head in people_with_role(office, Role.HEAD):
            called.setdefault(head.pk, (head, str(Role.HEAD.label)))
        for service_unit in service_units:
            for officer in service_unit.duty_officers.filter(is_active=True):
                called.setdefault(
                    officer.pk,
                    (officer, gettext("Duty officer, %(unit)s") % {"unit": service_unit.name}),
                )
        now = timezone.now()
        for person, role in called.values():
            responder = Responder.objects.create(
                emergency=emergency, person=person, role=role, called_at=now
            )
            clocks.start_person_clock(order, Rule.ON_SCENE, person, now)
            # Each responder's text carries their own link: one tap says "on scene".
            notify(
                office_id=office.pk,
                recipients=[person],
                kind="emergency",
                text=Message(
                    gettext_lazy(
                        "EMERGENCY %(category)s at %(place)s: %(description)s. "
                        "Go now; on scene, tap the link."
                    ),
                    {
                        "category": Category(category).label,
                        "place": order.place,
                        "description": description[:60],
                    },
                ),
                link=calls.check_in_link(responder),
            )
    return emergency


def check_in(emergency: Emergency, *, person: Any, channel: str) -> Responder:
    """A responder reports being on scene; only people who were called may check in, and only once."""
    responder = Responder.objects.filter(emergency=emergency, person=person).first()
    if responder is None:
        raise PermissionDenied(gettext("You were not called to this emergency."))
    now = timezone.now()
    with transaction.atomic():
        if Responder.objects.filter(pk=responder.pk, on_scene_at__isnull=True).update(
            on_scene_at=now
        ):
            clocks.meet_person_clock(emergency.work_order, Rule.ON_SCENE, person, now)
            work_orders.comment(
                emergency.work_order,
                text=gettext("%(person)s on scene") % {"person": person},
                by=person,
                channel=channel,
            )
    responder.refresh_from_db()
    return responder


REPORT_FIELDS = (
    "occurred_at", "place", "what_happened", "people_involved", "injuries_and_losses",
    "actions_taken", "causes", "lessons",
)  # fmt: skip


def save_report(emergency: Emergency, *, by: Any, **fields: Any) -> IncidentReport:
    """Write or correct the report while it is a draft or was sent back."""
    report = IncidentReport.objects.filter(emergency=emergency).first()
    if report is not None and not report.is_editable:
        raise ValidationError(
            _("This report is with leadership or archived; it cannot be changed.")
        )
    values = {key: fields[key] for key in REPORT_FIELDS if key in fields}
    if report is None:
        return IncidentReport.objects.create(
            office_id=emergency.office_id, emergency=emergency, written_by=by, **values
        )
    for key, value in values.items():
        setattr(report, key, value)
    report.save(update_fields=list(values))
    return report


def submit_report(report: IncidentReport, *, by: Any) -> IncidentReport:
    if not IncidentReport.objects.filter(
        pk=report.pk, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
    ).update(status=ReportStatus.SUBMITTED, submitted_at=timezone.now()):
        raise ValidationError(_("Only a draft or a report sent back can be submitted."))
    report.refresh_from_db()
    notify(
        office_id=report.office_id,
        recipients=people_with_role(report.emergency.office, Role.LEADERSHIP),
        kind="incident_report_submitted",
        text=Message(
            gettext_lazy("Incident report for %(emergency)s awaits approval."),
            {"emergency": report.emergency},
        ),
        link=reverse("emergencies:detail", args=[report.emergency_id]),
    )
    return report


def review_report(
    report: IncidentReport, *, by: Any, approve: bool, note: str = ""
) -> IncidentReport:
    """Leadership approves (the report is archived with a PDF) or sends it back with a note."""
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say what must be changed.")})
    status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    with transaction.atomic():
        if not IncidentReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
            status=status, reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()
        ):
            raise ValidationError(_("Only a submitted report can be reviewed."))
        report.refresh_from_db()
        if approve:
            from estate.emergencies.printing import incident_report_pdf

            report.archived_pdf.save(
                f"{report.emergency.work_order.number}.pdf",
                ContentFile(incident_report_pdf(report)),
                save=True,
            )
    notify(
        office_id=report.office_id,
        recipients=[report.written_by],
        kind="incident_report_reviewed",
        text=Message(
            gettext_lazy("Incident report approved: %(emergency)s")
            if approve
            else gettext_lazy("Incident report sent back: %(note)s"),
            {"emergency": str(report.emergency), "note": note},
        ),
        link=reverse("emergencies:detail", args=[report.emergency_id]),
    )
    return report
