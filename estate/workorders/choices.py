"""Work-order vocabulary and the transition table: which action may move an order from which status."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    HOUSEKEEPING = "housekeeping", _("Housekeeping")
    COMPLAINT = "complaint", _("Complaint")
    CONCIERGE = "concierge", _("Concierge")
    INQUIRY = "inquiry", _("Inquiry")
    EMERGENCY = "emergency", _("Emergency")
    OTHER = "other", pgettext_lazy("kind of request", "Other")


class ComplaintType(models.TextChoices):
    """How a complaint is handled (R-A2.2–A2.4, R-A1.6)."""

    GENERAL = "general", _("General complaint")
    WRITTEN = "written", _("Written complaint")
    ATTITUDE = "attitude", _("Complaint about service attitude")
    CONSTRUCTION = "construction", _("Construction left-over problem")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    NEW = "new", _("New")
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.ON_HOLD,
        Status.REOPENED,
    }
)
FINISHED_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


class Action(models.TextChoices):
    """Everything that can happen to an order; each is one event kind on its timeline."""

    OPEN = "open", pgettext_lazy("work-order step", "Opened")
    DISPATCH = "dispatch", pgettext_lazy("work-order step", "Dispatched")
    ASSIGN = "assign", pgettext_lazy("work-order step", "Assigned")
    TRANSFER = "transfer", pgettext_lazy("work-order step", "Transferred")
    RETURN = "return", pgettext_lazy("work-order step", "Returned to the desk")
    ACCEPT = "accept", pgettext_lazy("work-order step", "Accepted")
    START = "start", pgettext_lazy("work-order step", "Work started")
    HOLD = "hold", pgettext_lazy("work-order step", "Put on hold")
    RESUME = "resume", pgettext_lazy("work-order step", "Resumed")
    COMPLETE = "complete", pgettext_lazy("work-order step", "Completed")
    REPLY = "reply", pgettext_lazy("work-order step", "Replied to the requester")
    CLOSE = "close", pgettext_lazy("work-order step", "Closed")
    CANCEL = "cancel", pgettext_lazy("work-order step", "Cancelled")
    REOPEN = "reopen", pgettext_lazy("work-order step", "Reopened")
    PROMISE = "promise", pgettext_lazy("work-order step", "Promised a time")
    UPDATE_REQUESTER = (
        "update_requester",
        pgettext_lazy("work-order step", "Kept the requester informed"),
    )
    COMMENT = "comment", pgettext_lazy("work-order step", "Note")
    ATTACH = "attach", pgettext_lazy("work-order step", "Photo added")
    RECTIFY = "rectify", pgettext_lazy("work-order step", "Rectification set")
    RECTIFIED = "rectified", pgettext_lazy("work-order step", "Rectification done")
    # Written on the timeline by ``materials`` without a status move, so not in TRANSITIONS.
    USE_MATERIAL = "material", pgettext_lazy("work-order step", "Material used")
    REMOVE_MATERIAL = "material_removed", pgettext_lazy("work-order step", "Material line removed")


# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.DISPATCH: (frozenset({Status.NEW, Status.REOPENED}), Status.DISPATCHED),
    Action.ASSIGN: (frozenset({Status.DISPATCHED}), Status.DISPATCHED),
    Action.TRANSFER: (
        frozenset({Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS}),
        Status.DISPATCHED,
    ),
    Action.RETURN: (frozenset({Status.DISPATCHED, Status.ACCEPTED}), Status.NEW),
    Action.ACCEPT: (frozenset({Status.DISPATCHED}), Status.ACCEPTED),
    Action.START: (frozenset({Status.ACCEPTED}), Status.IN_PROGRESS),
    Action.HOLD: (
        frozenset({Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS}),
        Status.ON_HOLD,
    ),
    Action.RESUME: (frozenset({Status.ON_HOLD}), None),  # back to the status it was held from
    Action.COMPLETE: (frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), Status.COMPLETED),
    Action.REPLY: (frozenset({Status.COMPLETED}), Status.REPLIED),
    Action.CLOSE: (frozenset({Status.REPLIED}), Status.CLOSED),
    Action.CANCEL: (OPEN_STATUSES, Status.CANCELLED),
    Action.REOPEN: (frozenset({Status.COMPLETED, Status.REPLIED, Status.CLOSED}), Status.REOPENED),
    Action.PROMISE: (OPEN_STATUSES | {Status.COMPLETED}, None),
    Action.UPDATE_REQUESTER: (OPEN_STATUSES | {Status.COMPLETED}, None),
    Action.COMMENT: (frozenset(Status.values), None),
    Action.ATTACH: (frozenset(Status.values), None),
    Action.RECTIFY: (frozenset(Status.values) - {Status.CANCELLED}, None),
    Action.RECTIFIED: (frozenset(Status.values), None),
}


def allowed_from(action: str, status: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return status in sources


class AttachmentKind(models.TextChoices):
    """What a file kept with an order is."""

    FILE = "file", _("Photo or file")
    SIGNATURE = "signature", _("Requester's signature")


class EventChannel(models.TextChoices):
    """Where an action was entered."""

    DESK = "desk", pgettext_lazy("event channel", "Front desk")
    PHONE = "phone", _("Telephone")
    FIELD = "field", _("Phone page")
    PORTAL = "portal", _("Resident portal")
    API = "api", _("API")
    SYSTEM = "system", _("System")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")


class ReplyChannel(models.TextChoices):
    """How the requester was told."""

    PHONE = "phone", _("By phone")
    SMS = "sms", _("By text message")
    VISIT = "visit", _("In person")
    WRITTEN = "written", _("In writing")
    PORTAL = "portal", _("In the portal")
