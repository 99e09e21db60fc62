"""A real SMTP server for the newsletters' tests and benchmark (aiosmtpd, in a thread).

It speaks SMTP on a local port like any mail server; each accepted message is kept as its
raw bytes, so a test reads it with ``email`` as a mail client would. ``on_message`` lets a
test act while a message is in flight, before the server answers (stop the sender there,
or refuse the message).
"""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """The handler: keeps messages (``keep=False``: only counts them, for the benchmark)."""

    def __init__(self, keep=True, refuse=()):
        self.keep = keep
        self.refuse = {address.lower() for address in refuse}
        self.messages = []
        self.count = 0
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.on_message = None  # called with (number, envelope) before answering

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = self.count + 1
        if self.on_message is not None:
            answer = self.on_message(number, envelope)
            if answer:
                return answer
        with self.arrived:
            self.count += 1
            if self.keep:
                self.messages.append((tuple(envelope.rcpt_tos), envelope.original_content))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count, timeout=30):
        """Wait (on the arrival event, not a sleep) until ``count`` messages arrived."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: self.count >= count, timeout):
                raise TimeoutError(f"{self.count} messages arrived, not {count}")

    def parsed(self):
        """Every message as a mail client reads it (``email.message.EmailMessage``)."""
        with self.lock:
            raw = list(self.messages)
        return [
            email.message_from_bytes(content, policy=email.policy.default) for _to, content in raw
        ]


class SMTPServer:
    def __init__(self, sink=None, port=None):
        self.sink = sink or Sink()
        self.port = port or free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
