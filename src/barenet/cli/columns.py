"""Text tables that line up on a terminal, where a Chinese character takes two columns."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """The columns `text` takes on a terminal: two for each wide (CJK) character, else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def left(text: str, columns: int) -> str:
    """`text` padded with spaces on the right to `columns` terminal columns."""
    return text + " " * max(columns - width(text), 0)


def right(text: str, columns: int) -> str:
    """`text` padded with spaces on the left to `columns` terminal columns."""
    return " " * max(columns - width(text), 0) + text
