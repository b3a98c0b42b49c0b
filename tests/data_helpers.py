"""Shared helpers of the data tests: tiny IDX datasets and a local HTTP mirror on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import socket
import threading
import time
from pathlib import Path

import numpy as np

from barenet.data.checksums import Checksum
from barenet.data.datasets import IDX_FILES, DatasetSpec
from barenet.data.idx import encode_idx, write_idx

REPO = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"
BUNDLED_MNIST = REPO / "src" / "barenet" / "data" / "mnist"
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def tiny_arrays(n_train: int = 30, n_test: int = 10, seed: int = 0) -> dict[str, np.ndarray]:
    """role -> array of a small random dataset in MNIST's shapes (every class 0..9 present)."""
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "train_labels": (np.arange(n_train) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "test_labels": (np.arange(n_test) % 10).astype(np.uint8),
    }


def write_tiny_dataset(directory: Path, gz: bool = True, seed: int = 0, **sizes) -> dict:
    """Write the four files of a tiny dataset into `directory`; return role -> array."""
    directory.mkdir(parents=True, exist_ok=True)
    arrays = tiny_arrays(seed=seed, **sizes)
    for role, array in arrays.items():
        name = IDX_FILES[role] if gz else IDX_FILES[role].removesuffix(".gz")
        write_idx(directory / name, array)
    return arrays


def gz_files(arrays: dict[str, np.ndarray]) -> dict[str, bytes]:
    """Distributed file name -> gzip bytes (the same bytes `write_idx` writes)."""
    return {
        IDX_FILES[role]: gzip.compress(encode_idx(a), compresslevel=6, mtime=0)
        for role, a in arrays.items()
    }


def tiny_spec(arrays: dict[str, np.ndarray], *, gz_md5: bool = False, name: str = "tiny"):
    """A DatasetSpec whose canonical checksums are those of `arrays` (as tests' "truth")."""
    files = gz_files(arrays)
    if gz_md5:
        sums = {n: Checksum("md5", "gz", hashlib.md5(b).hexdigest()) for n, b in files.items()}
    else:
        sums = {
            IDX_FILES[r]: Checksum("sha256", "content", hashlib.sha256(encode_idx(a)).hexdigest())
            for r, a in arrays.items()
        }
    return DatasetSpec(
        name=name,
        title=name.upper(),
        class_names=tuple(str(d) for d in range(10)),
        checksums=sums,
        mirrors=("http://127.0.0.1:9/never-used/",),
    )


def replace_spec(spec: DatasetSpec, **changes) -> DatasetSpec:
    return dataclasses.replace(spec, **changes)


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """name -> (bytes, mtime_ns) of every file under `directory`: proves nothing was touched."""
    return {
        str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


class Mirror:
    """A local HTTP mirror in a thread. `routes`: path -> (mode, bytes).

    modes: "ok" serves the bytes; "cut" announces the full length, sends half, closes;
    "slow" sleeps `delay` seconds before answering; "500" answers HTTP 500; "endless" streams
    zeros without a length for ever; "trickle" sends a byte every `delay` seconds for ever.
    Paths absent from `routes` answer 404. `requests` lists every path asked for.
    """

    def __init__(self, routes: dict[str, tuple[str, bytes]] | None = None, delay: float = 1.0):
        self.routes = dict(routes or {})
        self.requests: list[str] = []
        self.delay = delay
        self.streaming = True  # the 'endless' and 'trickle' modes stream until the mirror stops
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?", 1)[0]
                mirror.requests.append(path)
                mode, body = mirror.routes.get(path, ("404", b""))
                if mode == "404":
                    self.send_error(404, "Not Found")
                    return
                if mode == "500":
                    self.send_error(500, "Internal Server Error")
                    return
                if mode == "slow":
                    time.sleep(mirror.delay)
                if mode in ("endless", "trickle"):
                    self.stream_forever(mode)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode == "cut":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def stream_forever(self, mode):
                """'endless': zeros as fast as they go, no length; 'trickle': a byte per delay."""
                self.send_response(200)
                self.end_headers()
                chunk = b"\0" * (1 << 16) if mode == "endless" else b"\0"
                try:
                    while mirror.streaming:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        if mode == "trickle":
                            time.sleep(mirror.delay)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):  # keep test output clean
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request, client_address):  # client went away: fine
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def serve(self, mode: str, files: dict[str, bytes]) -> Mirror:
        """Serve every file of `files` (name -> bytes) in `mode` at /NAME."""
        for name, body in files.items():
            self.routes[f"/{name}"] = (mode, body)
        return self

    def __enter__(self) -> Mirror:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.streaming = False
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def corrupt(files: dict[str, bytes]) -> dict[str, bytes]:
    """Valid gzip files whose content differs from the original by one pixel (bad checksum)."""
    out = {}
    for name, body in files.items():
        content = bytearray(gzip.decompress(body))
        content[-1] ^= 0x01
        out[name] = gzip.compress(bytes(content), mtime=0)
    return out
