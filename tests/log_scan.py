"""Personal data stays out of logs: every log record of the whole test session, and the logs of
every process the suite starts (web, worker, scheduler), are scanned for mainland mobile numbers
and, in the SMS log, for sign-in codes. A find fails the session and names the test, the logger
and the line. (``test_log_scan.py`` checks that the scan does find what it looks for.)"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?!\d)")
CODE = re.compile(r"(?<![\d*])\d{6}(?![\d*])")


def personal_data_in(logger: str, text: str) -> list[str]:
    """What in one log line a log must not keep."""
    found = MOBILE.findall(text)
    if logger.startswith("estate.sms"):
        found += CODE.findall(text)
    return found


@dataclass
class Scan:
    test: str = ""
    finds: list[str] = field(default_factory=list)
    process_logs: list[Path] = field(default_factory=list)

    def note(self, where: str, logger: str, line: str) -> None:
        if personal_data_in(logger, line):
            self.finds.append(f"{where} [{logger}] {line[:300]}")


SCAN = Scan()


class _Collector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return
        SCAN.note(SCAN.test, record.name, line)


_LOGGER_IN_LINE = re.compile(r"^\S+ \S+ (?:DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+) ")


def scan_process_log(path: Path) -> None:
    """Called by the process fixtures for each log file they leave (tests/processes.py)."""
    SCAN.process_logs.append(path)


def pytest_configure(config: pytest.Config) -> None:
    logging.getLogger().addHandler(_Collector())


def pytest_runtest_setup(item: pytest.Item) -> None:
    SCAN.test = item.nodeid


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for path in SCAN.process_logs:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            logger = _LOGGER_IN_LINE.match(line)
            SCAN.note(str(path.name), logger.group(1) if logger else "", line)
    if SCAN.finds:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "personal data in logs", red=True)
            for find in SCAN.finds[:50]:
                reporter.write_line(find)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
