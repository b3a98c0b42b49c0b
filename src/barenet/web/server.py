"""A small JSON server for the drawing page, on the standard library's `ThreadingHTTPServer`.

    GET  /                  the page (static/index.html); /static/<file> its script and style
    GET  /api/health        {"status": "ok", "class_names": [...], "model": "<file name>"}
    POST /api/predict       Content-Type: application/json, at most MAX_BODY bytes, one of
                              {"image": "data:image/png;base64,..."}   a drawing (any Pillow image)
                              {"pixels": [[28 floats] × 28]}            a digit already MNIST-style:
                                                                       white ink on black, in [0, 1]
                            200 {"digit": "7", "probabilities": [K floats, class order, sum 1],
                                 "class_names": [...], "input": 28×28 (what the network sees),
                                 "saliency": 28×28 in [0, 1] (see barenet.web.recognize),
                                 "notes": [...]}
                            200 {"digit": null, "message": "draw a digit", "notes": []}
                                for a blank canvas (nothing drawn yet is not an error)

Every other request gets a 4xx with {"error": "<one sentence>"}: 400 bad JSON or fields,
404 unknown path, 405 wrong method, 411 no Content-Length, 413 body over MAX_BODY (or an image
over MAX_IMAGE_PIXELS), 415 not JSON, 422 pixels of the wrong size or range, a file that is not an
image, a drawing too small to read. An unexpected exception is a 500 with a generic message; its
traceback goes to the server's stderr, never into a response.

Image decoding and preprocessing run in the request's thread; only the network's forward and
backward passes are serialised (`Recognizer` holds the lock).
"""

from __future__ import annotations

import base64
import binascii
import importlib.resources
import io
import json
import socket
import sys
import traceback
import warnings
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np

from barenet.errors import ImageError
from barenet.modelfile import TrainedModel
from barenet.web.recognize import SIDE, Recognizer

MAX_BODY = 2 * 1024 * 1024  # bytes: a 280×280 canvas PNG is ~10 kB, a phone photo ~2 MB
DRAIN_LIMIT = 8 * MAX_BODY  # a bigger body is refused without reading it (the client may see a reset)
MAX_IMAGE_PIXELS = 4096 * 4096  # larger images are refused before decoding (memory, time)
BLANK_CONTRAST = 0.1  # a drawing whose brightness spans less than this is an empty canvas
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
                 ".ico": "image/x-icon"}
# The page loads nothing from elsewhere; say so to the browser too.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class RequestError(Exception):
    """A client's mistake: the HTTP status and a one-sentence message for the JSON answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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


# ---- request bodies -> a 28×28 digit ----------------------------------------------------------


def decode_data_url(url: Any) -> bytes:
    """The bytes of a base64 `data:` URL ("data:image/png;base64,...")."""
    if not isinstance(url, str):
        raise RequestError(400, "'image' must be a string: a data URL such as "
                                "data:image/png;base64,...")
    head, comma, payload = url.partition(",")
    if not comma or not head.startswith("data:") or not head.endswith(";base64"):
        raise RequestError(400, "'image' must be a base64 data URL (data:image/png;base64,...), "
                                f"got one starting {url[:30]!r}")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise RequestError(400, "'image' holds invalid base64 after 'base64,'") from None


def image_digit(data: bytes) -> tuple[np.ndarray | None, list[str]]:
    """A drawing's file bytes -> (pixels (28, 28) in [0, 1], notes), or (None, []) if blank."""
    from PIL import Image, UnidentifiedImageError

    from barenet.images import load_image
    from barenet.images.normalise import mnist_style_with_notes

    if not data:
        raise RequestError(422, "the image is empty (0 bytes): send the canvas as a PNG")
    try:  # reads only the header: refuse a huge image before decoding it
        with warnings.catch_warnings():  # as `barenet.images.read` does
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RequestError(413, "the image is too large to decode safely (it may be a "
                                "decompression bomb): send a smaller one") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise RequestError(422, "the data is not an image Pillow can read: send the canvas as "
                                "a PNG (canvas.toDataURL('image/png'))") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise RequestError(413, f"the image is {width}×{height} pixels, more than this server "
                                f"decodes ({MAX_IMAGE_PIXELS:,} pixels): send a smaller one")
    try:
        loaded = load_image(data)
        if float(np.ptp(loaded.gray)) < BLANK_CONTRAST and min(loaded.gray.shape) >= 8:
            return None, []  # an untouched canvas: nothing to recognise yet
        pixels, notes = mnist_style_with_notes(loaded.gray, source_name="the drawing")
    except ImageError as exc:
        raise RequestError(422, str(exc)) from None
    return pixels, [*loaded.notes, *notes]


