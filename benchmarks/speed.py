"""Training speed: barenet against PyTorch, scikit-learn and the GEMM floor, same data, same run.

    pip install -e '.[bench]'              # PyTorch (CPU) and scikit-learn, both optional
    python benchmarks/speed.py             # N1 for 10 epochs, N2 for 5, float32, 2 threads
    python benchmarks/speed.py --quick     # 3 and 2 epochs, fewer inference repeats
    python benchmarks/speed.py --networks N2 --epochs 8 --json speed.json
    python benchmarks/speed.py --before /tmp/before/src   # also barenet from another checkout

`--before SRC` adds "barenet (before)" (and "barenet+dropout (before)") rows: the same trainers,
run with PYTHONPATH=SRC (e.g. `git worktree add /tmp/before main`), so that a change's speed is
measured against the code it changes in one run, turn by turn.

Every trainer (see `speed_trainers.py`) runs in a worker process of its own, so its peak memory
is its own; the workers of one network are alive together and take turns, one epoch each, in a
rotating order, with a pause between turns (OpenBLAS threads spin for ~0.1 s after a product and
would steal the next turn's cores). Epoch times are medians over the epochs after the first;
inference is the median of several predictions of the 10,000 test images, taken in turns too.
BLAS threads are set with threadpoolctl (`threadpool_limits(N)`) and PyTorch's with
`torch.set_num_threads(N)`; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the workers'
environment so that OpenBLAS picks its kernel for this CPU itself (the header shows which).
A peer that is not installed is listed as missing, never dropped silently.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import cpu_model
from speed_trainers import NETWORKS, TRAINERS

#: Targets of issue 7 (speed).
FLOOR_TARGET = {"N1": 1.5, "N2": 1.35}  # barenet's epoch ≤ this × the GEMM floor's
DROPOUT_TARGET = 0.15  # dropout adds ≤ 15 % to an epoch
AUGMENT_TARGET = 0.15  # augmentation adds ≤ 15 % to an epoch (of the network with dropout)
BATCHNORM_TARGET = 0.10  # BatchNorm after each hidden layer adds ≤ 10 % (issue 12)
INFER_TARGET = 1.2  # inference ≤ 1.2 × the forward products
MEMORY_TARGET_MB = {"N2": 400}  # peak memory of a whole N2 training run
BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
AUGMENTED = ("aug affine", "aug aff+elastic", "aug aff+el sync")  # trainers with augmentation


# ---------------------------------------------------------------- the worker (one trainer)


def rss_mb() -> float:
    """The process's resident memory now, in MB."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(name: str, network: str, threads: int, seed: int, clock: str = "wall") -> None:
    """Build one trainer, then answer "epoch", "predict" and "finish" lines with JSON lines."""
    import numpy as np
    from threadpoolctl import threadpool_info, threadpool_limits

    threadpool_limits(threads)
    cls, module = TRAINERS[name]
    versions = {"numpy": np.__version__}
    if module == "torch":
        import torch

        torch.set_num_threads(threads)
        versions["torch"] = f"{torch.__version__} ({torch.get_num_threads()} threads)"
    elif module == "sklearn":
        import sklearn
        import sklearn.neural_network

        versions["sklearn"] = sklearn.__version__
    import barenet.nn  # noqa: F401
    from barenet.data import load_dataset
    from barenet.data.prepare import to_float01

    after_imports = rss_mb()
    dataset = load_dataset("mnist", progress=False)
    x, y = to_float01(dataset.train_images), dataset.train_labels.astype(np.int64)
    x_test, y_test = to_float01(dataset.test_images), dataset.test_labels.astype(np.int64)
    del dataset  # keep only the float32 arrays every trainer is given
    trainer = cls(NETWORKS[network], x, y, seed)
    blas = [{k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads",
                                      "filepath")} for info in threadpool_info()]

    def reply(**fields) -> None:
        print(json.dumps(fields), flush=True)

    reply(ready=True, versions=versions, blas=blas, after_imports_mb=after_imports)
    for line in sys.stdin:
        command = line.strip()
        if command == "epoch":
            timer = time.process_time if clock == "cpu" else time.perf_counter
            started = timer()
            trainer.epoch()
            reply(seconds=timer() - started)
        elif command == "predict":
            started = time.perf_counter()
            labels = trainer.predict(x_test)
            seconds = time.perf_counter() - started
            accuracy = None if labels is None else float((np.asarray(labels) == y_test).mean())
            reply(seconds=seconds, accuracy=accuracy)
        elif command == "profile":
            reply(parts=trainer.profile() if hasattr(trainer, "profile") else {})
        elif command == "finish":
            reply(peak_mb=peak_mb(), rss_mb=rss_mb())
            return


