"""The drawing page's JSON server: good requests, every class of bad request, a burst of
concurrent requests, the saliency map against an independent gradient, and `barenet serve`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from barenet.digits.recognize import Recognizer
from barenet.nn import Dense, ReLU, Sequential
from barenet.saving.modelfile import TrainedModel
from barenet.web import api
from barenet.web.server import MAX_BODY
from photo_digits import load_mnist
from web_fixtures import digit_canvas, png_data_url, post_json, request, serving, web_model


@pytest.fixture(scope="session")
def trained(tmp_path_factory) -> TrainedModel:
    return web_model(tmp_path_factory)[1]


@pytest.fixture(scope="module")
def base(trained):
    with serving(trained) as url:
        yield url


@pytest.fixture(scope="module")
def digits():
    """The first 20 MNIST test digits (20, 28, 28) in [0, 1] and their labels."""
    return load_mnist("t10k", 20)


# ---- good requests ---------------------------------------------------------------------------


def test_health_and_page(base):
    status, headers, answer = request(base + "api/health")
    assert status == 200 and answer["status"] == "ok"
    assert answer["class_names"] == [str(d) for d in range(10)]
    status, headers, page = request(base)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'<canvas id="pad"' in page
    for name, kind in [("app.js", "text/javascript"), ("style.css", "text/css")]:
        status, headers, body = request(base + "static/" + name)
        assert status == 200 and headers["Content-Type"].startswith(kind) and body
    status, headers, body = request(base + "static/app.js", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_the_page_loads_nothing_from_the_network(base):
    for path in ["", "static/app.js", "static/style.css"]:
        text = request(base + path)[2].decode()
        assert "http://" not in text and "https://" not in text and "//cdn" not in text


def test_mnist_digits_as_pixels(base, trained, digits):
    images, labels = digits
    expected = trained.predict_proba(images)  # (20, 10)
    right = 0
    for image, label, proba in zip(images, labels, expected, strict=True):
        status, answer = post_json(base, {"pixels": image.tolist()})
        assert status == 200, answer
        assert answer["digit"] == str(np.argmax(proba))  # exactly the model's own answer
        right += answer["digit"] == str(label)
        assert len(answer["probabilities"]) == 10
        assert sum(answer["probabilities"]) == pytest.approx(1.0, abs=1e-9)
        np.testing.assert_allclose(answer["probabilities"], proba, rtol=1e-5, atol=1e-7)
        # what the network sees is the digit itself, as sent
        np.testing.assert_allclose(answer["input"], image, atol=1e-4)
        saliency = np.asarray(answer["saliency"])
        assert saliency.shape == (28, 28) and saliency.min() >= 0 and saliency.max() == pytest.approx(1.0)
        assert answer["notes"] == []
    assert right >= 19  # test digit 8 is a 5 that small models often read as a 6


@pytest.mark.parametrize("dark_ink", [False, True], ids=["white-on-black", "black-on-white"])
def test_mnist_digits_as_png_data_urls(base, digits, dark_ink):
    images, labels = digits
    right, likeness = 0, []
    for image, label in zip(images[:10], labels[:10], strict=True):
        url = png_data_url(digit_canvas(image, 280, dark_ink=dark_ink))
        status, answer = post_json(base, {"image": url})
        assert status == 200, answer
        right += answer["digit"] == str(label)
        seen = np.asarray(answer["input"])
        assert seen.shape == (28, 28) and 0 <= seen.min() and seen.max() <= 1
        likeness.append(np.corrcoef(seen.ravel(), image.ravel())[0, 1])
    # the pipeline gives back (nearly) the MNIST digit the drawing was made from (up to a pixel's
    # shift in its centring)
    assert min(likeness) > 0.75 and np.mean(likeness) > 0.9
    assert right >= 9  # as many as the model reads right from the original digits (see above)


@pytest.mark.parametrize("payload", [
    {"image": png_data_url(np.zeros((280, 280)))},
    {"image": png_data_url(np.ones((280, 280)))},
    {"pixels": np.zeros((28, 28)).tolist()},
], ids=["black-canvas", "white-canvas", "zero-pixels"])
def test_blank_canvas_is_not_an_error(base, payload):
    status, answer = post_json(base, payload)
    assert status == 200
    assert answer["digit"] is None and answer["message"] == "draw a digit"


def test_the_api_answers_without_http(trained, digits):
    """web.api turns a request body into the answer; the server adds only HTTP around it."""
    images, _ = digits
    recognizer = Recognizer(trained)
    answer = api.predict_response(recognizer, json.dumps({"pixels": images[0].tolist()}).encode())
    assert answer["digit"] == str(np.argmax(trained.predict_proba(images[:1])[0]))
    with pytest.raises(api.RequestError) as caught:
        api.predict_response(recognizer, b'{"pixels": [[0.5]]}')
    assert caught.value.status == 422 and "28 rows of 28 numbers" in caught.value.message


# ---- bad requests ----------------------------------------------------------------------------

JSON = {"Content-Type": "application/json"}
BAD_REQUESTS = {
    "bad-json": ("POST", "api/predict", JSON, b"{not json", 400),
    "not-utf8": ("POST", "api/predict", JSON, b"\xff\xfe\x00", 400),
    "json-list": ("POST", "api/predict", JSON, b"[1, 2]", 400),
    "no-field": ("POST", "api/predict", JSON, b"{}", 400),
    "both-fields": ("POST", "api/predict", JSON, b'{"image": "", "pixels": []}', 400),
    "image-not-string": ("POST", "api/predict", JSON, b'{"image": 7}', 400),
    "image-not-data-url": ("POST", "api/predict", JSON, b'{"image": "http://x/y.png"}', 400),
    "bad-base64": ("POST", "api/predict", JSON, b'{"image": "data:image/png;base64,@@@"}', 400),
    "empty-image": ("POST", "api/predict", JSON, b'{"image": "data:image/png;base64,"}', 422),
    "not-an-image": ("POST", "api/predict", JSON,
                     b'{"image": "data:image/png;base64,aGVsbG8gd29ybGQ="}', 422),
    "truncated-png": ("POST", "api/predict", JSON, json.dumps(
        {"image": png_data_url(np.eye(280))[:198]}).encode(), 422),
    "tiny-image": ("POST", "api/predict", JSON, json.dumps(
        {"image": png_data_url(np.eye(5))}).encode(), 422),
    "a-dot": ("POST", "api/predict", JSON, json.dumps(
        {"image": png_data_url(np.pad(np.ones((2, 2)), 139))}).encode(), 422),
    "pixels-not-list": ("POST", "api/predict", JSON, b'{"pixels": "abc"}', 400),
    "pixels-27-rows": ("POST", "api/predict", JSON,
                       json.dumps({"pixels": np.zeros((27, 28)).tolist()}).encode(), 422),
    "pixels-29-columns": ("POST", "api/predict", JSON,
                          json.dumps({"pixels": np.zeros((28, 29)).tolist()}).encode(), 422),
    "pixels-flat": ("POST", "api/predict", JSON,
                    json.dumps({"pixels": np.zeros(784).tolist()}).encode(), 422),
    "pixels-strings": ("POST", "api/predict", JSON,
                       json.dumps({"pixels": [["0"] * 28] * 28}).encode(), 422),
    "pixels-out-of-range": ("POST", "api/predict", JSON,
                            json.dumps({"pixels": np.full((28, 28), 255.0).tolist()}).encode(), 422),
    "pixels-nan": ("POST", "api/predict", JSON,
                   ('{"pixels": [' + ",".join(["[" + ",".join(["NaN"] * 28) + "]"] * 28) + "]}").encode(),
                   422),
    "wrong-content-type": ("POST", "api/predict", {"Content-Type": "text/plain"}, b"{}", 415),
    "no-content-type": ("POST", "api/predict", {}, b"{}", 415),
    "form": ("POST", "api/predict", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=1", 415),
    "unknown-path": ("GET", "api/nothing", {}, None, 404),
    "unknown-file": ("GET", "static/secret.py", {}, None, 404),
    "path-traversal": ("GET", "static/../server.py", {}, None, 404),
    "post-unknown-path": ("POST", "api/other", JSON, b"{}", 404),
    "get-predict": ("GET", "api/predict", {}, None, 405),
    "put-predict": ("PUT", "api/predict", JSON, b"{}", 405),
    "delete-predict": ("DELETE", "api/predict", {}, None, 405),
    "post-health": ("POST", "api/health", JSON, b"{}", 405),
    "post-page": ("POST", "", JSON, b"{}", 405),
    "made-up-method": ("BREW", "api/predict", {}, None, 405),
}


@pytest.mark.parametrize("method, path, headers, body, expected", BAD_REQUESTS.values(),
                         ids=BAD_REQUESTS.keys())
def test_bad_requests_get_a_4xx_and_a_json_message(base, method, path, headers, body, expected):
    status, response_headers, answer = request(base + path, method, body, headers)
    assert status == expected, answer
    assert response_headers["Content-Type"] == "application/json"
    assert isinstance(answer, dict) and isinstance(answer["error"], str) and answer["error"]
    assert "Traceback" not in answer["error"]
    if status == 405:
        assert "Allow" in response_headers or method == "BREW"
    # the server keeps serving
    assert request(base + "api/health")[0] == 200


def test_request_size_cap(base):
    big = b'{"image": "data:image/png;base64,' + b"A" * MAX_BODY + b'"}'
    status, _, answer = request(base + "api/predict", "POST", big, JSON)
    assert status == 413 and "limit" in answer["error"]
    # just under the cap is read (and refused for what it is, not for its size)
    status, _, answer = request(base + "api/predict", "POST", b" " * (MAX_BODY - 2) + b"{}", JSON)
    assert status == 400


def exchange(base: str, raw: bytes) -> str:
    """Send raw bytes to the server, read its reply until it closes the connection."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def test_missing_content_length(base):
    reply = exchange(base, b"POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                           b"2\r\n{}\r\n0\r\n\r\n")
    assert reply.startswith("HTTP/1.1 411") and '"error"' in reply


def test_a_huge_image_is_refused_before_decoding(base):
    """A PNG header claiming 20000×20000 pixels (a decompression bomb) is refused, not decoded."""
    status, answer = post_json(base, {"image": "data:image/png;base64," + bomb_png_base64()})
    assert status == 413 and "too large" in answer["error"]
    status, answer = post_json(base, {"image": "data:image/png;base64," + bomb_png_base64(5000)})
    assert status == 413 and "5000×5000" in answer["error"]


def bomb_png_base64(side: int = 20000) -> str:
    """A tiny PNG whose header claims side×side 1-bit pixels, base64-encoded."""
    import base64
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b""))
           + chunk(b"IEND", b""))
    return base64.b64encode(png).decode()