def pixels_digit(value: Any) -> np.ndarray | None:
    """A 28×28 nested list of floats in [0, 1] -> (28, 28) float32, or None if all zero."""
    if not isinstance(value, list):
        raise RequestError(400, f"'pixels' must be a list of {SIDE} rows of {SIDE} numbers")
    if len(value) != SIDE or not all(isinstance(row, list) and len(row) == SIDE for row in value):
        lengths = sorted({len(row) for row in value if isinstance(row, list)})
        raise RequestError(422, f"'pixels' must be {SIDE} rows of {SIDE} numbers, got "
                                f"{len(value)} rows of lengths {lengths}")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for row in value for v in row):
        raise RequestError(422, "'pixels' must hold numbers only")
    pixels = np.asarray(value, dtype=np.float64)  # (28, 28)
    if not np.isfinite(pixels).all() or pixels.min() < 0.0 or pixels.max() > 1.0:
        raise RequestError(422, "'pixels' must be finite numbers in [0, 1] (white ink = 1 on black "
                                f"= 0), got values from {pixels.min():g} to {pixels.max():g}")
    if not pixels.any():
        return None
    return pixels.astype(np.float32)


def parse_request(body: bytes) -> tuple[np.ndarray | None, list[str]]:
    """The JSON body of POST /api/predict -> (pixels (28, 28) or None if blank, notes)."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(400, f"the body is not valid JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise RequestError(400, "the body must be a JSON object with 'image' or 'pixels'")
    if ("image" in payload) == ("pixels" in payload):
        raise RequestError(400, "send exactly one of 'image' (a data URL of the canvas) and "
                                "'pixels' (28 rows of 28 numbers in [0, 1])")
    if "pixels" in payload:
        return pixels_digit(payload["pixels"]), []
    return image_digit(decode_data_url(payload["image"]))


def grid(values: np.ndarray) -> list[list[float]]:
    """(28, 28) floats -> nested lists rounded to 4 decimals (small JSON, exact enough to draw)."""
    return np.round(np.asarray(values, dtype=np.float64), 4).tolist()


def predict_response(recognizer: Recognizer, body: bytes) -> dict[str, Any]:
    """The JSON answer to POST /api/predict (RequestError for a client's mistake)."""
    pixels, notes = parse_request(body)
    if pixels is None:
        return {"digit": None, "message": "draw a digit", "notes": notes,
                "class_names": recognizer.class_names}
    result = recognizer.recognize(pixels)
    return {
        "digit": result.label,
        "probabilities": result.probabilities.tolist(),
        "class_names": recognizer.class_names,
        "input": grid(pixels),
        "saliency": grid(result.saliency),
        "saliency_of": "the winning class's score (logit), |gradient| per pixel, max = 1",
        "notes": notes,
    }


# ---- HTTP --------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Routes of the page's server; every answer is JSON except the static files."""

    server: DigitServer
    server_version = "barenet"
    sys_version = ""
    protocol_version = "HTTP/1.1"  # keep-alive: the page sends a request every ~150 ms of drawing
    timeout = 15  # seconds a client may take to send its request; slow clients release the thread
    # Headers and body leave in two writes; with Nagle's algorithm the body would wait for the
    # client's delayed ACK of the headers (~40 ms) on a keep-alive connection.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return self.server_version

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
            self.send_json(200, {"status": "ok", "model": self.server.model_name,
                                 "class_names": self.server.recognizer.class_names})
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
        body = self.rfile.read(length)
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

    def __init__(self, trained: TrainedModel, host: str = "127.0.0.1", port: int = 8000,
                 model_name: str = "model") -> None:
        self.recognizer = Recognizer(trained)
        self.model_name = model_name
        self.static = load_static()
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
