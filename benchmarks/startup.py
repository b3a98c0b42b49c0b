"""Start-up time of the command line: `barenet --help`, `barenet --version`, `import barenet.data.idx`.

Each run is a fresh `python` process, as a user types it; the table gives the median, the
fastest and the slowest of N runs. With `--against DIR` (another commit's tree, e.g.
`mkdir /tmp/old && git archive <commit> src | tar -x -C /tmp/old`) the same commands run from
DIR/src too, interleaved with this tree's runs so that both see the same machine load, and the
table has both columns.

    python benchmarks/startup.py                      # this tree, 31 runs each
    python benchmarks/startup.py --against /tmp/old   # this tree beside another one
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "barenet --help": ["-m", "barenet", "--help"],
    "barenet --version": ["-m", "barenet", "--version"],
    "import barenet.data.idx": ["-c", "import barenet.data.idx"],
}


def wall_ms(tree: Path, args: list[str]) -> float:
    """Milliseconds of one fresh `python ARGS` with `tree/src` first on the path."""
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, cwd=tree, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--against", type=Path, help="another checkout to time beside this one")
    args = parser.parse_args()
    trees = {"this tree": ROOT, **({str(args.against): args.against} if args.against else {})}
    print(f"{'command':<26}" + "".join(f"{name:>36}" for name in trees))
    for label, command in COMMANDS.items():
        times: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                times[name].append(wall_ms(tree, command))
        cells = [f"{statistics.median(t):6.0f} ms (min {min(t):4.0f}, max {max(t):4.0f})"
                 for t in times.values()]
        print(f"{label:<26}" + "".join(f"{cell:>36}" for cell in cells))
    print(f"median of {args.runs} fresh processes each; python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
