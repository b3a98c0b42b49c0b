"""How fast all 70,000 MNIST images go from the .gz files to float32, and at what memory cost.

    python benchmarks/data_loading.py [--data-dir DIR] [--repeat 7]

Target (issue 4): ≤ 1.0 s with a warm file cache, peak memory ≤ 2× the float32 arrays
(70,000 × 784 × 4 B = 219.5 MB = 209.4 MiB). "End to end" is `load_dataset` (read, gunzip, SHA-256 of the
content against the canonical values, IDX validation, label checks) followed by `to_float01` on
both splits. The first run of the process is reported apart: it pays the operating system's
first touch of fresh memory. Peak memory is measured two ways: tracemalloc (every NumPy and
Python allocation made during the run) and the growth of the process's peak RSS in a fresh
child process.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from barenet.data import load_dataset, resolve_data_dir
from barenet.data.idx import parse_idx
from barenet.data.prepare import to_float01

MIB = 1024 * 1024
FLOAT_BYTES = 70_000 * 784 * 4


def end_to_end(data_dir):
    ds = load_dataset("mnist", data_dir, download=False, progress=False)
    return to_float01(ds.train_images), to_float01(ds.test_images), ds


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def stages(directory: Path, repeat: int):
    """Best and median time of each stage, over the four files."""
    names = sorted(p.name for p in directory.glob("*-ubyte*"))
    raws = [(directory / n).read_bytes() for n in names]
    contents = [gzip.decompress(r) if r[:2] == b"\x1f\x8b" else r for r in raws]
    images = [parse_idx(c) for c in contents if c[3] == 3]
    return [
        ("read the .gz files", timed(lambda: [(directory / n).read_bytes() for n in names], repeat)),
        ("gunzip", timed(lambda: [gzip.decompress(r) for r in raws], repeat)),
        ("SHA-256 of the content", timed(lambda: [hashlib.sha256(c).digest() for c in contents],
                                         repeat)),
        ("IDX parse + validate", timed(lambda: [parse_idx(c) for c in contents], repeat)),
        ("uint8 -> float32 / 255", timed(lambda: [to_float01(i) for i in images], repeat)),
    ]


def peak_rss_mib() -> float:
    """The process's peak resident set (VmHWM, Linux; ru_maxrss would survive exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB -> MiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_rss(data_dir) -> None:
    """In a fresh process: peak RSS growth (MiB) of one end-to-end load, printed on stdout."""
    before = peak_rss_mib()
    result = end_to_end(data_dir)
    print(peak_rss_mib() - before)
    del result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="default: as barenet resolves it")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child-rss", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss:
        child_rss(args.data_dir)
        return

    directory = resolve_data_dir("mnist", args.data_dir)
    rss = float(subprocess.run(  # first, while this process is still small
        [sys.executable, __file__, "--child-rss"]
        + (["--data-dir", args.data_dir] if args.data_dir else []),
        check=True, capture_output=True, text=True,
    ).stdout)
    start = time.perf_counter()
    x, xt, ds = end_to_end(args.data_dir)
    first = time.perf_counter() - start
    assert ds.canonical and x.shape == (60000, 784) and xt.shape == (10000, 784)
    del x, xt, ds

    best, median = timed(lambda: end_to_end(args.data_dir), args.repeat)

    tracemalloc.start()
    result = end_to_end(args.data_dir)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result

    print(f"MNIST from {directory} ({ds_source(args.data_dir)}), numpy {np.__version__}, "
          f"best and median of {args.repeat}")
    print()
    print(f"| {'stage (all four files)':<34} | {'best':>8} | {'median':>8} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 10}|")
    for name, (b, m) in stages(directory, args.repeat):
        print(f"| {name:<34} | {b * 1000:6.1f}ms | {m * 1000:6.1f}ms |")
    print(f"| {'end to end, first run in process':<34} | {first * 1000:6.1f}ms | {'':>8} |")
    print(f"| {'end to end, warm (target ≤ 1000ms)':<34} | {best * 1000:6.1f}ms | "
          f"{median * 1000:6.1f}ms |")
    print()
    print(f"| {'memory':<34} | {'MiB':>8} | {'× float':>8} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 10}|")
    print(f"| {'float32 arrays (60000+10000)×784':<34} | {FLOAT_BYTES / MIB:8.1f} | {1:8.2f} |")
    print(f"| {'peak, tracemalloc':<34} | {peak / MIB:8.1f} | {peak / FLOAT_BYTES:8.2f} |")
    print(f"| {'peak RSS growth, fresh process':<34} | {rss:8.1f} | "
          f"{rss * MIB / FLOAT_BYTES:8.2f} |")
    print(f"| {'target':<34} | {2 * FLOAT_BYTES / MIB:8.1f} | {2:8.2f} |")


def ds_source(data_dir) -> str:
    from barenet.data import locate

    return locate("mnist", data_dir)[1]


if __name__ == "__main__":
    main()
