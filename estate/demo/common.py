"""Shared by all parts of the demo: its fixed anchors and the helper that writes what is missing."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models

SEED = 2026
COMPANY_NAME = "安居物業管理有限公司"
# The demo resident's flat; docs and tests quote it, so the plan always fills it.
ANCHOR_ADDRESS = "3-1202"
RESIDENT_USERNAME = "resident"


def create_missing(
    queryset: models.QuerySet, objects: Sequence[models.Model], key: Sequence[str]
) -> int:
    """bulk_create those ``objects`` whose natural ``key`` is not in ``queryset`` yet.

    One query finds what exists, so a second run reads much and writes nothing.
    """
    existing = set(queryset.values_list(*key))
    missing = [o for o in objects if tuple(getattr(o, field) for field in key) not in existing]
    queryset.model.objects.bulk_create(missing, batch_size=500)
    return len(missing)
