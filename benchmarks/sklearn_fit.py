"""`BarenetClassifier.fit` against scikit-learn's `MLPClassifier.fit` on the same network.

Both train the same fully connected network on MNIST's 60,000 training images (pixels in [0, 1]),
with Adam at the same learning rate, the same batch size and number of epochs, no L2 penalty and
no early stopping, and are scored on the 10,000 test images. Each fit runs in a fresh process (so
neither inherits the other's warm caches), alternating between the two, `--repeats` times; the
table gives the median fit time and the accuracies.

    python benchmarks/sklearn_fit.py                        # 784-256-10, 10 epochs, 2 repeats
    python benchmarks/sklearn_fit.py --hidden 512,512 --epochs 5 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import cpu_model

WORKER = r"""
import json, sys, time, warnings
import numpy as np
from barenet import load_mnist
hidden, epochs, batch, lr, which, seed = json.loads(sys.argv[1])
(x, t), (x_test, t_test) = load_mnist()
if which == "barenet":
    from barenet.sklearn import BarenetClassifier
    clf = BarenetClassifier(hidden=tuple(hidden), epochs=epochs, batch_size=batch, lr=lr,
                            tol=0.0, n_iter_no_change=epochs + 1, random_state=seed)
else:
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(tuple(hidden), alpha=0.0, batch_size=batch, learning_rate_init=lr,
                        max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1, random_state=seed)
    x, x_test = x.astype(np.float32), x_test.astype(np.float32)  # float32 for both
started = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # MLPClassifier's "did not converge" after max_iter
    clf.fit(x, t)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "accuracy": float(clf.score(x_test, t_test)),
                  "epochs": int(clf.n_iter_)}))
"""


def fit_once(which: str, hidden: list[int], epochs: int, batch: int, lr: float, seed: int) -> dict:
    """One fit in a fresh process: {"seconds", "accuracy", "epochs"}."""
    settings = json.dumps([hidden, epochs, batch, lr, which, seed])
    result = subprocess.run([sys.executable, "-c", WORKER, settings], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{which} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", default="256", help="hidden sizes, e.g. 512,512 (default 256)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    hidden = [int(h) for h in args.hidden.split(",")]
    runs: dict[str, list[dict]] = {"barenet": [], "scikit-learn": []}
    for seed in range(args.repeats):
        for which in runs:
            runs[which].append(fit_once(which, hidden, args.epochs, args.batch_size, args.lr, seed))
            print(f"  {which:12s} seed {seed}: {runs[which][-1]}", file=sys.stderr)

    import numpy
    import sklearn

    network = "-".join(map(str, [784, *hidden, 10]))
    print(f"\nfit on MNIST (60,000 images), {network}, Adam lr {args.lr:g}, batch {args.batch_size}, "
          f"{args.epochs} epochs, float32; {cpu_model()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, NumPy {numpy.__version__}, scikit-learn {sklearn.__version__}; "
          f"median of {args.repeats} fresh-process fits\n")
    print("| estimator | fit seconds (median) | s / epoch | test accuracy (each run) |")
    print("|---|---|---|---|")
    for which, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        accuracies = ", ".join(f"{100 * r['accuracy']:.2f} %" for r in results)
        print(f"| {'BarenetClassifier' if which == 'barenet' else 'MLPClassifier'} | {seconds:.2f} | "
              f"{seconds / results[0]['epochs']:.3f} | {accuracies} |")
    ratio = (statistics.median(r["seconds"] for r in runs["scikit-learn"])
             / statistics.median(r["seconds"] for r in runs["barenet"]))
    print(f"\nBarenetClassifier fits {ratio:.2f}× as fast as MLPClassifier on the same network.")


if __name__ == "__main__":
    main()
