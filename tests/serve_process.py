"""A real `barenet serve` in a child process, and raw HTTP exchanges with it, for hostile tests.

    with serve_process(model_path) as server:   # server.url, server.port, server.process
        raw_exchange(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Served:
    url: str
    port: int
    process: subprocess.Popen
    stderr: str = ""  # what the server printed on stderr, once it has stopped

    def rss_peak_kib(self) -> int:
        """The child's peak resident memory so far (VmHWM of /proc/<pid>/status), in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc status")


@contextmanager
def serve_process(model: Path, *args: str) -> Iterator[Served]:
    """`barenet serve MODEL --port 0 ARGS` until the block ends (then SIGINT, and kill if needed);
    afterwards `stderr` holds what the server printed there."""
    process = subprocess.Popen([sys.executable, "-m", "barenet", "serve", str(model), "--port", "0",
                                *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = process.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"barenet serve did not start: {line}{process.stderr.read()}")
        url = line[line.index("http://"):].split()[0]
        served = Served(url, int(url.rsplit(":", 1)[1].strip("/")), process)
        yield served
    finally:
        process.send_signal(2)
        try:
            _, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
    served.stderr = err


def raw_exchange(port: int, raw: bytes, host: str = "127.0.0.1", timeout: float = 30) -> bytes:
    """Send raw bytes, read the reply until the server closes the connection (or `timeout`)."""
    chunks = []
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(raw)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def post_raw(body: bytes, host_header: str = "127.0.0.1", extra: str = "",
             length: int | None = None) -> bytes:
    """A POST /api/predict request with a JSON body (Content-Length `length`, default the body's)."""
    size = len(body) if length is None else length
    return (f"POST /api/predict HTTP/1.1\r\nHost: {host_header}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n{extra}\r\n").encode() + body


def status_of(reply: bytes) -> int | None:
    """The status code of a raw HTTP reply, or None if there is no status line."""
    first = reply.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[0].startswith(b"HTTP/") else None
