"""SMS provider stand-ins for tests (the real providers are outside this machine; the provider
adapters are tested against local servers that answer as the providers do).

``RecordingGateway`` is for tests that run estate as real processes: every call is appended to
the file named by SMS_RECORD_FILE as ``key<TAB>accepted|repeat``; like a provider with
idempotency keys, a key is accepted once. SMS_SEND_SECONDS makes each send take that long, so a
test can kill a worker mid-send."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from estate.messaging.sms import Sms


class RecordingGateway:
    needs_templates = False

    def send(self, sms: Sms) -> str:
        time.sleep(float(os.environ.get("SMS_SEND_SECONDS", "0")))
        record = Path(os.environ["SMS_RECORD_FILE"])
        with record.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            seen = {line.split("\t")[0] for line in handle.read().splitlines()}
            handle.write(f"{sms.key}\t{'repeat' if sms.key in seen else 'accepted'}\n")
        return sms.key

    def registered_parameters(self, sign_name: str, template_code: str) -> list[str]:
        raise LookupError(template_code)


def calls(record: Path) -> list[tuple[str, str]]:
    """Every call the gateway received, as (key, accepted or repeat)."""
    if not record.exists():
        return []
    return [tuple(line.split("\t")) for line in record.read_text().splitlines()]  # type: ignore[misc]


class MemoryGateway:
    """An SMS provider stand-in for tests in this process: every text is kept in ``SENT``
    (read it through the ``sms_outbox`` fixture), as (number, text, key)."""

    needs_templates = False
    SENT: list[tuple[str, str, str]] = []

    def send(self, sms: Sms) -> str:
        self.SENT.append((sms.phone, sms.text, sms.key))
        return sms.key

    def registered_parameters(self, sign_name: str, template_code: str) -> list[str]:
        raise LookupError(template_code)
