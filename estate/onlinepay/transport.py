"""HTTP to the providers, with a short timeout; anything but an answer is ``ProviderError``."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

log = logging.getLogger("estate.onlinepay")

TIMEOUT_SECONDS = 10
LARGEST_ANSWER = 20 * 1024 * 1024  # a day's bill file of a large office fits


class ProviderError(Exception):
    """The provider could not be reached, refused, or answered something unverifiable."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def call(method: str, url: str, *, body: bytes | None, headers: dict[str, str]) -> Answer:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return Answer(
                response.status, dict(response.headers.items()), response.read(LARGEST_ANSWER)
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers.items()), error.read(1024 * 1024))
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        log.warning("payment provider %s unreachable: %s", method, type(error).__name__)
        raise ProviderError("unreachable") from None
