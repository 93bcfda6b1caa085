"""Named locks, so several processes can do one job in turn: held for the rest of a transaction
(``hold``), or tried and held for a block (``attempt``).

On PostgreSQL these are advisory locks (released at the end, also when the holder's connection
dies); on SQLite every writing transaction is already exclusive (``IMMEDIATE`` mode), so there
is nothing more to take.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


def _key(name: str) -> int:
    """A stable signed 64-bit number for the name (advisory locks are keyed by bigint)."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


def hold(name: str) -> None:
    """Wait for the lock called ``name`` and keep it until the current transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold() needs a transaction: the lock ends with it")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key(name)])


@contextmanager
def attempt(name: str) -> Iterator[bool]:
    """Try the lock called ``name`` without waiting, and hold it while the block runs, across
    the block's own transactions (a long job committing in batches); yields whether it was had.

    On PostgreSQL a session-level advisory lock, released at the end of the block (or when the
    holder's connection dies). SQLite has no such lock: it yields True, and a job that must not
    run twice there also relies on its unique constraints.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = _key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (taken,) = cursor.fetchone()
    try:
        yield taken
    finally:
        if taken:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
