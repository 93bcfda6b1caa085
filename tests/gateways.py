"""An SMS provider stand-in for tests that run estate as real processes (the real providers are
outside this machine): every call is appended to the file named by SMS_RECORD_FILE as
``key<TAB>accepted|repeat``; like a provider with idempotency keys, a key is accepted once.
SMS_SEND_SECONDS makes each send take that long, so a test can kill a worker mid-send."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path


class RecordingGateway:
    def send(self, phone: str, text: str, *, key: str) -> str:
        time.sleep(float(os.environ.get("SMS_SEND_SECONDS", "0")))
        record = Path(os.environ["SMS_RECORD_FILE"])
        with record.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            seen = {line.split("\t")[0] for line in handle.read().splitlines()}
            handle.write(f"{key}\t{'repeat' if key in seen else 'accepted'}\n")
        return key


def calls(record: Path) -> list[tuple[str, str]]:
    """Every call the gateway received, as (key, accepted or repeat)."""
    if not record.exists():
        return []
    return [tuple(line.split("\t")) for line in record.read_text().splitlines()]  # type: ignore[misc]


class MemoryGateway:
    """An SMS provider stand-in for tests in this process: every text is kept in ``SENT``
    (read it through the ``sms_outbox`` fixture), as (number, text, key)."""

    SENT: list[tuple[str, str, str]] = []

    def send(self, phone: str, text: str, *, key: str) -> str:
        self.SENT.append((phone, text, key))
        return key
