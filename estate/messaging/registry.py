"""The SMS template registry (短信模板登記): an office's registered template for a kind of
message, checked against the provider's own copy when it is saved, so a text never fails on
the day it is sent because a parameter was misnamed here or added there."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estate.messaging.models import SmsTemplate
from estate.messaging.sms import DeliveryFailed, sms_gateway
from estate.messaging.texts import placeholders

log = logging.getLogger("estate.sms")


def _braced(names: Sequence[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)


def check_sms_template(
    *, kind: str, sign_name: str, template_code: str, parameters: Sequence[str]
) -> bool:
    """Refuse parameters that are not the kind's placeholders, or that do not match the
    template the provider holds, naming the parameter (``ValidationError``). True when the
    provider was asked; False for a gateway that knows no templates (the console)."""
    allowed = placeholders(kind)
    for name in parameters:
        if name not in allowed:
            raise ValidationError(
                {
                    "parameters": _(
                        "“{%(name)s}” is not a placeholder of this message; use %(allowed)s."
                    )
                    % {"name": name, "allowed": _braced(allowed)}
                }
            )
    repeated = [name for index, name in enumerate(parameters) if name in parameters[:index]]
    if repeated:
        raise ValidationError(
            {"parameters": _("“%(name)s” is listed twice.") % {"name": repeated[0]}}
        )
    gateway = sms_gateway()
    try:
        registered = gateway.registered_parameters(sign_name, template_code)
    except LookupError:
        return False
    except DeliveryFailed as refused:
        raise ValidationError({"template_code": str(refused)}) from refused
    if getattr(gateway, "positional_parameters", False):
        _compare_positions(template_code, list(parameters), registered)
    else:
        _compare_names(template_code, list(parameters), registered)
    return True


def _compare_names(template_code: str, parameters: list[str], registered: list[str]) -> None:
    for name in parameters:
        if name not in registered:
            raise ValidationError(
                {
                    "parameters": _(
                        "Template %(code)s at the provider has no variable ${%(name)s}: take "
                        "“%(name)s” out, or add it to the template in the provider's console "
                        "(its variables: %(registered)s)."
                    )
                    % {
                        "code": template_code,
                        "name": name,
                        "registered": ", ".join(f"${{{n}}}" for n in registered) or "—",
                    }
                }
            )
    for name in registered:
        if name not in parameters:
            raise ValidationError(
                {
                    "parameters": _(
                        "Template %(code)s at the provider has the variable ${%(name)s}, which "
                        "estate would leave empty: add “%(name)s” to the parameters."
                    )
                    % {"code": template_code, "name": name}
                }
            )


def _compare_positions(template_code: str, parameters: list[str], registered: list[str]) -> None:
    if len(parameters) > len(registered):
        raise ValidationError(
            {
                "parameters": _(
                    "Template %(code)s at the provider has %(count)s parameters, so “%(name)s” "
                    "has no place in it: take it out, or add {%(position)s} to the template."
                )
                % {
                    "code": template_code,
                    "count": len(registered),
                    "name": parameters[len(registered)],
                    "position": len(registered) + 1,
                }
            }
        )
    if len(parameters) < len(registered):
        raise ValidationError(
            {
                "parameters": _(
                    "Template %(code)s at the provider has the parameter {%(position)s}, which "
                    "estate would leave empty: add the placeholder for it, in the template's order."
                )
                % {"code": template_code, "position": len(parameters) + 1}
            }
        )


@transaction.atomic
def register_sms_template(
    *,
    office: Any,
    kind: str,
    sign_name: str,
    template_code: str,
    parameters: Sequence[str],
    by: Any,
    template: SmsTemplate | None = None,
    checked: bool | None = None,
) -> SmsTemplate:
    """Register (or change) the office's SMS template for ``kind``, checked with the provider
    first (``checked``: the caller checked it a moment ago, as the form's ``clean`` does).
    ``template``: the row being changed, when it may change kind."""
    if checked is None:
        checked = check_sms_template(
            kind=kind, sign_name=sign_name, template_code=template_code, parameters=parameters
        )
    fields = {
        "kind": kind,
        "sign_name": sign_name,
        "template_code": template_code,
        "parameters": list(parameters),
        "checked_at": timezone.now() if checked else None,
    }
    if template is not None and template.pk:
        SmsTemplate.objects.filter(pk=template.pk).update(office=office, **fields)
        saved = SmsTemplate.objects.get(pk=template.pk)
    else:
        saved, _created = SmsTemplate.objects.update_or_create(
            office=office, kind=kind, defaults=fields
        )
    # Not the template code: its digits read like a sign-in code to a log scanner.
    log.info(
        "SMS template for %s of office %s registered by user %s (checked: %s)",
        kind,
        getattr(office, "pk", office),
        getattr(by, "pk", None),
        checked,
    )
    return saved