# ---------------------------------------------------------------- the runner (all trainers)


#: The suffix of a trainer run from the `--before` checkout.
BEFORE = " (before)"


class Worker:
    def __init__(self, name: str, network: str, args: argparse.Namespace, env: dict, tmp: Path):
        self.name = name
        trainer = name.removesuffix(BEFORE)
        if trainer != name:  # the same trainer, importing barenet from the other checkout
            env = {**env, "PYTHONPATH": args.before}
        self.stderr = open(tmp / f"{network}-{name.replace(' ', '_').replace('(', '').replace(')', '')}.err",
                           "w+")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", trainer, "--networks", network, "--clock", args.clock,
             "--threads", str(args.threads), "--seed", str(args.seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env,
        )
        self.error: str | None = None
        self.info: dict = {}

    def ask(self, command: str | None) -> dict | None:
        """Send a command (or none: read the greeting); the reply, or None once it has failed."""
        if self.error:
            return None
        try:
            if command:
                self.process.stdin.write(command + "\n")
                self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            self.process.wait()
            self.stderr.seek(0)
            tail = self.stderr.read().strip().splitlines()[-3:]
            self.error = f"failed (exit {self.process.returncode}): " + " / ".join(tail)
            return None
        return json.loads(line)


def median_after_first(times: list[float]) -> float | None:
    if not times:
        return None
    return statistics.median(times[1:] if len(times) > 1 else times)


def run_network(network: str, names: list[str], args: argparse.Namespace, env: dict,
                tmp: Path) -> dict:
    net = NETWORKS[network]
    default = {"N1": (10, 3), "N2": (5, 2)}[network][args.quick]
    epochs = args.epochs or default
    results: dict[str, dict] = {}
    workers: list[Worker] = []
    for name in names:
        module = TRAINERS[name.removesuffix(BEFORE)][1]
        if module and importlib.util.find_spec(module) is None:
            results[name] = {"missing": f"{module} is not installed (pip install -e '.[bench]')"}
            continue
        workers.append(Worker(name, network, args, env, tmp))
        results[name] = {"epochs": [], "predict": [], "accuracy": None}
    for w in workers:  # the workers load the data and build their networks side by side
        w.info = w.ask(None) or {}
    for epoch in range(epochs):
        for k in range(len(workers)):
            w = workers[(k + epoch) % len(workers)]  # rotate: nobody always follows the same peer
            if w.name == "sklearn" and epoch >= (args.sklearn_epochs or epochs):
                continue
            reply = w.ask("epoch")
            if reply:
                results[w.name]["epochs"].append(reply["seconds"])
                print(f"  {network} epoch {epoch + 1}/{epochs}  {w.name:<17} {reply['seconds']:7.3f} s",
                      file=sys.stderr, flush=True)
            time.sleep(args.pause)
    for _ in range(args.infer_repeats or (2 if args.quick else 9)):
        for w in workers:
            reply = w.ask("predict")
            if reply:
                results[w.name]["predict"].append(reply["seconds"])
                results[w.name]["accuracy"] = reply["accuracy"]
            time.sleep(args.pause / 2)
    if args.profile:
        for w in workers:
            if w.name == "barenet":
                reply = w.ask("profile")
                results[w.name]["profile"] = (reply or {}).get("parts", {})
    for w in workers:
        reply = w.ask("finish")
        results[w.name].update(reply or {}, info=w.info)
        if w.error:
            results[w.name]["error"] = w.error
        w.process.wait()
        w.stderr.close()
    return {"network": network, "describe": net.describe(), "epochs": epochs,
            "flops": net.epoch_flops(60000), "forward_flops": net.forward_flops(10000),
            "results": results}


def fmt(value, spec: str, none: str = "—") -> str:
    return none if value is None else format(value, spec)


