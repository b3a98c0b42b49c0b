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


WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"  # CJK characters and full-width punctuation
CLOSING = set("，。；：、）」』》？！")  # marks that never start a line
OPENING = set("（「『《“")  # marks that never end one


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` terminal columns, broken at a space or between two
    Chinese characters (a closing mark such as ， or ） stays on the line before, an opening one
    such as （ goes to the line after); a word longer
    than a line is kept whole. For help texts in Chinese, which have few spaces to break at."""
    import re

    tokens = re.findall(rf"\s+|[{WIDE}]|[^\s{WIDE}]+", text)
    lines, line, space = [], "", False
    for token in tokens:
        if token.isspace():
            space = bool(line)
            continue
        candidate = line + (" " if space else "") + token
        if not line.strip("".join(OPENING)) or width(candidate) <= columns or token in CLOSING:
            line = candidate
        else:
            carried = line[-1] if line[-1] in OPENING else ""
            lines.append(line[: len(line) - len(carried)])
            line = carried + token
        space = False
    return [*lines, line] if line else lines
