"""Content languages: BCP 47 tags such as nl, en, de, ar, zh-CN, pt-BR (pure functions).

The UI speaks only nl and en, but content may be in any language: a tag is recognised when
CLDR (through babel) knows its primary language, and stored in its canonical case
(language lower-case, script title-case, region upper-case).
"""

import re

from babel import localedata

_TAG = re.compile(r"^([A-Za-z]{2,3})((?:[-_][A-Za-z0-9]{2,8})*)$")
# Folder names that are tried as languages: "nl", "zh-cn", "pt_BR"; "img" or "src" are not.
_FOLDER_TAG = re.compile(r"^[A-Za-z]{2}(?:[-_](?:[A-Za-z]{2}|[A-Za-z]{4}|\d{3}))*$")
RTL = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})


def normalise(value) -> str | None:
    """Return the canonical BCP 47 tag for value, or None when it is no known language."""
    if not isinstance(value, str):
        return None
    match = _TAG.match(value.strip())
    if not match:
        return None
    primary = match[1].lower()
    if not localedata.exists(primary):
        return None
    parts = [primary]
    for subtag in filter(None, re.split(r"[-_]", match[2])):
        if len(subtag) == 4 and subtag.isalpha():
            parts.append(subtag.title())
        elif len(subtag) == 2 and subtag.isalpha() or len(subtag) == 3 and subtag.isdigit():
            parts.append(subtag.upper())
        else:
            parts.append(subtag.lower())
    return "-".join(parts)


def looks_like_folder_language(name: str) -> bool:
    """A folder named like a language tag (two letters, maybe a region): worth a warning when
    it is not one, where 'images' or 'episodes' are just folders."""
    return bool(_FOLDER_TAG.match(name))


def direction(tag: str) -> str:
    """'rtl' for right-to-left scripts (Arabic, Hebrew, Persian, Urdu, ...), else 'ltr'."""
    return "rtl" if tag.split("-")[0].lower() in RTL else "ltr"


def slug_suffix(tag: str) -> str:
    """The part a module slug gets for its language: 'zh-CN' -> 'zh-cn'."""
    return tag.lower()
