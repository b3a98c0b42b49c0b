"""Which requests the drawing server accepts: its own Host names and Origin, within a deadline.

DNS rebinding: a page on another site (http://evil.example) can make its own name resolve to
127.0.0.1, and the browser then lets it read the answers of a server on this computer, as if the
server were part of that site. The browser still sends `Host: evil.example`, so the server
answers only requests whose Host is one of its own names:

    an IP address literal (127.0.0.1, [::1], 192.168.1.5): a browser that sends one connected to
        that address itself, so no DNS name was rebound;
    localhost, and the --host given when it is a name;
    with a wildcard --host (0.0.0.0, ::), also this computer's host name.

A request carrying an `Origin` (browsers send one with every POST from a page) must come from a
page of this server, with one of those names and this server's port; "null" (a sandboxed frame,
a file:// page) is refused too. Clients that are not browsers (curl, scripts) send no Origin.

Slow clients: every read of a request, from its first line to the last byte of its body, must
finish before the request's deadline (`DeadlineSocketIO`); a client sending a byte every few
seconds releases its thread when the deadline passes, not never.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urlsplit

WILDCARDS = ("0.0.0.0", "::", "")


def own_names(host: str) -> frozenset[str]:
    """The host names (not IP literals) this server answers to when it listens on `host`."""
    names = {"localhost", host.strip("[]").lower()}
    if host in WILDCARDS:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names - {""})


def split_host(value: str) -> tuple[str, str | None]:
    """'Name:8000' -> ('name', '8000'); '[::1]:8000' -> ('::1', '8000'); no port -> None."""
    value = value.strip().lower()
    if value.startswith("["):
        address, _, rest = value[1:].partition("]")
        return address, rest[1:] if rest.startswith(":") else None
    name, colon, port = value.rpartition(":")
    return (name, port) if colon and ":" not in name else (value, None)


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(header: str | None, names: frozenset[str]) -> bool:
    """Whether a Host header names this server (a request without one is not a browser's)."""
    if header is None:
        return True
    name, _ = split_host(header)
    return is_ip_literal(name) or name in names


def origin_allowed(origin: str | None, names: frozenset[str], port: int) -> bool:
    """Whether an Origin header is absent or one of this server's own pages."""
    if origin is None:
        return True
    try:
        parts = urlsplit(origin.strip())
        origin_port = parts.port or 80
    except ValueError:
        return False
    name = (parts.hostname or "").lower()
    return (parts.scheme == "http" and origin_port == port
            and (is_ip_literal(name) or name in names))


class DeadlineSocketIO(socket.SocketIO):
    """A socket's reading side whose reads together end by `deadline` (time.monotonic() seconds).

    Each read waits at most `min(idle, deadline − now)`; past the deadline it raises TimeoutError,
    as a read that timed out does. `deadline = None` leaves only the per-read `idle` timeout.
    """

    def __init__(self, sock: socket.socket, idle: float) -> None:
        super().__init__(sock, "rb")
        sock._io_refs += 1  # as socket.makefile does: the socket closes when its files have
        self.idle = idle
        self.deadline: float | None = None

    def readinto(self, buffer) -> int | None:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not arrive before its deadline")
            self._sock.settimeout(min(self.idle, left))
        return super().readinto(buffer)
