"""Time-rule vocabulary: the rules of the seed, how a deadline is computed, and a clock's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    COMPLAINT_DISPATCH = "complaint_dispatch", _("Complaint given to a manager within 10 minutes")
    SAME_DAY_REPLY = "same_day_reply", _("Requester answered the same day")
    SAME_DAY_COMPLETION = "same_day_completion", _("Repair or housekeeping done the same day")
    WEEKLY_CONTACT = "weekly_contact", _("Requester contacted at least weekly until solved")
    FOLLOW_UP = "follow_up", _("Complaint followed up within 3 days of completion")
    ON_SCENE = "on_scene", _("Emergency responder on scene within 5 minutes")
    IMPORTANT_COMPLAINT = (
        "important_complaint",
        _("Important complaint answered by the head within 2 working days"),
    )
    HEAD_SAME_DAY = (
        "head_same_day",
        _("Attitude complaint answered by the head the same day"),
    )
    CONCIERGE_ACCEPTED = (
        "concierge_accepted",
        _("Concierge request taken up within 15 minutes, at any hour"),
    )
    ONLINE_DISPATCH = (
        "online_dispatch",
        _("Online request dispatched by the desk within 10 minutes"),
    )
    ACKNOWLEDGED = (
        "acknowledged",
        _("Online request acknowledged to the requester within 3 minutes"),
    )


class TargetKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    HOURS = "hours", _("Hours")
    SAME_DAY = "same_day", _("Same day (closing time moves it to the next working day)")
    WORKING_DAYS = "working_days", _("Working days")


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    STOPPED = "stopped", _("No longer applies")


class Start(models.TextChoices):
    """The step of the order that starts the clock."""

    OPEN = "open", _("When the order is opened")
    COMPLETE = "complete", _("When the job is completed")
    CALLED = "called", _("When a responder is called")


# rule -> (target kind, amount, warn minutes before, kinds ("" = all), starts on, pauses on hold)
DEFAULT_POLICIES: dict[str, tuple[str, int, int, str, str, bool]] = {
    Rule.COMPLAINT_DISPATCH: (TargetKind.MINUTES, 10, 2, "complaint", Start.OPEN, False),
    Rule.SAME_DAY_REPLY: (TargetKind.SAME_DAY, 1, 60, "", Start.OPEN, False),
    Rule.SAME_DAY_COMPLETION: (TargetKind.SAME_DAY, 1, 60, "repair,housekeeping", Start.OPEN, True),
    Rule.WEEKLY_CONTACT: (TargetKind.HOURS, 7 * 24, 24 * 60, "", Start.OPEN, False),
    Rule.FOLLOW_UP: (TargetKind.HOURS, 72, 12 * 60, "complaint", Start.COMPLETE, False),
    Rule.ON_SCENE: (TargetKind.MINUTES, 5, 1, "emergency", Start.CALLED, False),
    # These two start only for complaints of their type (see clocks.rules_for).
    Rule.IMPORTANT_COMPLAINT: (TargetKind.WORKING_DAYS, 2, 4 * 60, "complaint", Start.OPEN, False),
    Rule.HEAD_SAME_DAY: (TargetKind.SAME_DAY, 1, 60, "complaint", Start.OPEN, False),
    Rule.CONCIERGE_ACCEPTED: (TargetKind.MINUTES, 15, 5, "concierge", Start.OPEN, False),
    # Only for a request that came in online and waits for the desk (see clocks.rules_for).
    Rule.ONLINE_DISPATCH: (TargetKind.MINUTES, 10, 2, "", Start.OPEN, False),
    # Every request that came in online (portal, text, WeChat, email), told its number by
    # estate itself (GB/T 33358-2016); the desk's dispatch keeps its own rule above.
    Rule.ACKNOWLEDGED: (TargetKind.MINUTES, 3, 1, "", Start.OPEN, False),
}
