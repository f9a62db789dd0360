"""Pinyin search keys: "辛店街道" -> ("xindianjiedao", "xdjd").

The keys are exactly what `lazy_pinyin(text, style=Style.NORMAL, errors="ignore")` gives, only
faster for the common case. pypinyin segments a text into the phrases of its dictionary
(forward maximum matching) and reads a phrase with the phrase's own readings (长江 is
"changjiang"); a character outside any phrase gets its most common reading. So when no run of
two or more characters of a text is a dictionary phrase, lazy_pinyin reads it character by
character, and those readings come from a per-character table filled lazily from pypinyin
(about 2 µs for a name instead of about 60 µs). Texts that contain a phrase (王长江), or a
character the table cannot answer alone (letters, digits, punctuation, rare characters), go
through lazy_pinyin itself, cached. Person names are two to four characters and rarely hold a
dictionary phrase, so nearly all take the table.
"""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Character -> (reading, initial), or None when lazy_pinyin must read the whole text.
_CHARS: dict[str, tuple[str, str] | None] = {}
_UNKNOWN = object()


def _char(ch: str) -> tuple[str, str] | None:
    entry = None
    if _HAN.fullmatch(ch):
        syllables = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
        if len(syllables) == 1 and syllables[0].isalpha():
            reading = syllables[0].lower()
            entry = (reading, reading[0])
    _CHARS[ch] = entry
    return entry


def _has_phrase(text: str) -> bool:
    size = len(text)
    for start in range(size - 1):
        for end in range(start + 2, size + 1):
            if text[start:end] in PHRASES_DICT:
                return True
    return False


@lru_cache(maxsize=16384)
def _keys_slow(text: str) -> tuple[str, str]:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials


def pinyin_keys(text: str) -> tuple[str, str]:
    # Longer texts (area names, addresses) are few; the quadratic phrase check is for names.
    if len(text) <= 8 and not _has_phrase(text):
        full = []
        initials = []
        for ch in text:
            entry = _CHARS.get(ch, _UNKNOWN)
            if entry is _UNKNOWN:
                entry = _char(ch)
            if entry is None:
                break
            full.append(entry[0])
            initials.append(entry[1])
        else:
            return "".join(full), "".join(initials)
    return _keys_slow(text)


def search_key(text: str) -> str:
    """One string holding full pinyin and initials, for a `contains` search."""
    full, initials = pinyin_keys(text)
    return f"{full} {initials}"
