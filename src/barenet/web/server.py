"""The drawing page's HTTP server, on the standard library's `ThreadingHTTPServer`.

    GET  /                  the page (static/index.html); /static/<file> its script and style
    GET  /api/health        {"status": "ok", "class_names": [...], "model": "<file name>"}
    POST /api/predict       Content-Type: application/json, at most MAX_BODY bytes; the body and
                            the 200 answer are `barenet.web.api`'s (a drawing or 28×28 pixels in,
                            the digit, its probabilities, the input and the saliency map out)

This module is HTTP only: routes, methods, headers, body size, and turning `api.RequestError`
into its 4xx. Every failed request gets a 4xx with {"error": "<one sentence>"}: 403 another
site's Host or Origin (DNS rebinding, see `barenet.web.guard`), 404 unknown path, 405 wrong
method, 408 a body that did not arrive in time, 411 no Content-Length, 413 body over MAX_BODY,
415 not JSON, and the API's own 400 / 413 / 422. An unexpected exception is a 500 with a generic
message; its traceback goes to the server's stderr, never into a response.

Each request must arrive within REQUEST_DEADLINE seconds (a client trickling bytes loses its
connection then); the kernel queues up to BACKLOG connections waiting to be accepted, so a burst
of hundreds of requests is answered, not reset. Image decoding and preprocessing run in the
request's thread, a few at a time (`barenet.web.api`); only the network's forward and backward
passes are serialised (`barenet.digits.recognize.Recognizer` holds the lock).
"""

from __future__ import annotations

import importlib.resources
import io
import json
import socket
import sys
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from barenet.digits.recognize import Recognizer
from barenet.saving.modelfile import TrainedModel
from barenet.web.api import RequestError, health_response, predict_response
from barenet.web.guard import DeadlineSocketIO, host_allowed, origin_allowed, own_names

MAX_BODY = 2 * 1024 * 1024  # bytes: a 280×280 canvas PNG is ~10 kB, a phone photo ~2 MB
DRAIN_LIMIT = 8 * MAX_BODY  # a bigger body is refused without reading it (the client may see a reset)
READ_TIMEOUT = 15  # seconds a client may stay silent (between requests, or within one)
REQUEST_DEADLINE = 30  # seconds from the wait for a request line to its body's last byte
BACKLOG = 1024  # connections the kernel queues before accept (capped by net.core.somaxconn)
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
                 ".ico": "image/x-icon"}
# The page loads nothing from elsewhere; say so to the browser too.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def load_static() -> dict[str, tuple[bytes, str]]:
    """The page's files, read once: {"/static/app.js": (bytes, content type), "/": index.html}."""
    files: dict[str, tuple[bytes, str]] = {}
    folder = importlib.resources.files("barenet.web") / "static"
    for entry in folder.iterdir():
        suffix = Path(entry.name).suffix
        if entry.is_file() and suffix in CONTENT_TYPES:
            files[f"/static/{entry.name}"] = (entry.read_bytes(), CONTENT_TYPES[suffix])
    if "/static/index.html" in files:
        files["/"] = files["/index.html"] = files["/static/index.html"]
    return files


