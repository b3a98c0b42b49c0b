"""The Chinese pages use one word per concept and Chinese typography.

The pages are README.zh-CN.md and every .md under a `zh-CN/` folder. Their prose (code blocks,
inline code, formulas, link targets and HTML tags left out) must not use the words the glossary
lists as aliases: one concept, one word (docs/zh-CN/glossary.md says which, and why). The
glossary itself names the aliases in its "英文" and "别的叫法" columns and in quotes (“迭代周期”):
those are left out of its check, not the rest of it. 证明 means a mathematical proof; a numerical check is
检验 or 验证. Typography: “…” quotes, no space before %, full-width punctuation next to Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: alias → the word the Chinese pages use instead (see docs/zh-CN/glossary.md).
ALIASES = {
    "批次": "小批量",
    "批大小": "批量大小",
    "批归一化": "批量规范化",
    "批标准化": "批量规范化",
    "随机失活": "暂退法",
    "数据增强": "图像增广",
    "显著性图": "显著图",
    "预激活值": "带权输入",
    "激活前的值": "带权输入",
    "迭代周期": "轮",
    "梯度确认": "梯度检验",
    "误差反向传播法": "反向传播",
    "权值衰减": "权重衰减",
}
#: "epoch" as a Chinese word (个 epoch, 每个 epoch, epoch 数): use 轮.
EPOCH = re.compile(r"(?<![\w-])epochs?(?![\w-])")
PROOF = re.compile(r"证明")
PROOF_ALLOWED = re.compile(r"数学证明")
CJK = r"[\u4e00-\u9fff]"


def chinese_pages() -> list[Path]:
    pages = [REPO / "README.zh-CN.md"] if (REPO / "README.zh-CN.md").is_file() else []
    return pages + sorted(p for p in (REPO / "docs").rglob("*.md") if "zh-CN" in p.parts)


def prose(text: str) -> str:
    """The text a reader reads as Chinese prose: code, formulas, link targets and tags removed."""
    text = re.sub(r"^(```|~~~).*?^\1", " ", text, flags=re.M | re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", " ", text)


def without_alias_columns(text: str) -> str:
    """The glossary without its table columns 2 and 3 (英文, 别的叫法), which name the aliases."""
    lines = []
    for line in text.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) >= 7:
            cells = cells[:2] + cells[4:]
        lines.append("|".join(cells))
    return "\n".join(lines)


def page_prose(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    if page.name == "glossary.md":
        text = without_alias_columns(text)
        text = "\n".join(line for line in text.splitlines() if not line.startswith("- **"))
        text = re.sub(r"“[^”]*”", " ", text)  # a word in quotes is named, not used
    return prose(text)


PAGES = chinese_pages()
IDS = [p.relative_to(REPO).as_posix() for p in PAGES]


def test_the_pages_are_found():
    assert {"README.zh-CN.md", "docs/zh-CN/glossary.md", "docs/zh-CN/math.md"} <= set(IDS)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_one_word_per_concept(page):
    text = page_prose(page)
    found = [f"{alias} (use {word})" for alias, word in ALIASES.items() if alias in text]
    found += [f"{m.group(0)!r} (use 轮)" for m in EPOCH.finditer(text)
              if not text[max(0, m.start() - 2):m.start()].endswith(("轮（", "（"))]
    assert not found, f"{IDS[PAGES.index(page)]}: {found}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_proof_only_for_proofs(page):
    text = PROOF_ALLOWED.sub("", page_prose(page))
    lines = [line.strip()[:60] for line in text.splitlines() if PROOF.search(line)]
    assert not lines, f"证明 for a numerical check (say 检验 or 验证): {lines}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_chinese_typography(page):
    text = prose(page.read_text(encoding="utf-8"))
    problems = []
    for line in text.splitlines():
        if not re.search(CJK, line):
            continue
        if re.search(r"\"", line):
            problems.append(f"straight quotes, use “…”: {line.strip()[:50]}")
        if re.search(r"[「」]", line):
            problems.append(f"corner brackets, use “…”: {line.strip()[:50]}")
        if re.search(r"\d %", line):
            problems.append(f"space before %: {line.strip()[:50]}")
        if re.search(rf"{CJK}[,;:!?]|[,;:!?]{CJK}|{CJK}\(|\){CJK}", line):
            problems.append(f"half-width punctuation next to Chinese: {line.strip()[:50]}")
    assert not problems, problems


def test_the_checks_can_fail():
    bad = '梯度检验证明了它是对的，每个 epoch 都打乱"批次"，准确率 99.2 %，见(第 3 章)'
    assert EPOCH.search(prose(bad)) and PROOF.search(bad) and "批次" in prose(bad)
    assert re.search(r"\d %", bad) and re.search(rf"{CJK}\(", bad)
    assert prose("见 `批次` 和 $\\epsilon$") .strip() == "见   和"
    table = "| 小批量 | mini-batch | 批次、batch | `fit` | 一次更新用的样本 |"
    assert "批次" not in without_alias_columns(table) and "小批量" in without_alias_columns(table)


def test_the_glossary_names_every_alias():
    glossary = (REPO / "docs/zh-CN/glossary.md").read_text(encoding="utf-8")
    missing = [alias for alias in ALIASES if alias not in glossary]
    assert not missing, f"aliases the glossary does not list: {missing}"
