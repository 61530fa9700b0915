"""A TCP proxy that adds a fixed delay to every request, to measure a database as if it were far away.

Each chunk the client sends is held ``delay_s`` before it is forwarded; answers come back at once. A
query is one request, so every round trip costs ``delay_s`` more (as the S3 benchmark's HTTP proxy
does for object stores). Used by ``tables_1000`` on PostgreSQL and MariaDB.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import sqlalchemy as sa


class LatencyProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to ``host:port`` with ``delay_s`` per request.

    Args:
        host: Upstream host.
        port: Upstream port.
        delay_s: Seconds added to every client-to-server chunk.
    """

    def __init__(self, host: str, port: int, delay_s: float) -> None:
        self.upstream = (host, port)
        self.delay_s = delay_s
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        """``url`` pointed at the proxy instead of the server."""
        return sa.make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, self.delay_s), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, 0.0), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, delay: float) -> None:
        try:
            while data := src.recv(1 << 16):
                if delay:
                    time.sleep(delay)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        """Stop listening and close every forwarded connection."""
        self._stopped = True
        self._server.close()
        with self._lock:
            for s in self._sockets:
                with contextlib.suppress(OSError):
                    s.close()

    def __enter__(self) -> LatencyProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
