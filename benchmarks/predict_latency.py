"""`barenet predict` and the drawing page's API: latency, and the accuracy on photos of digits.

Targets (issue 6):
    predict, one image, wall time incl. Python's start      median of N runs   ≤ 0.5 s
    POST /api/predict, one 280×280 canvas PNG, warm server   median of M runs   ≤ 20 ms
    photos of MNIST test digits vs the digits themselves      accuracy gap       ≤ 1.5 points

Each `predict` run is a fresh process, exactly as a user types it (Python's start, imports,
loading the model file, decoding the image, preprocessing, the forward pass, printing). The API
is timed from a client on one keep-alive connection to a server in this process; each answer
includes the saliency map (a backward pass) and the JSON of two 28×28 grids.

The photos come from `tests/photo_digits.py` (scaled 3–15×, dark ink on light paper, off-centre,
paper noise, PNG or JPEG) and are read by `barenet predict --json`, the pipeline a user gets.

    python benchmarks/predict_latency.py --model model.safetensors    # a model trained by default
    python benchmarks/predict_latency.py          # trains the default recipe first (20 epochs)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from photo_digits import load_mnist, make_photo, write_photos

TARGET_PREDICT_S = 0.5
TARGET_API_MS = 20.0
TARGET_GAP = 0.015


def train_default(out: Path) -> Path:
    """Train `TrainingConfig()` (barenet's default recipe) in this process and save it to `out`."""
    from barenet.experiment.config import TrainingConfig, build
    from barenet.experiment.splits import make_splits
    from barenet.nn import fit
    from barenet.nn.training import evaluate
    from barenet.saving import modelfile

    config = TrainingConfig()
    splits = make_splits(config, progress=False)
    model, loss, optimizer, schedule = build(config, splits.x_train.shape[1], len(splits.class_names))
    history = fit(model, loss, optimizer, splits.x_train, splits.y_train, epochs=config.epochs,
                  batch_size=config.batch_size, seed=config.seed, schedule=schedule)
    test_loss, test_accuracy = evaluate(model, loss, splits.x_test, splits.y_test)
    modelfile.save(out, modelfile.TrainedModel(
        model=model, config=config.to_dict(), normalization=splits.normalization,
        class_names=splits.class_names, history=history, dataset=splits.dataset_record(),
        metrics={"test_accuracy": test_accuracy, "test_loss": test_loss}))
    return out


def time_predict(model: Path, image: Path, runs: int) -> list[float]:
    """Wall seconds of `python -m barenet predict MODEL IMAGE`, one fresh process per run."""
    command = [sys.executable, "-m", "barenet", "predict", str(model), str(image)]
    subprocess.run(command, capture_output=True, check=True)  # warm the disk cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def canvas_png(digit: np.ndarray) -> str:
    """An MNIST digit drawn white on black on a 280×280 canvas, as the page's data URL."""
    from PIL import Image

    big = Image.fromarray(digit.astype(np.float32)).resize((280, 280), Image.Resampling.BICUBIC)
    pixels = (np.clip(np.asarray(big), 0, 1) * 255 + 0.5).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert("RGBA").save(buffer, format="PNG")  # a canvas PNG is RGBA
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def time_api(model: Path, requests: int) -> list[float]:
    """Milliseconds per POST /api/predict of a canvas PNG, on one keep-alive connection."""
    from barenet.saving import modelfile
    from barenet.web.server import make_server

    server = make_server(modelfile.load(model), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    digits, _ = load_mnist("t10k", 10)
    bodies = [json.dumps({"image": canvas_png(d)}).encode() for d in digits]
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    times = []
    try:
        for i in range(requests + 10):  # the first 10 warm up
            started = time.perf_counter()
            connection.request("POST", "/api/predict", body=bodies[i % len(bodies)],
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = json.loads(response.read())
            elapsed = 1000 * (time.perf_counter() - started)
            if response.status != 200 or answer["digit"] is None:
                raise SystemExit(f"the API answered {response.status}: {answer}")
            if i >= 10:
                times.append(elapsed)
    finally:
        connection.close()
        server.shutdown()
        server.server_close()
    return times


def photo_accuracy(model: Path, n: int, workdir: Path) -> tuple[float, float, int]:
    """(accuracy on the first n MNIST test digits, accuracy of `predict` on photos of them, n)."""
    from barenet.cli import main
    from barenet.saving import modelfile

    digits, labels = load_mnist("t10k", n)
    original = float((modelfile.load(model).predict_proba(digits).argmax(axis=1) == labels).mean())
    paths = write_photos(digits, workdir / "photos", np.random.default_rng(0))
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(["predict", str(model), *map(str, paths), "--json"])
    if status != 0:
        raise SystemExit("barenet predict could not read every photo")
    listing = json.loads(stdout.getvalue())
    photos = float(np.mean([e["digit"] == str(label) for e, label in zip(listing, labels, strict=True)]))
    return original, photos, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None,
                        help="a model trained with the default settings (default: train one now)")
    parser.add_argument("--runs", type=int, default=10, help="predict processes to time (10)")
    parser.add_argument("--requests", type=int, default=100, help="API requests to time (100)")
    parser.add_argument("--photos", type=int, default=2000, help="photos of test digits (2000)")
    args = parser.parse_args()

    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="barenet-bench-") as tmp:
        workdir = Path(tmp)
        model = args.model
        if model is None:
            print("training the default recipe (TrainingConfig(), 20 epochs) ...", flush=True)
            started = time.perf_counter()
            model = train_default(workdir / "default.safetensors")
            print(f"  trained in {time.perf_counter() - started:.0f} s", flush=True)

        digits, _ = load_mnist("t10k", 1)
        from PIL import Image

        photo = workdir / "digit.jpg"
        Image.fromarray(make_photo(digits[0], np.random.default_rng(7))).save(photo, quality=85)
        phone = workdir / "phone.jpg"  # a 12-megapixel phone photo of the same digit
        page = Image.fromarray(make_photo(digits[0], np.random.default_rng(7)))
        page.resize((3024, 4032), Image.Resampling.BILINEAR).save(phone, quality=90)

        rows = []
        for label, image in [("predict, 1 photo (JPEG)", photo), ("predict, 1 phone photo 12 MP", phone)]:
            times = time_predict(model, image, args.runs)
            rows.append((label, f"{statistics.median(times):.3f} s", f"min {min(times):.3f} s",
                         f"≤ {TARGET_PREDICT_S} s", statistics.median(times) <= TARGET_PREDICT_S))
            print(f"  {label}: {statistics.median(times):.3f} s", flush=True)
        times = time_api(model, args.requests)
        p90 = sorted(times)[int(0.9 * len(times))]
        rows.append(("API, 280×280 canvas PNG", f"{statistics.median(times):.1f} ms", f"p90 {p90:.1f} ms",
                     f"≤ {TARGET_API_MS:g} ms", statistics.median(times) <= TARGET_API_MS))
        original, photos, n = photo_accuracy(model, args.photos, workdir)
        gap = original - photos
        rows.append((f"accuracy, {n} test digits", f"{original:.2%}", "", "", None))
        rows.append((f"accuracy, {n} photos of them", f"{photos:.2%}", f"gap {100 * gap:+.2f} pts",
                     f"gap ≤ {100 * TARGET_GAP:g} pts", gap <= TARGET_GAP))

    print()
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    header = ("measure", "median/value", "spread", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  met")
    for row in rows:
        cells = "  ".join(str(c).ljust(w) for c, w in zip(row[:4], widths, strict=True))
        print(cells + "  " + ("" if row[4] is None else "yes" if row[4] else "NO"))


if __name__ == "__main__":
    main()
