"""A real moto S3 server over HTTP for tests, and a fault-injecting proxy to put in front of it.

Import the fixtures into a test module (``from tests.s3_server import s3_endpoint, s3_client``); the
server listens on 127.0.0.1 on a free port and lives for the test session. Tests use unique bucket
names, so they share one server safely.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

import boto3
import botocore.config
import pytest
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
CREDS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_moto() -> tuple[ThreadedMotoServer, str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def make_client(endpoint: str, **config: Any) -> Any:
    """A boto3 S3 client for ``endpoint`` with path-style addressing and test credentials."""
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION,
        config=botocore.config.Config(s3={"addressing_style": "path"}, **config), **CREDS,
    )


def unique_bucket(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@contextmanager
def moto_process(start_timeout_s: float = 60) -> Iterator[str]:
    """A moto S3 server in a child process, yielding its URL.

    A child process, not a thread: moto's request handling would otherwise compete for this process's GIL
    (and be counted in its memory) while the readers it serves are measured.
    """
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def s3_endpoint_subprocess() -> Iterator[str]:
    """A moto S3 server in a child process, for tests that measure this process's own memory."""
    with moto_process(start_timeout_s=30) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """URL of a moto S3 server running on 127.0.0.1 for the whole session."""
    server, url = start_moto()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def s3_client(s3_endpoint: str) -> Any:
    """A boto3 client for the moto server (test credentials, path style)."""
    return make_client(s3_endpoint)


class FaultProxy:
    """A tiny HTTP proxy in front of an S3 endpoint that injects failures.

    Args:
        upstream: The real endpoint URL.
        latency_s: Delay added to every forwarded request (simulates a distant store).

    Attributes:
        url: The proxy's own URL, to give to the code under test.
        seen: ``(method, path, range header)`` of every request received.
    """

    def __init__(self, upstream: str, latency_s: float = 0.0) -> None:
        self.upstream = urlparse(upstream)
        self.latency_s = latency_s
        self.seen: list[tuple[str, str, str | None]] = []
        self._slowdowns: list[tuple[str, int]] = []
        self._denied: set[str] = set()
        self._failures: dict[str, tuple[int, str]] = {}
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                proxy._forward(self)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def slow_down(self, path_contains: str, times: int) -> None:
        """Answer the next ``times`` requests whose path contains the text with 503 SlowDown."""
        with self._lock:
            self._slowdowns.append((path_contains, times))

    def deny(self, path_contains: str) -> None:
        """Answer every request whose path contains the text with 403 AccessDenied."""
        self._denied.add(path_contains)

    def fail(self, path_contains: str, status: int, code: str) -> None:
        """Answer every request whose path contains the text with ``status`` and S3 error ``code``."""
        self._failures[path_contains] = (status, code)

    def _fault(self, path: str) -> tuple[int, str] | None:
        with self._lock:
            for needle, answer in self._failures.items():
                if needle in path:
                    return answer
            if any(d in path for d in self._denied):
                return 403, "AccessDenied"
            for i, (needle, left) in enumerate(self._slowdowns):
                if needle in path and left > 0:
                    self._slowdowns[i] = (needle, left - 1)
                    return 503, "SlowDown"
        return None

    def _forward(self, h: BaseHTTPRequestHandler) -> None:
        self.seen.append((h.command, h.path, h.headers.get("Range")))
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        fault = self._fault(h.path)
        if fault is not None:
            status, code = fault
            payload = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
                       f"<Message>{code}</Message><RequestId>proxy</RequestId></Error>").encode()
            h.send_response(status)
            h.send_header("Content-Type", "application/xml")
            h.send_header("Content-Length", "0" if h.command == "HEAD" else str(len(payload)))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(payload)
            return
        if self.latency_s:
            time.sleep(self.latency_s)
        conn = http.client.HTTPConnection(self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=60)
        try:
            headers = {k: v for k, v in h.headers.items() if k.lower() not in ("connection", "keep-alive")}
            conn.request(h.command, h.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            h.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length", "keep-alive",
                                     "server", "date"):
                    h.send_header(k, v)
            content_length = resp.getheader("Content-Length") if h.command == "HEAD" else str(len(data))
            h.send_header("Content-Length", content_length or "0")
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(data)
        finally:
            conn.close()
