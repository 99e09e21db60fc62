"""A TCP "black hole": a server that accepts connections and never answers.

A hung service (a Redis stuck in a long command or swapped out, a broker behind a half-dead
load balancer) is not refused: the connection opens and then nothing comes back. Only
timeouts help there, so the fault tests start one of these in place of the cache or the
broker. ``with BlackHole() as hole:`` listens on a free local port (``hole.url("redis")``);
leaving the block closes it and every connection it accepted.
"""

import socket
import threading


class BlackHole:
    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.port = None
        self.accepted = 0
        self._listener = None
        self._held = []
        self._lock = threading.Lock()
        self._thread = None

    def start(self):
        self._listener = socket.create_server((self.host, 0), backlog=128)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name="black-hole", daemon=True)
        self._thread.start()
        return self

    def _accept(self):
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed by stop()
                return
            with self._lock:
                # Kept open and never read from or written to: the client waits for an answer.
                self._held.append(connection)
                self.accepted += 1

    def url(self, scheme="redis", path="/0"):
        return f"{scheme}://{self.host}:{self.port}{path}"

    def stop(self):
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() in the thread
        except OSError:
            pass
        self._listener.close()
        self._thread.join(timeout=5)
        with self._lock:
            for connection in self._held:
                connection.close()
            self._held.clear()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