class Handler(BaseHTTPRequestHandler):
    """Routes of the page's server; every answer is JSON except the static files."""

    server: DigitServer
    server_version = "barenet"
    sys_version = ""
    protocol_version = "HTTP/1.1"  # keep-alive: the page sends a request every ~150 ms of drawing
    timeout = READ_TIMEOUT  # per read; REQUEST_DEADLINE bounds a whole request (see setup)
    # Headers and body leave in two writes; with Nagle's algorithm the body would wait for the
    # client's delayed ACK of the headers (~40 ms) on a keep-alive connection.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        """The connection's reading side, with a deadline per request (see `barenet.web.guard`)."""
        super().setup()
        self.rfile.close()
        self.reader = DeadlineSocketIO(self.connection, READ_TIMEOUT)
        self.rfile = io.BufferedReader(self.reader)

    def handle_one_request(self) -> None:
        """One request, read within REQUEST_DEADLINE seconds (a slow client's thread is freed)."""
        self.reader.deadline = time.monotonic() + REQUEST_DEADLINE
        try:
            super().handle_one_request()
        finally:
            self.reader.deadline = None

    def parse_request(self) -> bool:
        """The request line and headers, then: refuse another site's Host or Origin (403)."""
        if not super().parse_request():
            return False
        server = self.server
        host, origin = self.headers.get("Host"), self.headers.get("Origin")
        if not host_allowed(host, server.names):
            self.close_connection = True
            self.send_json(403, {"error": f"this server does not answer to the name {host!r}; "
                                          f"open {server.url}"})
            return False
        if not origin_allowed(origin, server.names, server.server_address[1]):
            self.close_connection = True
            self.send_json(403, {"error": f"requests from the page {origin!r} are refused; use "
                                          f"the page at {server.url}"})
            return False
        return True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a drawing page makes many requests; errors are reported by `handle_error`."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The base class's own errors (malformed request line, 501 method) as JSON, not HTML."""
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "error"
        if code == HTTPStatus.NOT_IMPLEMENTED:  # a method we do not know at all
            code, message = 405, f"method {self.command!r} is not allowed"
        self.close_connection = True
        self.send_json(code, {"error": message or phrase})

    def send_json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, allow_nan=False).encode()
        self.send_bytes(status, body, "application/json", {"Cache-Control": "no-store", **(headers or {})})

    def send_bytes(self, status: int, body: bytes, content_type: str,
                   headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def path_only(self) -> str:
        return self.path.split("?", 1)[0].split("#", 1)[0]

    def do_GET(self) -> None:
        path = self.path_only()
        if path == "/api/health":
            self.send_json(200, health_response(self.server.recognizer, self.server.model_name))
        elif path in self.server.static:
            body, content_type = self.server.static[path]
            self.send_bytes(200, body, content_type, {"Cache-Control": "no-cache"})
        elif path == "/api/predict":
            self.method_not_allowed("POST")
        else:
            self.send_json(404, {"error": f"no such page: {path}"})

    do_HEAD = do_GET

    def do_POST(self) -> None:
        path = self.path_only()
        if path != "/api/predict":
            if path == "/api/health" or path in self.server.static:
                self.method_not_allowed("GET, HEAD")
            else:
                self.close_connection = True  # the body was not read
                self.send_json(404, {"error": f"no such endpoint: {path}"})
            return
        try:
            body = self.read_body()
            answer = predict_response(self.server.recognizer, body)
        except RequestError as exc:
            self.send_json(exc.status, {"error": exc.message})
            return
        except Exception:  # a bug, not the client's fault: log it here, answer generically
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            self.send_json(500, {"error": "internal error while recognising the digit; see the "
                                          "server's log"})
            return
        self.send_json(200, answer)

    def read_body(self) -> bytes:
        """The request body, after checking its type and size (RequestError otherwise)."""
        content_type = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        length_header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or length_header is None:
            self.close_connection = True
            raise RequestError(411, "send the body with a Content-Length header (no chunked encoding)")
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise RequestError(400, f"invalid Content-Length {length_header!r}") from None
        if length > MAX_BODY:
            self.close_connection = True
            if length <= DRAIN_LIMIT:  # read and drop it, so the client gets to read our answer
                self.drain(length)
            raise RequestError(413, f"the request body is {length:,} bytes; the limit is "
                                    f"{MAX_BODY:,} bytes (a canvas PNG is about 10 kB)")
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise RequestError(408, f"the body ({length:,} bytes said Content-Length) did not "
                                    "arrive in time; send the whole body at once") from None
        if len(body) != length:
            self.close_connection = True
            raise RequestError(400, f"the body ended after {len(body)} of {length} bytes")
        if content_type != "application/json":
            raise RequestError(415, f"send JSON with 'Content-Type: application/json', not "
                                    f"{content_type or 'no content type'!r}")
        return body

    def drain(self, length: int) -> None:
        """Read and discard `length` bytes of body, in chunks."""
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                return
            length -= len(chunk)

    def method_not_allowed(self, allowed: str) -> None:
        self.close_connection = True  # any body was not read
        self.send_json(405, {"error": f"{self.command} is not allowed on {self.path_only()}; use "
                                      f"{allowed}"}, {"Allow": allowed})

    def do_PUT(self) -> None:
        self.other_method()

    do_DELETE = do_PATCH = do_OPTIONS = do_PUT

    def other_method(self) -> None:
        path = self.path_only()
        if path == "/api/predict":
            self.method_not_allowed("POST")
        elif path == "/api/health" or path in self.server.static:
            self.method_not_allowed("GET, HEAD")
        else:
            self.close_connection = True
            self.send_json(404, {"error": f"no such page: {path}"})


class DigitServer(ThreadingHTTPServer):
    """`ThreadingHTTPServer` holding the recognizer and the page; one thread per connection."""

    daemon_threads = True  # Ctrl-C does not wait for idle keep-alive connections
    allow_reuse_address = True
    request_queue_size = BACKLOG  # the default 5 dropped most of a burst of 200 connections

    def __init__(self, trained: TrainedModel, host: str = "127.0.0.1", port: int = 8000,
                 model_name: str = "model") -> None:
        self.recognizer = Recognizer(trained)
        self.model_name = model_name
        self.static = load_static()
        self.names = own_names(host)
        if ":" in host:  # an IPv6 address such as "::" or "::1"
            self.address_family = socket.AF_INET6
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        """http://host:port/ to open in a browser (the loopback address for a wildcard host)."""
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1" if self.address_family == socket.AF_INET else "::1"
        if ":" in str(host):
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is not worth a traceback; anything else is logged (not sent)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return
        print(f"barenet serve: error while answering {client_address[0]}:", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)


def make_server(trained: TrainedModel, host: str = "127.0.0.1", port: int = 8000,
                model_name: str = "model") -> DigitServer:
    """A bound (not yet serving) server; call `serve_forever()`, then `server_close()`."""
    return DigitServer(trained, host, port, model_name)
