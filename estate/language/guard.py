"""The forbidden-phrase guard: every text addressed to a requester passes ``enforce`` before it is
saved or sent (work-order replies, updates and promises, answers to opinions, notices,
questionnaires, portal messages, SMS). A hit is recorded for the staff member; the office's
policy decides whether it blocks (the default) or only warns.

A message of several fields (a notice's title and body, a handout's parts) is also checked as
one text, the fields joined by a line break, so a phrase that runs on from the end of one field
into the start of the next is caught too and reported against the fields it spans
(``check_fields``). How phrases are matched, disguises caught and civil sentences across a
clause break let through: ``matching``.

The matcher for an office is built once per process and rebuilt when its lists change (one
small query per check tells).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
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
FIELD_BREAK = "\n"  # between fields checked as one text: a clause break


@dataclass
class Hit:
    start: int
    end: int
    written: str  # the span of the text, as written
    phrase: ForbiddenPhrase
    suggestions: list[str] = field(default_factory=list)
    # The fields it is in (``check_fields``); more than one when it runs on from one into the
    # next, and then start and end are positions in the fields joined by FIELD_BREAK.
    fields: tuple[str, ...] = ()

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


def check(text: str, office: Any, *, offered: dict[str, list[str]] | None = None) -> list[Hit]:
    """The forbidden phrases in ``text``, with where they are and phrases to say instead."""
    matcher, phrases = matcher_for(office)
    hits = []
    offered = {} if offered is None else offered
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


def check_fields(texts: Mapping[str, str], office: Any) -> list[Hit]:
    """The forbidden phrases in the fields of one message (given in reading order: title, then
    body), each hit naming its field; and those that run on from one field into the next, found
    in the fields joined by a line break, naming every field they touch. A phrase split this way
    is read like one split by a clause break: 「…請您不用急」 + 「什麼時候方便…」 passes."""
    offered: dict[str, list[str]] = {}
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []  # the per-field hits, as spans of the joined text
    bounds: list[tuple[str, int, int]] = []  # each field's span in the joined text
    at = 0
    for name, text in texts.items():
        for hit in check(text or "", office, offered=offered):
            hit.fields = (name,)
            hits.append(hit)
            taken.append((at + hit.start, at + hit.end))
        if text:
            bounds.append((name, at, at + len(text)))
            at += len(text) + len(FIELD_BREAK)
    if len(bounds) < 2:
        return hits
    for hit in check(joined_fields(texts), office, offered=offered):
        fields = tuple(name for name, start, end in bounds if hit.start < end and hit.end > start)
        if len(fields) < 2 or any(hit.start < end and hit.end > start for start, end in taken):
            continue  # inside one field (found there already), or overlapping what was
        hit.fields = fields
        hit.written = hit.written.replace(FIELD_BREAK, " / ")
        hits.append(hit)
    return hits


def joined_fields(texts: Mapping[str, str]) -> str:
    """The fields as one text (the empty ones left out), as ``check_fields`` reads them."""
    return FIELD_BREAK.join(text for text in texts.values() if text)


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
    if len(hit.fields) > 1:
        text += " " + gettext("It runs on from one field into the next.")
    if hit.suggestions:
        text += " " + gettext("Say instead: %(phrase)s") % {"phrase": hit.suggestions[0]}
    return text


def enforce(*, office: Any, by: Any, channel: str, **texts: str) -> list[Hit]:
    """Check texts about to reach a requester, given by field name in reading order (``title=…,
    body=…``), each alone and together (``check_fields``). Each hit is recorded for ``by``; in an
    office that blocks (the default) any hit raises one ValidationError naming the fields (a
    phrase split between two fields names both), and nothing is saved."""
    hits = check_fields(texts, office)
    if not hits:
        return []
    office_id = _office_id(office)
    blocked = mode_for(office_id) == GuardMode.BLOCK
    if office_id is not None:  # a company-wide text (no office) has no office to count hits in
        joined = joined_fields(texts)
        PhraseHit.objects.bulk_create(
            PhraseHit(
                office_id=office_id,
                staff_member=by,
                phrase=hit.phrase,
                matched=hit.written[:100],
                excerpt=(texts[hit.fields[0]] if len(hit.fields) == 1 else joined)[
                    max(0, hit.start - 40) : hit.end + 40
                ][:200],
                channel=channel,
                blocked=blocked,
            )
            for hit in hits
        )
    if blocked:
        errors: dict[str, list[ValidationError]] = {}
        for hit in hits:
            for name in hit.fields:
                errors.setdefault(name, []).append(
                    ValidationError(explain(hit), code="forbidden_phrase")
                )
        raise ValidationError(errors)
    return hits
