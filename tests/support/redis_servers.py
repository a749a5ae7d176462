"""Redis that is down in the other way: a server that accepts connections and never answers."""

import socket
import threading


class SilentRedis:
    """A server on 127.0.0.1 that accepts connections and never answers; stops with the test."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.accepted, self.running = [], True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                self.accepted.append(self.server.accept()[0])
            except TimeoutError:
                continue

    def stop(self):
        self.running = False
        self.thread.join(timeout=2)
        for connection in self.accepted:
            connection.close()
        self.server.close()