def table(run: dict) -> tuple[str, dict]:
    """The printed table of one network, and the numbers the targets are checked on."""
    res = run["results"]

    def epoch_of(name):
        r = res.get(name) or {}
        return median_after_first(r.get("epochs") or [])

    def infer_of(name):
        r = res.get(name) or {}
        return statistics.median(r["predict"]) if r.get("predict") else None

    floor, floor_infer = epoch_of("gemm floor"), infer_of("gemm floor")
    torch_t, torch_f = epoch_of("torch"), epoch_of("torch fused")
    lines = [f"{run['network']}  {run['describe']}: {run['epochs']} epochs of 60,000 (medians of "
             f"epochs 2–{run['epochs']}), {run['flops'] / 1e9:.2f} GFLOP of products per epoch",
             "| trainer          | s/epoch | spread | GFLOP/s | ×floor | ×torch | ×fused | test acc | "
             "peak MB | data+train MB | infer ms | infer ×floor |",
             "|------------------|---------|--------|---------|--------|--------|--------|----------|"
             "---------|---------------|----------|--------------|"]
    for name, r in res.items():
        if "missing" in r:
            lines.append(f"| {name:<16} | missing: {r['missing']} |")
            continue
        if r.get("error") and not r.get("epochs"):
            lines.append(f"| {name:<16} | {r['error']} |")
            continue
        t, inf = epoch_of(name), infer_of(name)
        times = r["epochs"][1:] or r["epochs"]
        spread = max(times) / min(times) - 1 if times else None
        after = r.get("info", {}).get("after_imports_mb")
        lines.append(
            f"| {name:<16} | {fmt(t, '7.3f')} | {fmt(spread, '5.0%'):>6} | "
            f"{fmt(run['flops'] / t / 1e9 if t else None, '7.1f')} | "
            f"{fmt(t / floor if t and floor else None, '6.2f')} | "
            f"{fmt(t / torch_t if t and torch_t else None, '6.2f')} | "
            f"{fmt(t / torch_f if t and torch_f else None, '6.2f')} | "
            f"{fmt(r.get('accuracy'), '8.2%')} | {fmt(r.get('peak_mb'), '7.0f')} | "
            f"{fmt(r['peak_mb'] - after if r.get('peak_mb') and after else None, '13.0f')} | "
            f"{fmt(inf * 1e3 if inf else None, '8.1f')} | "
            f"{fmt(inf / floor_infer if inf and floor_infer else None, '12.2f')} |"
            + (f"  ({r['error']})" if r.get("error") else ""))
    profile = (res.get("barenet") or {}).get("profile")
    if profile:
        total = sum(profile.values())
        lines.append(f"barenet's step, part by part ({total * 1e6:.0f} µs per step when timed one by one; "
                     f"matrix products are in the Dense rows):")
        for name, seconds in sorted(profile.items(), key=lambda kv: -kv[1]):
            lines.append(f"    {name:<28} {seconds * 1e6:8.1f} µs  {seconds / total:6.1%}")
    numbers = {"barenet": epoch_of("barenet"), "dropout": epoch_of("barenet+dropout"),
               "batchnorm": epoch_of("barenet+batchnorm"),
               "floor": floor, "torch": torch_t, "torch fused": torch_f,
               "infer": infer_of("barenet"), "floor infer": floor_infer,
               "peak": (res.get("barenet") or {}).get("peak_mb"),
               "augment": {name: epoch_of(name) for name in AUGMENTED}}
    return "\n".join(lines), numbers


def verdict(measured: float | None, limit: float, what: str) -> str:
    if measured is None:
        return f"- {what}: not measured"
    if measured <= limit:
        return f"- {what}: {measured:.2f} ≤ {limit:.2f}  met"
    return f"- {what}: {measured:.2f} > {limit:.2f}  MISSED by {measured / limit - 1:.0%}"


def targets(network: str, n: dict) -> list[str]:
    b = n["barenet"]
    out = []

    def ratio(a, c):
        return a / c if a and c else None

    out.append(verdict(ratio(b, n["torch"]), 1.0, f"{network} barenet / torch tight loop"))
    if network == "N2":
        out.append(verdict(ratio(b, n["torch fused"]), 1.0, f"{network} barenet / torch fused Adam"))
    out.append(verdict(ratio(b, n["floor"]), FLOOR_TARGET[network], f"{network} barenet / GEMM floor"))
    cost = ratio(n["dropout"], b)
    out.append(verdict(cost - 1 if cost else None, DROPOUT_TARGET,
                       f"{network} dropout's share of an epoch (cost − 1)"))
    for name, seconds in n["augment"].items():
        cost = ratio(seconds, n["dropout"])
        out.append(verdict(cost - 1 if cost else None, AUGMENT_TARGET,
                           f"{network} {name}: augmentation's share of an epoch (vs barenet+dropout)"))
    cost = ratio(n["batchnorm"], b)
    if cost:
        out.append(verdict(cost - 1, BATCHNORM_TARGET, f"{network} BatchNorm's share of an epoch "
                           "(cost − 1; issue 12)"))
    out.append(verdict(ratio(n["infer"], n["floor infer"]), INFER_TARGET,
                       f"{network} inference / forward GEMM floor"))
    if network in MEMORY_TARGET_MB:
        out.append(verdict(n["peak"], MEMORY_TARGET_MB[network], f"{network} peak memory, MB"))
    return out


