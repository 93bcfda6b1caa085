"""The words of each kind of message: its placeholders, estate's default text (translated like
any other string) and the office's own (``MessageTemplate``); rendering and checking them.

A template is plain text with named placeholders in braces, ``{number}``; each kind accepts
only its own placeholders, so a typing mistake is refused when the template is saved rather
than sent to a thousand households."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from estate.messaging.choices import Kind

# kind -> (placeholders it accepts, estate's default words)
DEFAULTS: dict[str, tuple[tuple[str, ...], Promise]] = {
    Kind.RECEIVED: (
        ("number", "subject", "next", "link"),
        _("We have received your request {number} ({subject}). {next} Follow it here: {link}"),
    ),
    Kind.DISPATCHED: (
        ("number", "team", "expected", "link"),
        _("Your request {number} has been given to the {team}; expect them {expected}."),
    ),
    Kind.PROMISED: (
        ("number", "promised", "reason", "link"),
        _("Request {number}: we will be with you by {promised}. {reason}"),
    ),
    Kind.ON_HOLD: (
        ("number", "reason", "resume", "link"),
        _("Request {number} is waiting: {reason} {resume}"),
    ),
    Kind.RESUMED: (
        ("number", "link"),
        _("Work on your request {number} has started again."),
    ),
    Kind.COMPLETED: (
        ("number", "work_done", "fee", "link"),
        _("Request {number} is done: {work_done} {fee}"),
    ),
    Kind.REPLY: (
        ("number", "text", "link"),
        _("Reply on request {number}: {text}"),
    ),
    Kind.UPDATE: (
        ("number", "text", "link"),
        _("News on request {number}: {text}"),
    ),
    Kind.REOPENED: (
        ("number", "reason", "link"),
        _("Request {number} has been reopened: {reason} We will come back to it."),
    ),
    Kind.RATE: (
        ("number", "link"),
        _("How did we do on request {number}? Rate us here: {link}"),
    ),
    Kind.BILL_ISSUED: (
        ("period", "amount", "due", "link"),
        _("Your bill for {period} is ¥{amount}, due by {due}. Pay it in the portal: {link}"),
    ),
    Kind.PAYMENT_RECEIVED: (
        ("amount", "bill", "link"),
        _("We have received ¥{amount} for bill {bill}, thank you. Receipt: {link}"),
    ),
    Kind.ARREARS: (
        ("amount", "due", "link"),
        _("¥{amount} of your bills was due by {due} and is still unpaid. Pay here: {link}"),
    ),
    Kind.NOTICE: (
        ("title", "link"),
        _("New notice from the management office: {title} {link}"),
    ),
    Kind.INTERRUPTION: (
        ("what", "where", "starts", "ends", "text"),
        _("Planned {what} interruption at {where}, from {starts} to {ends}. {text}"),
    ),
    Kind.INVOICE_ISSUED: (
        ("invoice", "amount", "link"),
        _("Invoice {invoice} for ¥{amount} has been issued. Download it here: {link}"),
    ),
}

# The texts that only go by SMS, whose words are written where they are sent.
SMS_ONLY_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    Kind.SIGN_IN_CODE: ("code",),
    Kind.QUESTIONNAIRE: ("office", "title", "day", "link"),
    Kind.STAFF_ALERT: ("text", "link"),
}

LANGUAGES = ("zh-hant", "zh-hans")

# What each placeholder is filled with, for the person writing a template.
MEANINGS: dict[str, Promise] = {
    "number": _("the order's number"),
    "subject": _("what was asked for"),
    "next": _("what happens next"),
    "link": _("the link to follow it"),
    "team": _("the team sent"),
    "expected": _("when to expect them"),
    "promised": _("the promised time"),
    "reason": _("the reason given"),
    "resume": _("when work goes on"),
    "work_done": _("what was done"),
    "fee": _("the fee, if any"),
    "text": _("the office's words"),
    "period": _("the billing period"),
    "amount": _("the amount"),
    "due": _("the due date"),
    "bill": _("the bill's number"),
    "title": _("the notice's title"),
    "what": _("what is interrupted"),
    "where": _("where"),
    "starts": _("from when"),
    "ends": _("until when"),
    "code": _("the sign-in code"),
    "office": _("the office's name"),
    "day": _("the day"),
    "invoice": _("the invoice's number"),
}


def explained(kind: str) -> list[tuple[str, Any]]:
    """The placeholders of ``kind`` with what each is filled with."""
    return [(name, MEANINGS.get(name, "")) for name in placeholders(kind)]


def placeholders(kind: str) -> tuple[str, ...]:
    if kind in SMS_ONLY_PLACEHOLDERS:
        return SMS_ONLY_PLACEHOLDERS[kind]
    return DEFAULTS[kind][0]


def fields_in(text: str) -> list[str]:
    """The placeholders a template uses, in order; raises ``ValueError`` for broken braces."""
    return [
        field
        for _literal, field, _spec, _conv in string.Formatter().parse(text)
        if field is not None
    ]


def check(kind: str, text: str, *, field: str = "text") -> None:
    """Refuse a template with broken braces or a placeholder the kind does not have, naming it."""
    try:
        used = fields_in(text)
    except ValueError as broken:
        raise ValidationError(
            {field: _("Braces do not match: write a placeholder as {number}.")}
        ) from broken
    allowed = placeholders(kind)
    for name in used:
        if name not in allowed:
            raise ValidationError(
                {
                    field: _("“{%(name)s}” is not a placeholder of this message; use %(allowed)s.")
                    % {"name": name, "allowed": ", ".join(f"{{{a}}}" for a in allowed)}
                }
            )


def default_text(kind: str, language: str) -> str:
    with override(language):
        return str(DEFAULTS[kind][1])


def template_text(office_id: int, kind: str, language: str) -> str:
    """The office's words for ``kind`` in ``language``, else estate's."""
    from estate.messaging.models import MessageTemplate

    own = (
        MessageTemplate.objects.filter(office_id=office_id, kind=kind, language=language)
        .values_list("text", flat=True)
        .first()
    )
    return own if own is not None else default_text(kind, language)


def render(text: str, values: Mapping[str, Any], language: str) -> str:
    """Fill the placeholders; translatable values are written in ``language``; a placeholder
    without a value is left out; runs of spaces the gaps leave are closed."""
    with override(language):
        filled = {k: str(v) if v is not None else "" for k, v in values.items()}

    class Blank(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return ""

    written = string.Formatter().vformat(text, (), Blank(filled))
    return " ".join(written.split())


def sample_values(kind: str) -> dict[str, Any]:
    """Values to preview a template with."""
    samples: dict[str, Any] = {
        "number": "BSW-2612-0001",
        "subject": _("Water leak"),
        "next": _("The desk dispatches it within 10 minutes."),
        "link": "https://estate.example/portal/o/BSW-2612-0001/",
        "team": _("Maintenance team"),
        "expected": _("within 30 minutes"),
        "promised": "12-03 10:00",
        "reason": _("The part has to be ordered."),
        "resume": "",
        "work_done": _("Replaced the washer."),
        "fee": "",
        "text": _("The pipe has been fixed."),
        "period": "2026 Q4",
        "amount": "1,234.50",
        "due": "2026-12-31",
        "bill": "BSW-2026Q4-0001",
        "title": _("Lift maintenance"),
        "what": _("water"),
        "where": _("Building 3"),
        "starts": "12-05 09:00",
        "ends": "12-05 13:00",
    }
    return {name: samples.get(name, "") for name in placeholders(kind)}


CONSENT_WITHDRAWN = _("Consent to this channel was withdrawn.")


def not_a_mobile_number(phone: str) -> str:
    return str(
        _("%(phone)s is not a mainland mobile number, so no text can be sent to it.")
        % {"phone": phone}
    )


def rendered_values(values: Mapping[str, Any], language: str) -> dict[str, str]:
    """The values as written in ``language`` (for the provider's template parameters)."""
    with override(language):
        return {k: str(v) if v is not None else "" for k, v in values.items()}
