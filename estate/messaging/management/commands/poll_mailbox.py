"""Read the desk's mailbox (IMAP_*): each unseen message is taken like one posted to the email
webhook, then marked seen. Run it every minute or two (cron, a systemd timer)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from imap_tools import AND, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted

from estate.messaging.inbound_email import BadEmail, NoOffice, take_email

log = logging.getLogger("estate.mailbox")


def mailbox() -> BaseMailBox:
    host, port = settings.IMAP_HOST, settings.IMAP_PORT
    if settings.IMAP_SECURITY == "ssl":
        return MailBox(host, port, timeout=30)
    if settings.IMAP_SECURITY == "starttls":
        return MailBoxStartTls(host, port, timeout=30)
    return MailBoxUnencrypted(host, port, timeout=30)


def mark_seen(box: BaseMailBox, uid: str) -> None:
    # A STORE of its own: imap_tools' flag() also expunges, which would remove for good what a
    # person marked deleted in their own mail program.
    box.client.uid("STORE", uid, "+FLAGS", "(\\Seen)")


class Command(BaseCommand):
    help = "Take each unseen message of the mailbox (IMAP_HOST …) as a reply, and mark it seen."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200, help="At most this many a run.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.IMAP_HOST:
            raise CommandError("IMAP_HOST is not set: there is no mailbox to poll.")
        counts = {"taken": 0, "repeated": 0, "refused": 0, "left": 0}
        with mailbox().login(
            settings.IMAP_USER, settings.IMAP_PASSWORD, initial_folder=settings.IMAP_FOLDER
        ) as box:
            unseen = box.fetch(AND(seen=False), mark_seen=False, limit=options["limit"])
            for message in unseen:
                try:
                    taken = take_email(raw=message.obj.as_bytes())
                except BadEmail as bad:
                    log.warning("Mailbox message %s refused: %s", message.uid, bad)
                    counts["refused"] += 1
                except NoOffice as lost:
                    # Left unseen: taken once the office is set (INBOUND_EMAIL_OFFICE).
                    log.error("Mailbox message %s left unseen: %s", message.uid, lost)
                    counts["left"] += 1
                    continue
                else:
                    counts["taken" if taken.taken else "repeated"] += 1
                if message.uid:
                    mark_seen(box, message.uid)
        self.stdout.write(
            "taken {taken}, repeated {repeated}, refused {refused}, left unseen {left}".format(
                **counts
            )
        )