def header(args: argparse.Namespace, runs: list[dict], load_start: tuple) -> str:
    model = cpu_model()
    versions, blas = {}, []
    for run in runs:
        for r in run["results"].values():
            versions.update(r.get("info", {}).get("versions", {}))
            blas = blas or r.get("info", {}).get("blas", [])
    removed = {k: os.environ[k] for k in BLAS_ENV if k in os.environ}
    lines = [
        f"barenet speed, {time.strftime('%Y-%m-%d %H:%M')}, {model}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "versions: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
        + "".join(f", {peer} {'not run' if importlib.util.find_spec(peer) else 'missing'}"
                  for peer in ("torch", "sklearn") if peer not in versions),
        f"threads: {args.threads} (threadpoolctl; torch.set_num_threads); float32; seed {args.seed}",
        "epoch times: " + ("CPU seconds of the worker, all threads summed (--clock cpu), not wall time"
                           if args.clock == "cpu" else "wall seconds"),
        "BLAS (threadpoolctl, in the workers): " + "; ".join(
            f"{b['internal_api']} {b['version']} {b.get('architecture') or ''} "
            f"{b['num_threads']} threads ({Path(b['filepath']).name})" for b in blas),
        "workers' environment: " + (", ".join(f"{k}={v} removed" for k, v in removed.items())
                                   if removed else f"{' and '.join(BLAS_ENV)} not set"),
        f"load average at start {load_start[0]:.2f}, at end {os.getloadavg()[0]:.2f} "
        f"(1-minute; this machine has {os.cpu_count()} cores)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", default="N1,N2", help="comma-separated: N1, N2")
    parser.add_argument("--trainers", default=",".join(TRAINERS),
                        help=f"comma-separated, from: {', '.join(TRAINERS)}")
    parser.add_argument("--epochs", type=int, help="epochs per network (default N1 10, N2 5)")
    parser.add_argument("--sklearn-epochs", type=int, help="fewer epochs for scikit-learn")
    parser.add_argument("--quick", action="store_true", help="N1 3 epochs, N2 2, 2 inferences")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--infer-repeats", type=int)
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between turns")
    parser.add_argument("--profile", action="store_true",
                        help="also time each part of barenet's training step (where the time goes)")
    parser.add_argument("--json", help="also write every measurement to this file")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="epoch times as wall time (default) or as the worker's CPU time, all "
                        "threads summed: steadier on a machine others load, but not a wall time")
    parser.add_argument("--before", metavar="SRC",
                        help="also run barenet (and barenet+dropout) importing barenet from SRC, "
                        "e.g. a checkout of main: rows '… (before)' in the same run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.networks, args.threads, args.seed, args.clock)
        return 0
    networks = [n.strip() for n in args.networks.split(",") if n.strip()]
    names = [n.strip() for n in args.trainers.split(",") if n.strip()]
    for bad in [n for n in networks if n not in NETWORKS] + [n for n in names if n not in TRAINERS]:
        parser.error(f"unknown network or trainer {bad!r}")
    if args.before:
        if not (Path(args.before) / "barenet" / "nn").is_dir():
            parser.error(f"--before {args.before}: not a source directory holding barenet/nn")
        names += [n + BEFORE for n in ("barenet", "barenet+dropout") if n in names]
    env = {k: v for k, v in os.environ.items() if k not in BLAS_ENV}
    load_start = os.getloadavg()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for network in networks:
            runs.append(run_network(network, names, args, env, Path(tmp)))
    print(header(args, runs, load_start))
    verdicts = []
    for run in runs:
        text, numbers = table(run)
        print()
        print(text)
        verdicts += targets(run["network"], numbers)
    print()
    print("targets (issue 7):")
    print("\n".join(verdicts))
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
