"""A TCP proxy in front of a database server that can play a server restart.

``restart(down_s)`` closes every connection through the proxy (clients see the server go away mid-query)
and, for ``down_s`` seconds, accepts new connections only to close them at once (clients see a server
that is not up yet); then it forwards again. The real server is never touched, so tests that share it
are not disturbed.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType


class RestartingProxy:
    """Forwards ``127.0.0.1:<port>`` to ``target``; see the module docs.

    Args:
        host: The server's host.
        port: The server's port.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        self._live: list[socket.socket] = []
        self._down_until = 0.0
        self._stop = False
        self.refused = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> RestartingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self._stop = True
        self._listener.close()
        self._close_all()

    def restart(self, down_s: float) -> None:
        """Drop every live connection and refuse new ones for ``down_s`` seconds (returns at once)."""
        with self._lock:
            self._down_until = time.monotonic() + down_s
        self._close_all()

    def _close_all(self) -> None:
        with self._lock:
            live, self._live = self._live, []
        for sock in live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if time.monotonic() < self._down_until:
                self.refused += 1
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._live += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_RDWR)
