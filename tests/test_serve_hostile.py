"""A real `barenet serve` on 127.0.0.1 under hostile clients: bursts, malformed and slow requests,
big images, other sites' pages. Every failure is a JSON 4xx; the model file is never touched."""

from __future__ import annotations

import base64
import io
import json
import select
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from serve_process import post_raw, raw_exchange, serve_process, status_of
from web_fixtures import web_model

PIXELS = json.dumps({"pixels": [[0.0] * 12 + [1.0] * 4 + [0.0] * 12] * 28}).encode()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path, _ = web_model(tmp_path_factory)
    before = path.read_bytes()
    with serve_process(path) as server:
        yield server
    assert path.read_bytes() == before
    assert "Traceback" not in server.stderr, server.stderr


def answer(reply: bytes) -> dict:
    """The JSON body of a raw reply."""
    return json.loads(reply.split(b"\r\n\r\n", 1)[1])


def test_a_burst_of_200_concurrent_predictions_gets_200_answers(served):
    def predict(_):
        return status_of(raw_exchange(served.port, post_raw(PIXELS), timeout=120))

    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(predict, range(200)))
    assert statuses.count(200) == 200, statuses


@pytest.mark.parametrize("name, body, status, words", [
    ("nested array", b"[" * 100_000 + b"]" * 100_000, 400, "nested too deeply"),
    ("nested in pixels", b'{"pixels": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400,
     "nested too deeply"),
    ("integers 10^400", ('{"pixels": [' + ",".join(["[" + ",".join(["1" + "0" * 400] * 28) + "]"] * 28)
                         + "]}").encode(), 422, "integer too large for a float"),
    ("5000 digits", ('{"pixels": [[' + "9" * 5000 + "]]}").encode(), 400, "not valid JSON"),
])
def test_malformed_bodies_are_4xx_not_500(served, name, body, status, words):
    reply = raw_exchange(served.port, post_raw(body))
    assert status_of(reply) == status and words in answer(reply)["error"]


@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:8000", "127.0.0.1.nip.io"])
def test_another_sites_host_name_is_refused(served, host):
    """DNS rebinding: the browser of a page whose name now resolves to 127.0.0.1 sends its Host."""
    for request in (f"GET /api/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode(),
                    post_raw(PIXELS, host_header=host)):
        reply = raw_exchange(served.port, request)
        assert status_of(reply) == 403 and "does not answer to the name" in answer(reply)["error"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST:{port}", "127.0.0.1:{port}",
                                  "[::1]:{port}"])
def test_own_names_are_answered(served, host):
    header = host.format(port=served.port)
    reply = raw_exchange(served.port, post_raw(PIXELS, host_header=header,
                                               extra=f"Origin: http://{header}\r\n"
                                               if "{port}" in host else ""))
    assert status_of(reply) == 200 and answer(reply)["digit"] is not None


@pytest.mark.parametrize("origin", ["http://evil.example.com", "null", "http://127.0.0.1:1",
                                    "https://127.0.0.1:{port}", "http://evil.example.com:{port}"])
def test_another_sites_origin_is_refused(served, origin):
    reply = raw_exchange(served.port, post_raw(
        PIXELS, extra=f"Origin: {origin.format(port=served.port)}\r\n"))
    assert status_of(reply) == 403 and "are refused" in answer(reply)["error"]


def test_the_page_may_not_be_framed(served):
    reply = raw_exchange(served.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    headers = reply.split(b"\r\n\r\n", 1)[0].decode().lower()
    assert status_of(reply) == 200
    assert "frame-ancestors 'none'" in headers and "x-frame-options: deny" in headers


def big_png_data_url(side: int = 4096, palette: bool = False) -> bytes:
    """A side×side PNG (a dark bar on white, compressing to ~75 kB) as a request body: RGBA, or
    a palette image whose white is transparent."""
    rgba = np.full((side, side, 4), 255, np.uint8)
    rgba[side // 4 : 3 * side // 4, side * 7 // 16 : side * 9 // 16, :3] = 0
    buffer = io.BytesIO()
    if palette:
        Image.fromarray(rgba[..., 0]).convert("P").save(buffer, "PNG", transparency=255)
    else:
        Image.fromarray(rgba, "RGBA").save(buffer, "PNG")
    return json.dumps({"image": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
                       }).encode()


@pytest.mark.slow
def test_several_4096_pngs_at_once_stay_under_1_gb(served):
    """Before: one 4096×4096 RGBA PNG cost ~520 MB, four at once 2.1 GB of resident memory (four
    palette PNGs with transparency 1.2 GB)."""
    bodies = [big_png_data_url(), big_png_data_url(palette=True)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda i: status_of(raw_exchange(served.port, post_raw(bodies[i % 2]),
                                                                  timeout=300)), range(6)))
    assert statuses == [200] * 6
    assert served.rss_peak_kib() < 1024 * 1024, f"peak {served.rss_peak_kib() // 1024} MB"


@pytest.mark.slow
def test_a_body_shorter_than_its_content_length_is_408(served):
    started = time.monotonic()
    reply = raw_exchange(served.port, post_raw(b'{"pixels"', length=100), timeout=60)
    assert status_of(reply) == 408 and "did not arrive in time" in answer(reply)["error"]
    assert time.monotonic() - started < 40


@pytest.mark.slow
def test_a_client_trickling_its_headers_is_cut_off_at_the_deadline(served):
    """One header byte every 2 s (each read within the 15 s timeout): the 30 s deadline ends it."""
    from barenet.web.server import REQUEST_DEADLINE

    request = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 100
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        closed = False
        for byte in request:
            try:
                sock.send(bytes([byte]))
            except OSError:  # reset by the server
                closed = True
                break
            if select.select([sock], [], [], 2)[0]:  # readable: the server ended the connection
                closed = sock.recv(65536) == b"" or True
                break
    elapsed = time.monotonic() - started
    assert closed and REQUEST_DEADLINE - 1 < elapsed < REQUEST_DEADLINE + 10, elapsed
    # the server still answers everyone else
    assert status_of(raw_exchange(served.port, post_raw(PIXELS))) == 200
