"""Pinyin search keys: "辛店街道" -> ("xindianjiedao", "xdjd")."""

from pypinyin import Style, lazy_pinyin


def pinyin_keys(text: str) -> tuple[str, str]:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials


def search_key(text: str) -> str:
    """One string holding full pinyin and initials, for a `contains` search."""
    full, initials = pinyin_keys(text)
    return f"{full} {initials}"