def test_malformed_request_line_is_json_too(base):
    for raw, status in [(b"THIS IS NOT HTTP\r\n\r\n", None),  # answered HTTP/0.9-style: no status line
                        (b"POST /api/predict HTTP/1.1\r\nContent-Length: ten\r\n\r\n", "400")]:
        reply = exchange(base, raw)
        assert '{"error": ' in reply and "<html" not in reply.lower()
        if status:
            assert reply.startswith(f"HTTP/1.1 {status}")


# ---- concurrency -----------------------------------------------------------------------------


def test_a_burst_of_concurrent_requests(base, trained, digits):
    images, _ = digits
    predicted = trained.predict_proba(images).argmax(axis=1)  # (20,) the model's own answers
    payloads = [{"pixels": images[i % 20].tolist()} if i % 2 else
                {"image": png_data_url(digit_canvas(images[i % 20]))} for i in range(50)]
    one_by_one = [post_json(base, p) for p in payloads]
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda p: post_json(base, p), payloads))
    for i, ((status, answer), (_, alone)) in enumerate(zip(answers, one_by_one, strict=True)):
        assert status == 200, answer
        assert answer["digit"] == str(predicted[i % 20])
        # the same as the request alone: no state leaked between threads
        np.testing.assert_allclose(answer["probabilities"], alone["probabilities"], rtol=1e-9)
        assert answer["saliency"] == alone["saliency"] and answer["input"] == alone["input"]


