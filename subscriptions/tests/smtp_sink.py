"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it accepts, for tests and the
benchmark. It can refuse chosen recipients, and hold one message unanswered so a test can
kill the sender while the server has not yet accepted it."""

import asyncio
import socket
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    def __init__(self, keep_content=True):
        self.keep_content = keep_content
        self.lock = threading.Lock()
        self.accepted = []  # (recipients, raw bytes or None)
        self.count = 0
        self.last_accepted_at = None
        self.refuse = {}  # address -> "550 ..." / "450 ..."
        self.hold_after = None  # accept this many, then hold the next one
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold_after is not None and self.count >= self.hold_after:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 Not accepted, try again later"
        with self.lock:
            self.count += 1
            self.last_accepted_at = time.monotonic()
            if self.keep_content:
                self.accepted.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def messages(self):
        with self.lock:
            return [
                message_from_bytes(content, policy=default_policy) for _, content in self.accepted
            ]

    def recipients(self):
        with self.lock:
            return [address for tos, _ in self.accepted for address in tos]


class SmtpSink:
    """with SmtpSink() as sink: ... sink.port, sink.recorder"""

    def __init__(self, port=None, keep_content=True):
        self.port = port or free_port()
        self.recorder = Recorder(keep_content=keep_content)
        self.controller = Controller(
            self.recorder, hostname="127.0.0.1", port=self.port, data_size_limit=10_000_000
        )

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.recorder.release.set()
        self.controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def mailer_settings(self):
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }
