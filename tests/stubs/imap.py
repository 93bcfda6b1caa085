"""A stand-in for an IMAP4rev1 mailbox on 127.0.0.1 (a port of its own, no TLS): one folder of
messages, with just the commands the mailbox poller sends (CAPABILITY, LOGIN, SELECT, UID
SEARCH UNSEEN/ALL, UID FETCH, UID STORE, EXPUNGE, LOGOUT). Every command is kept in
``commands``; the messages and their flags in ``messages``."""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field

import pytest


@dataclass
class Stored:
    raw: bytes
    flags: set[str] = field(default_factory=set)


@dataclass
class ImapStub:
    user: str = "desk@bsw.example.cn"
    password: str = "mail-secret"
    messages: dict[int, Stored] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)
    server: socketserver.ThreadingTCPServer | None = None

    def deliver(self, raw: bytes, *, seen: bool = False) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = Stored(raw, {"\\Seen"} if seen else set())
        return uid

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.server_address[1])

    def start(self) -> ImapStub:
        stub = self

        class Handler(socketserver.StreamRequestHandler):
            def send(self, text: str | bytes) -> None:
                self.wfile.write(text.encode() if isinstance(text, str) else text)

            def handle(self) -> None:
                self.send("* OK [CAPABILITY IMAP4rev1] stub ready\r\n")
                authenticated = False
                while line := self.rfile.readline():
                    words = line.decode().rstrip("\r\n").split(" ")
                    tag, command, args = words[0], words[1].upper(), words[2:]
                    stub.commands.append(
                        " ".join([command, *args]) if command != "LOGIN" else command
                    )
                    if command == "CAPABILITY":
                        self.send(f"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n")
                    elif command == "LOGIN":
                        given = [a.strip('"') for a in args]
                        authenticated = given == [stub.user, stub.password]
                        self.send(
                            f"{tag} OK logged in\r\n" if authenticated else f"{tag} NO wrong\r\n"
                        )
                    elif command == "LOGOUT":
                        self.send(f"* BYE bye\r\n{tag} OK done\r\n")
                        return
                    elif not authenticated:
                        self.send(f"{tag} BAD log in first\r\n")
                    elif command == "SELECT":
                        self.send(
                            f"* {len(stub.messages)} EXISTS\r\n* 0 RECENT\r\n"
                            "* FLAGS (\\Seen \\Deleted)\r\n"
                            f"{tag} OK [READ-WRITE] selected\r\n"
                        )
                    elif command == "EXPUNGE":
                        self.send(f"{tag} OK expunged\r\n")
                    elif command == "UID":
                        self.uid(tag, args[0].upper(), args[1:])
                    else:
                        self.send(f"{tag} BAD unknown\r\n")

            def uid(self, tag: str, sub: str, args: list[str]) -> None:
                if sub == "SEARCH":
                    unseen = "UNSEEN" in (a.strip("()").upper() for a in args)
                    found = [
                        str(uid)
                        for uid, stored in sorted(stub.messages.items())
                        if not unseen or "\\Seen" not in stored.flags
                    ]
                    self.send(f"* SEARCH {' '.join(found)}\r\n{tag} OK done\r\n")
                elif sub == "FETCH":
                    uid = int(args[0])
                    stored = stub.messages.get(uid)
                    if stored is not None:
                        if "PEEK" not in " ".join(args).upper():
                            stored.flags.add("\\Seen")
                        flags = " ".join(sorted(stored.flags))
                        head = (
                            f"* {uid} FETCH (UID {uid} FLAGS ({flags}) "
                            f"RFC822.SIZE {len(stored.raw)} BODY[] {{{len(stored.raw)}}}\r\n"
                        )
                        self.send(head.encode() + stored.raw + b")\r\n")
                    self.send(f"{tag} OK done\r\n")
                elif sub == "STORE":
                    uid, how, flags = int(args[0]), args[1].upper(), " ".join(args[2:])
                    named = set(re.findall(r"\\?\w+", flags))
                    stored = stub.messages[uid]
                    stored.flags = (
                        stored.flags | named if how.startswith("+") else stored.flags - named
                    )
                    shown = " ".join(sorted(stored.flags))
                    self.send(f"* {uid} FETCH (UID {uid} FLAGS ({shown}))\r\n{tag} OK done\r\n")
                else:
                    self.send(f"{tag} BAD unknown\r\n")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def imap_stub(settings):
    """The mailbox, serving; ``manage.py poll_mailbox`` reads it."""
    stub = ImapStub().start()
    settings.IMAP_HOST = "127.0.0.1"
    settings.IMAP_PORT = stub.port
    settings.IMAP_SECURITY = "none"
    settings.IMAP_USER = stub.user
    settings.IMAP_PASSWORD = stub.password
    settings.IMAP_FOLDER = "INBOX"
    yield stub
    stub.stop()
