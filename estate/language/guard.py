"""The forbidden-phrase guard: every text addressed to a requester passes ``enforce`` before it is
saved or sent (work-order replies, updates and promises, answers to opinions, notices,
questionnaires, portal messages, SMS). A hit is recorded for the staff member; the office's
policy decides whether it blocks (the default) or only warns.

The matcher for an office is built once per process and rebuilt when its lists change (one
small query per check tells).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.utils.translation import gettext

from estate.language.choices import GuardMode
from estate.language.library import in_reader_script
from estate.language.matching import PhraseMatcher
from estate.language.models import ForbiddenPhrase, GuardPolicy, Phrase, PhraseHit

_MATCHERS: OrderedDict[tuple[Any, ...], tuple[PhraseMatcher, dict[int, ForbiddenPhrase]]] = (
    OrderedDict()
)
_KEEP = 64  # offices whose matcher stays in memory


@dataclass
class Hit:
    start: int
    end: int
    written: str  # the span of the text, as written
    phrase: ForbiddenPhrase
    suggestions: list[str] = field(default_factory=list)

    @property
    def listed(self) -> str:
        return self.phrase.source or self.phrase.text


def _office_id(office: Any) -> int | None:
    return getattr(office, "pk", office)


def matcher_for(office: Any) -> tuple[PhraseMatcher, dict[int, ForbiddenPhrase]]:
    lists = ForbiddenPhrase.objects.for_office(_office_id(office))
    version = lists.aggregate(
        n=Count("id"), active=Count("id", filter=Q(is_active=True)), last=Max("updated_at")
    )
    key = (_office_id(office), version["n"], version["active"], version["last"])
    found = _MATCHERS.get(key)
    if found is None:
        phrases = {p.pk: p for p in lists.filter(is_active=True).order_by("office_id", "id")}
        found = (PhraseMatcher((pk, p.text) for pk, p in phrases.items()), phrases)
        _MATCHERS[key] = found
        while len(_MATCHERS) > _KEEP:
            _MATCHERS.popitem(last=False)
    else:
        _MATCHERS.move_to_end(key)
    return found


def suggestions(office: Any, situation: str, limit: int = 3) -> list[str]:
    return [
        in_reader_script(text)
        for text in Phrase.objects.for_office(_office_id(office))
        .filter(situation=situation, is_active=True)
        .order_by("office_id", "position", "id")
        .values_list("text", flat=True)[:limit]
    ]


def check(text: str, office: Any) -> list[Hit]:
    """The forbidden phrases in ``text``, with where they are and phrases to say instead."""
    matcher, phrases = matcher_for(office)
    hits = []
    offered: dict[str, list[str]] = {}
    for found in matcher.find(text or ""):
        phrase = phrases[found.key]
        if phrase.situation not in offered:
            offered[phrase.situation] = suggestions(office, phrase.situation)
        hits.append(
            Hit(
                start=found.start,
                end=found.end,
                written=text[found.start : found.end],
                phrase=phrase,
                suggestions=offered[phrase.situation],
            )
        )
    return hits


def mode_for(office: Any) -> str:
    office_id = _office_id(office)
    if office_id is None:
        return GuardMode.BLOCK
    policy = GuardPolicy.objects.filter(office_id=office_id).first()
    return policy.mode if policy else GuardMode.BLOCK


def explain(hit: Hit) -> str:
    text = gettext("“%(written)s” is a forbidden phrase (listed as “%(listed)s”).") % {
        "written": hit.written,
        "listed": hit.listed,
    }
    if hit.suggestions:
        text += " " + gettext("Say instead: %(phrase)s") % {"phrase": hit.suggestions[0]}
    return text


def enforce(*, office: Any, by: Any, channel: str, **texts: str) -> list[Hit]:
    """Check texts about to reach a requester, given by field name (``body=…, title=…``). Each hit
    is recorded for ``by``; in an office that blocks (the default) any hit raises one
    ValidationError naming the fields, and nothing is saved."""
    found = {name: check(text, office) for name, text in texts.items()}
    hits = [(name, hit) for name, field_hits in found.items() for hit in field_hits]
    if not hits:
        return []
    office_id = _office_id(office)
    blocked = mode_for(office_id) == GuardMode.BLOCK
    if office_id is not None:  # a company-wide text (no office) has no office to count hits in
        PhraseHit.objects.bulk_create(
            PhraseHit(
                office_id=office_id,
                staff_member=by,
                phrase=hit.phrase,
                matched=hit.written[:100],
                excerpt=texts[name][max(0, hit.start - 40) : hit.end + 40][:200],
                channel=channel,
                blocked=blocked,
            )
            for name, hit in hits
        )
    if blocked:
        errors: dict[str, list[ValidationError]] = {}
        for name, hit in hits:
            errors.setdefault(name, []).append(
                ValidationError(explain(hit), code="forbidden_phrase")
            )
        raise ValidationError(errors)
    return [hit for _name, hit in hits]
