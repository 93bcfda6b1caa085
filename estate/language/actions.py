"""The only code that writes the phrase lists and the guard policy of an office."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from estate.language.choices import GuardMode, Situation
from estate.language.matching import PhraseMatcher, squeeze
from estate.language.models import ForbiddenPhrase, GuardPolicy, Phrase
from estate.properties.models import Office

MIN_FORBIDDEN_CHARS = 2


def add_phrase(*, office: Office, situation: str, text: str) -> Phrase:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the phrase.")})
    if situation not in Situation.values:
        raise ValidationError({"situation": _("Choose a situation.")})
    last = Phrase.objects.filter(office=office, situation=situation).order_by("-position").first()
    return Phrase.objects.create(
        office=office,
        situation=situation,
        text=text[:200],
        position=(last.position + 1) if last else 100,
    )


def retire_phrase(phrase: Phrase) -> None:
    """An office's own phrase leaves its library (the company's standard ones stay)."""
    if phrase.office_id is None:
        raise ValidationError(_("The company's standard phrases are changed by administrators."))
    Phrase.objects.filter(pk=phrase.pk).update(is_active=False)


def add_forbidden_phrase(
    *, office: Office, text: str, situation: str, source: str = ""
) -> ForbiddenPhrase:
    """An office's own forbidden phrase. Refused when it is empty, too short to mean anything (it
    would match nearly every text), or when it would block one of the recommended phrases."""
    text = text.strip()
    if situation not in Situation.values:
        raise ValidationError({"situation": _("Choose a situation.")})
    if len(squeeze(text)) < MIN_FORBIDDEN_CHARS:
        raise ValidationError(
            {
                "text": _(
                    "A forbidden phrase needs at least %(count)d letters or characters; "
                    "shorter ones would match almost everything."
                )
                % {"count": MIN_FORBIDDEN_CHARS}
            }
        )
    alone = PhraseMatcher([(0, text)])
    for phrase in Phrase.objects.for_office(office).filter(is_active=True):
        if alone.find(phrase.text):
            raise ValidationError(
                {
                    "text": _("This would block the recommended phrase “%(phrase)s”.")
                    % {"phrase": phrase.text}
                }
            )
    return ForbiddenPhrase.objects.create(
        office=office, text=text[:100], situation=situation, source=source.strip()[:200]
    )


def retire_forbidden_phrase(phrase: ForbiddenPhrase) -> None:
    if phrase.office_id is None:
        raise ValidationError(_("The company's standard list is changed by administrators."))
    phrase.is_active = False
    phrase.save(update_fields=["is_active", "updated_at"])


def set_mode(*, office: Office, mode: str, by: Any = None) -> GuardPolicy:
    if mode not in GuardMode.values:
        raise ValidationError({"mode": _("Choose block or warn.")})
    policy, _created = GuardPolicy.objects.update_or_create(office=office, defaults={"mode": mode})
    return policy
