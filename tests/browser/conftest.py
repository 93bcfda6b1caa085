"""Browser tests: Playwright driving Debian's chromium against the live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API keeps an event loop running in this thread; the ORM calls that
# build test data then look "async" to Django although nothing runs concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is needed at /usr/bin/chromium (make test installs it as root)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-TW", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(context):
    """Every page of every browser test runs under the app's Content-Security-Policy: a script,
    style or handler it did not ship is refused, and fails the test that met it."""
    refused: list[str] = []
    context.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert refused == []