# ---- saliency against an independent gradient ------------------------------------------------


def linear_model(normalization=None) -> TrainedModel:
    """A network with no hidden layer, 784 -> 10, random weights: scores s = x·W + b."""
    dense = Dense(784, 10, rng=np.random.default_rng(1))
    dense.W[...] = np.random.default_rng(2).normal(0, 0.1, size=dense.W.shape)
    return TrainedModel(model=Sequential([dense], output_activation="softmax"),
                        normalization=normalization, class_names=[str(d) for d in range(10)])


@pytest.mark.parametrize("normalization", [
    None,
    {"kind": "global", "mean": 0.13, "std": 0.31},
    {"kind": "per-pixel", "mean": [0.1] * 784, "std": np.linspace(0.05, 1.0, 784).tolist()},
], ids=["none", "global", "per-pixel"])
def test_saliency_of_a_linear_model_is_the_winners_weight_column(digits, normalization):
    """s_c = Σ_i W_ic·(pixel_i − mean_i)/std_i + b_c, so ∂s_c/∂pixel_i = W_ic / std_i."""
    trained = linear_model(normalization)
    W = trained.model.layers[0].W.astype(np.float64)  # (784, 10)
    std = np.asarray((normalization or {}).get("std", 1.0), dtype=np.float64)
    recognizer = Recognizer(trained)
    for image in digits[0][:5]:
        result = recognizer.recognize(image)
        c = result.winner
        assert c == int(np.argmax(trained.predict_proba(image[None])[0]))
        expected = np.abs(W[:, c] / std)
        expected /= expected.max()
        np.testing.assert_allclose(result.saliency, expected.reshape(28, 28), atol=1e-6)


