"""Every page a demo login reaches, in Traditional Chinese, shows no English words: the menu's
pages and the pages they link to (orders, residents, visits, bills …), walked as a person would.
Django's own strings count too: what it shows untranslated is ours to translate.

Text is what a person reads: the page's words and the placeholder, title and aria-label of its
elements; not scripts, styles, addresses or codes (numbers, units, usernames).
"""

from __future__ import annotations

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse

from estate.accounts.models import User
from estate.core.navigation import NAVIGATION

LOGINS = (
    "reception", "head", "repair_lead", "worker", "cashier", "leader", "campus_desk", "resident",
)  # fmt: skip
PAGES_PER_LOGIN = 60
# Words that are the same in Chinese pages: names of things, units and formats.
ALLOWED = {
    "estate", "pdf", "csv", "xlsx", "api", "sms", "openapi", "id", "ok", "wechat", "email",
    "http", "https", "www", "html", "json", "min", "kwh", "no",
    "english",  # the language switcher names each language in itself
    "alt",  # the key, in "Alt+P"
}  # fmt: skip
SKIP = ("/admin/", "/accounts/logout", "/api/", "/static/", "/media/", "/i18n/", "/portal/sign-out")
DOWNLOADS = (".pdf", ".csv", ".xlsx", "/export", "/download", "/print")
PLACEHOLDER = re.compile(r"\{\w+\}")
ENGLISH = re.compile(r"[A-Za-z][a-z]{2,}(?:[ -][A-Za-z][a-z]+)*")


class _Reader(HTMLParser):
    """The words a person reads on a page, and the links it offers."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        given = dict(attrs)
        for name in ("placeholder", "title", "aria-label"):
            if given.get(name):
                self.words.append(given[name] or "")
        if tag == "a" and given.get("href"):
            self.links.append(given["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.append(data)


def english_in(text: str, usernames: set[str]) -> list[str]:
    found = []
    text = PLACEHOLDER.sub(" ", text)  # a message template's {amount} is syntax, not words
    for match in ENGLISH.finditer(text):
        words = [w.lower() for w in re.split(r"[ -]", match.group())]
        if all(w in ALLOWED or w in usernames for w in words):
            continue
        found.append(match.group())
    return found


def _walkable(href: str) -> str | None:
    url, _fragment = urldefrag(href)
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return None
    if parsed.path.startswith(SKIP) or parsed.path.endswith(DOWNLOADS):
        return None
    if any(part in parsed.path for part in DOWNLOADS):
        return None
    return url


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_every_page_a_login_reaches_speaks_chinese(client, demo):
    usernames = {
        part
        for name in User.objects.values_list("username", flat=True)
        for part in name.lower().split("_")
    }
    problems: dict[str, list[str]] = {}
    visited = 0
    for username in LOGINS:
        user = User.objects.get(username=username)
        user.language = "zh-hant"
        user.save(update_fields=["language"])
        client.force_login(user)
        client.cookies["django_language"] = "zh-hant"
        if username == "resident":
            queue = deque([reverse("portal:home")])
        else:
            queue = deque(reverse(item.url_name) for item in NAVIGATION)
        seen: set[str] = set()
        while queue and len(seen) < PAGES_PER_LOGIN:
            url = queue.popleft()
            # One page of each kind: /orders/12/ stands for every order.
            shape = re.sub(r"\d+", "N", urlparse(url).path)
            if shape in seen:
                continue
            seen.add(shape)
            answer = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hant")
            if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
                continue
            visited += 1
            reader = _Reader()
            reader.feed(answer.content.decode())
            found = english_in(" ".join(reader.words), usernames)
            if found:
                problems[urlparse(url).path] = sorted(set(found))[:8]
            queue.extend(link for link in map(_walkable, reader.links) if link)
    print(f"pages read in zh-Hant: {visited}")
    assert visited > 60
    assert problems == {}, "\n".join(f"{path}: {words}" for path, words in problems.items())
