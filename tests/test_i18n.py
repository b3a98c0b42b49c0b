"""The language switch and the message catalogues: complete, compiled, chosen by the locale."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from barenet import i18n

SRC = Path(__file__).resolve().parents[1] / "src" / "barenet"


def messages_in_source() -> dict[str, str]:
    """Every literal passed to _() or ngettext() in src/ -> where it is (file:line)."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("_", "ngettext"):
                for arg in node.args[: 2 if node.func.id == "ngettext" else 1]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def messages(translation: gettext.GNUTranslations) -> dict:
    """A compiled catalogue's messages, without its header (which records when it was written)."""
    return {key: value for key, value in translation._catalog.items() if key != ""}


def catalogues() -> list[Path]:
    return sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def test_every_message_in_the_source_has_a_chinese_translation():
    translated = set()
    for po in catalogues():
        with po.open("rb") as handle:
            for m in read_po(handle):
                if m.id and m.string and not m.fuzzy:  # a plural message: (singular, plural)
                    translated |= {m.id} if isinstance(m.id, str) else set(m.id)
    missing = {message: where for message, where in messages_in_source().items()
               if message not in translated}
    assert not missing, f"messages without a Chinese translation (add them to a .po): {missing}"


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.name)
def test_each_compiled_catalogue_is_its_po_compiled(po, tmp_path):
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    fresh = tmp_path / "fresh.mo"
    with fresh.open("wb") as handle:
        write_mo(handle, catalogue)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.name} missing: run python -m barenet.i18n compile"
    with fresh.open("rb") as a, mo.open("rb") as b:
        expected, found = (messages(gettext.GNUTranslations(f)) for f in (a, b))
    assert found == expected, f"{mo.name} is older than {po.name}: run python -m barenet.i18n compile"


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
    ({"LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "BARENET_LANG": "en"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
])
def test_the_language_follows_the_environment(monkeypatch, env, expected):
    for variable in ("BARENET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    assert i18n.language() == expected


def test_set_language_wins_over_the_environment_and_translates(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    try:
        i18n.set_language("zh")
        assert i18n.language() == "zh"
        assert i18n._("interrupted") == "已中断"
        assert i18n._("a sentence no catalogue holds") == "a sentence no catalogue holds"
    finally:
        i18n.set_language(None)
    assert i18n._("interrupted") == "interrupted"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("klingon")