def test_saliency_through_the_api_for_a_linear_model(digits):
    trained = linear_model()
    W = trained.model.layers[0].W.astype(np.float64)
    with serving(trained) as url:
        status, answer = post_json(url, {"pixels": digits[0][0].tolist()})
    assert status == 200
    c = int(answer["digit"])
    expected = np.abs(W[:, c]) / np.abs(W[:, c]).max()
    np.testing.assert_allclose(answer["saliency"], expected.reshape(28, 28), atol=1e-4)


def test_saliency_of_a_one_hidden_layer_model_by_hand(digits):
    """s = relu(x·W₁ + b₁)·W₂ + b₂, so ∂s_c/∂x = W₁·(1[h > 0] ⊙ W₂[:, c]), written out in NumPy."""
    rng = np.random.default_rng(3)
    first, second = Dense(784, 32, rng=rng), Dense(32, 10, rng=rng)
    second.b[...] = rng.normal(0, 0.1, size=10)
    trained = TrainedModel(model=Sequential([first, ReLU(), second], output_activation="softmax"),
                           class_names=[str(d) for d in range(10)])
    x = digits[0][3].reshape(784).astype(np.float64)
    W1, b1 = first.W.astype(np.float64), first.b.astype(np.float64)
    W2, b2 = second.W.astype(np.float64), second.b.astype(np.float64)
    h = x @ W1 + b1
    scores = np.maximum(h, 0) @ W2 + b2
    c = int(np.argmax(scores))
    gradient = W1 @ ((h > 0) * W2[:, c])  # (784,)
    result = Recognizer(trained).recognize(digits[0][3])
    assert result.winner == c
    np.testing.assert_allclose(result.saliency.ravel(), np.abs(gradient) / np.abs(gradient).max(),
                               atol=1e-5)


def test_a_model_for_other_inputs_is_refused():
    from barenet.errors import ModelFileError

    trained = TrainedModel(model=Sequential([Dense(10, 2, rng=0)]), class_names=["a", "b"])
    with pytest.raises(ModelFileError, match="reads 10 inputs, but a digit image gives 28×28"):
        Recognizer(trained)


# ---- barenet serve ---------------------------------------------------------------------------


def start_serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "barenet", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_prints_the_url_and_stops_cleanly_on_ctrl_c(tmp_path_factory, stop_signal):
    path, _ = web_model(tmp_path_factory)
    process = start_serve(str(path), "--port", "0")
    try:
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line, line + process.stderr.read()
        url = line[line.index("http://"):].split()[0]
        status, _, answer = request(url + "api/health")
        assert status == 200 and answer["model"] == path.name
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Traceback" not in err and "Traceback" not in out
    assert "stopped" in out


def test_serve_with_a_bad_model_is_one_line(tmp_path):
    bad = tmp_path / "model.safetensors"
    bad.write_bytes(b"not a model at all")
    for model in [bad, tmp_path / "missing.safetensors"]:
        process = start_serve(str(model), "--port", "0")
        _, err = process.communicate(timeout=30)
        assert process.returncode == 1
        assert err.count("\n") == 1 and err.startswith("barenet: error: ") and str(model) in err


def test_serve_on_a_busy_port_is_one_line(tmp_path_factory, trained):
    path, _ = web_model(tmp_path_factory)
    with serving(trained) as url:
        port = url.rsplit(":", 1)[1].strip("/")
        process = start_serve(str(path), "--port", port)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert err.startswith("barenet: error: cannot listen on 127.0.0.1:" + port) and err.count("\n") == 1


def test_serve_warns_when_the_page_is_reachable_from_the_network(tmp_path_factory):
    path, _ = web_model(tmp_path_factory)
    process = start_serve(str(path), "--host", "0.0.0.0", "--port", "0")
    try:
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "warning" in err and "reachable from the network" in err
    assert process.returncode == 0
