"""Named locks held for the rest of a transaction, so several processes can do one job in turn.

On PostgreSQL this is a transaction-level advisory lock (released at commit or rollback, also
when the holder's connection dies); on SQLite every writing transaction is already exclusive
(``IMMEDIATE`` mode), so there is nothing more to take.
"""

from __future__ import annotations

import hashlib

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
