"""The language barenet speaks: English, or Chinese to a Chinese locale, through gettext.

Every sentence the program shows a user is written in English inside `_("…")` (or
`ngettext(singular, plural, n)`), and looked up at run time in the message catalogues beside the
code: `barenet/locale/<lang>/LC_MESSAGES/*.mo`, compiled from the `.po` file of the same name
(`python -m barenet.i18n compile`, which needs Babel, a test tool). Each part of the program may
keep its own catalogue (`cli.po`, `exercises.po`, …); they are chained into one translation, so
two parts never edit the same file.

The language is chosen, first match wins, by
    `with speaking("zh"):`   (the command line's `--lang`; for the current thread only)
    `set_language("zh")`     (for the whole process)
    BARENET_LANG             ("zh", "zh_CN", "en", …)
    LC_ALL, LC_MESSAGES, LANG (the POSIX locale: "zh_CN.UTF-8" → Chinese)
and is English otherwise. Messages are looked up when `_` is called, not when a module is
imported, so a module-level constant that must be translated is wrapped at the place it is shown.
"""

from __future__ import annotations

import gettext
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: The languages barenet speaks: code -> the catalogue folder under LOCALE_DIR (None: the source).
LANGUAGES: dict[str, str | None] = {"en": None, "zh": "zh_CN"}

_chosen: str | None = None
_here = threading.local()  # speaking(): a language for the current thread only


def normalise(value: str | None) -> str | None:
    """"zh_CN.UTF-8", "zh-Hans", "ZH" -> "zh"; "en_US", "C", "POSIX" -> "en"; "" or None -> None."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code in ("c", "posix"):
        return "en"
    return code if code in LANGUAGES else None


def language() -> str:
    """The language in use: "en" or "zh" (see the module docstring for how it is chosen)."""
    pinned = getattr(_here, "lang", None)
    if pinned is not None:
        return pinned
    if _chosen is not None:
        return _chosen
    for variable in ("BARENET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:  # the first variable that is set decides, as POSIX says
            return normalise(value) or "en"
    return "en"


def set_language(lang: str | None) -> None:
    """Speak `lang` ("en", "zh", "zh_CN", …) from now on; None goes back to the environment."""
    global _chosen
    _chosen = None if lang is None else spoken(lang)


def spoken(lang: str) -> str:
    """"zh_CN" -> "zh": the code of a language barenet speaks; ValueError for any other."""
    code = normalise(lang)
    if code is None:
        raise ValueError(f"unknown language {lang!r}: barenet speaks {', '.join(LANGUAGES)}")
    return code


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Speak `lang` in this thread inside the block (None: as before), then as before it.

    Thread by thread, so that the drawing page's server answers in English (its page translates)
    while its console speaks the user's language.
    """
    before = getattr(_here, "lang", None)
    if lang is not None:
        _here.lang = spoken(lang)
    try:
        yield
    finally:
        _here.lang = before


@cache
def translation(lang: str) -> gettext.NullTranslations:
    """Every catalogue of `lang`, chained (English: the messages as written)."""
    folder = LANGUAGES.get(lang)
    if folder is None:
        return gettext.NullTranslations()
    catalogues = sorted((LOCALE_DIR / folder / "LC_MESSAGES").glob("*.mo"))
    chain = gettext.NullTranslations()
    for path in reversed(catalogues):
        with path.open("rb") as handle:
            link = gettext.GNUTranslations(handle)
        link.add_fallback(chain)
        chain = link
    return chain


def _(message: str) -> str:
    """`message` in the language in use (itself when no catalogue translates it)."""
    return translation(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for n, in the language in use."""
    return translation(language()).ngettext(singular, plural, n)


def compile_catalogues() -> list[Path]:
    """Compile every .po under LOCALE_DIR into the .mo beside it (Babel); return the .mo paths."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalogue)
        written.append(mo)
    return written


if __name__ == "__main__":  # python -m barenet.i18n compile
    if sys.argv[1:] != ["compile"]:
        sys.exit("usage: python -m barenet.i18n compile")
    for path in compile_catalogues():
        print(path.relative_to(LOCALE_DIR))
