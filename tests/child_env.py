"""The environment for a child process (a script, a notebook kernel) that must import this barenet.

`PYTHONPATH` starts with this checkout's src/ and keeps the parent's entries, made absolute, so
that the child finds the same code from any working directory (pytest is often run with the
relative `PYTHONPATH=src`).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child_env(**extra: str) -> dict[str, str]:
    """os.environ with an absolute PYTHONPATH led by REPO/src, MPLBACKEND=Agg, plus `extra`."""
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    paths = [str(REPO / "src"), *(str(Path(p).resolve()) for p in inherited)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)), "MPLBACKEND": "Agg",
            **extra}
