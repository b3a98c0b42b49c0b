"""The drawing page's API without HTTP: a JSON request body in, the digit's answer out.

    parse_request(body) → (pixels (28, 28) float32 in [0, 1] or None for a blank canvas, notes)
        body: {"image": "data:image/png;base64,..."}   a drawing (any image Pillow reads), or
              {"pixels": [[28 floats] × 28]}            a digit already MNIST-style: white ink on
                                                       black, in [0, 1]
    predict_response(recognizer, body) → the JSON object of POST /api/predict:
        {"digit": "7", "probabilities": [K floats, class order, sum 1], "class_names": [...],
         "input": 28×28 (what the network sees), "saliency": 28×28 in [0, 1] (|∂score/∂pixel| of
         the winning class, see `barenet.digits.recognize`), "notes": [...]}
        or {"digit": null, "message": "draw a digit", ...} for a blank canvas (not an error)
    health_response(recognizer, model_name) → the JSON object of GET /api/health

A client's mistake is a `RequestError` carrying the HTTP status for it: 400 bad JSON (nested too
deep, an integer of thousands of digits) or fields, 413 an image over MAX_IMAGE_PIXELS (or a
decompression bomb), 422 pixels of the wrong size or range (or beyond float64), data that is not
an image, a drawing too small to read. `barenet.web.server` turns it into the 4xx answer.
Nothing here knows about sockets or headers. At most DECODES_AT_ONCE images are decoded at once.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import threading
import warnings
from typing import Any

import numpy as np

from barenet.digits.recognize import SIDE, Recognizer
from barenet.errors import ImageError
from barenet.i18n import speaking

MAX_IMAGE_PIXELS = 4096 * 4096  # larger images are refused before decoding (memory, time)
BLANK_CONTRAST = 0.1  # a drawing whose brightness spans less than this is an empty canvas
DECODES_AT_ONCE = 2  # images decoded at the same time; other requests wait their turn
_decoding = threading.BoundedSemaphore(DECODES_AT_ONCE)


class RequestError(Exception):
    """A client's mistake: the HTTP status and a one-sentence message for the JSON answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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

    from barenet.digits import load_image
    from barenet.digits.normalise import mnist_style_with_notes

    if not data:
        raise RequestError(422, "the image is empty (0 bytes): send the canvas as a PNG")
    try:  # reads only the header: refuse a huge image before decoding it
        with warnings.catch_warnings():  # as `barenet.digits.read` does
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
        with _decoding:  # a 4096×4096 RGBA image needs ~100 MB while it is decoded
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
    try:
        pixels = np.asarray(value, dtype=np.float64)  # (28, 28)
    except OverflowError:  # an integer beyond float64, e.g. 10**400
        raise RequestError(422, "'pixels' must be numbers in [0, 1]; one is an integer too large "
                                "for a float") from None
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
    except RecursionError:
        raise RequestError(400, "the JSON body is nested too deeply; send an object with "
                                "'image' or 'pixels'") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, or an int of > 4300 digits
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
    """The JSON answer to POST /api/predict (RequestError for a client's mistake).

    In English whatever the server's language: the page shows the answer in its reader's language
    (static/app.js translates the messages it knows), so notes from `barenet.digits` are English too.
    """
    with speaking("en"):  # this request's thread only
        return answer(recognizer, body)


def answer(recognizer: Recognizer, body: bytes) -> dict[str, Any]:
    """predict_response's answer, in the language in use."""
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


def health_response(recognizer: Recognizer, model_name: str) -> dict[str, Any]:
    """The JSON answer to GET /api/health."""
    return {"status": "ok", "model": model_name, "class_names": recognizer.class_names}
