"""Pinyin keys: the per-character table gives exactly what lazy_pinyin gives."""

import random

from pypinyin import Style, lazy_pinyin

from fangkong.core import pinyin
from fangkong.core.pinyin import pinyin_keys, search_key


def _common_characters() -> list[str]:
    # GB 2312 level 1: the 3 755 most common characters, where names are written.
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def _reference(text: str) -> tuple[str, str]:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


def test_it_reads_every_common_character_like_lazy_pinyin():
    chars = _common_characters()
    assert len(chars) > 3700
    for ch in chars:
        assert pinyin_keys(ch) == _reference(ch), ch


def test_it_reads_names_like_lazy_pinyin_phrases_included():
    chars = _common_characters()
    rng = random.Random(2020)
    names = ["".join(rng.choices(chars, k=rng.choice((2, 3, 4)))) for _ in range(3000)]
    # Names holding a dictionary phrase, read as the phrase: 长江 is changjiang, 重庆 chongqing.
    names += ["王长江", "李重庆", "张朝阳", "曾国藩", "单田芳", "解放", "王·小明", "A张三", "张3"]
    for name in names:
        assert pinyin_keys(name) == _reference(name), name


def test_most_names_take_the_table(monkeypatch):
    calls = []
    monkeypatch.setattr(pinyin, "_keys_slow", lambda text: calls.append(text) or ("", ""))
    names = ["张三", "李秀英", "王建国", "刘梓涵", "欧阳一诺", "赵伟"]
    for name in names:
        pinyin_keys(name)
    assert calls == []
    pinyin_keys("王长江")
    assert calls == ["王长江"]


def test_it_builds_the_search_key():
    assert search_key("张三") == "zhangsan zs"
    assert search_key("吕布") == "lvbu lb"
    assert search_key("辛店街道") == "xindianjiedao xdjd"
    assert search_key("") == " "
