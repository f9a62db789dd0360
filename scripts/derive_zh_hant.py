"""Derive the zh_Hant catalogue from zh_Hans with OpenCC (s2twp), a development step.

.venv/bin/pip install -e ".[dev]"
.venv/bin/python scripts/derive_zh_hant.py
cd src/fangkong && ../../.venv/bin/fangkong compilemessages
"""

import sys
from pathlib import Path

import polib
from opencc import OpenCC

LOCALE = Path(__file__).resolve().parent.parent / "src" / "fangkong" / "locale"
cc = OpenCC("s2twp")
args = sys.argv[1:] or [
    str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"),
    str(LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"),
]
src, dst = polib.pofile(args[0]), args[1]
for entry in src:
    if entry.msgstr:
        entry.msgstr = cc.convert(entry.msgstr)
    if entry.msgstr_plural:
        entry.msgstr_plural = {k: cc.convert(v) for k, v in entry.msgstr_plural.items()}
src.metadata["Language"] = "zh_Hant"
src.header = (
    src.header.replace("Simplified Chinese", "Traditional Chinese")
    + "\nDerived from zh_Hans with OpenCC (s2twp); edit zh_Hans and derive again."
)
src.save(dst)
