"""Helpers for the tests of `barenet predict`, `barenet serve` and the drawing page.

- `web_model(tmp_path_factory)`: a small but accurate model (784-128-10, 2 epochs on the full
  MNIST training set, ~96.7% test accuracy, a few seconds), trained once per test session and saved
  as a model file, exactly as `barenet train` would;
- `serving(trained)`: the page's server on 127.0.0.1, a free port, in a thread;
- `request(url, ...)`: one HTTP request -> (status, headers, parsed JSON or bytes);
- `png_data_url(...)`, `digit_canvas(...)`: a drawing as the page sends it.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from PIL import Image

from barenet.experiment.config import TrainingConfig, build
from barenet.experiment.splits import make_splits
from barenet.nn import fit
from barenet.nn.training import evaluate
from barenet.saving import modelfile
from barenet.web.server import make_server

_cache: dict[str, tuple[Path, modelfile.TrainedModel]] = {}


def web_model(tmp_path_factory) -> tuple[Path, modelfile.TrainedModel]:
    """(path, TrainedModel) of a 784-128-10 network trained for 2 epochs on all of MNIST; cached.

    Adam at a constant 2e-3 (the default cosine schedule would spend the second epoch at a tiny
    rate): about 96.7% test accuracy.
    """
    if "model" not in _cache:
        path = tmp_path_factory.mktemp("web-model") / "model.safetensors"
        config = TrainingConfig(hidden=[128], dropout=0.0, epochs=2, schedule="constant", lr=2e-3,
                                batch_size=128, augment=[])
        splits = make_splits(config, progress=False)
        model, loss, optimizer, schedule = build(config, splits.x_train.shape[1], len(splits.class_names))
        history = fit(model, loss, optimizer, splits.x_train, splits.y_train, epochs=config.epochs,
                      batch_size=config.batch_size, seed=config.seed, schedule=schedule)
        test_loss, test_accuracy = evaluate(model, loss, splits.x_test, splits.y_test)
        trained = modelfile.TrainedModel(
            model=model, config=config.to_dict(), normalization=splits.normalization,
            class_names=splits.class_names, history=history, dataset=splits.dataset_record(),
            metrics={"test_accuracy": test_accuracy, "test_loss": test_loss},
        )
        modelfile.save(path, trained)
        _cache["model"] = (path, modelfile.load(path))
    return _cache["model"]


@contextmanager
def serving(trained: modelfile.TrainedModel) -> Iterator[str]:
    """Serve `trained` on 127.0.0.1 at a free port in a thread; yields the base URL."""
    server = make_server(trained, "127.0.0.1", 0, model_name="test.safetensors")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def request(url: str, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, Any, Any]:
    """One request on a fresh connection -> (status, headers, JSON value or raw bytes)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path or "/", body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        kind = response.getheader("Content-Type", "")
        payload = json.loads(data) if kind.startswith("application/json") else data
        return response.status, response.headers, payload
    finally:
        connection.close()


def post_json(base: str, payload: Any) -> tuple[int, Any]:
    """POST payload as JSON to base + api/predict -> (status, answer)."""
    status, _, answer = request(base + "api/predict", "POST", json.dumps(payload).encode(),
                                {"Content-Type": "application/json"})
    return status, answer


def png_data_url(gray: np.ndarray) -> str:
    """(H, W) brightness in [0, 1] -> "data:image/png;base64,..." as a canvas's toDataURL gives."""
    image = Image.fromarray((np.clip(gray, 0, 1) * 255 + 0.5).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def digit_canvas(digit: np.ndarray, side: int = 280, dark_ink: bool = False) -> np.ndarray:
    """An MNIST digit (28, 28) drawn big on a side×side canvas, white on black (or dark on light)."""
    big = Image.fromarray(digit.astype(np.float32)).resize((side, side), Image.Resampling.BICUBIC)
    gray = np.clip(np.asarray(big), 0.0, 1.0)
    return 1.0 - gray if dark_ink else gray
