import gettext
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries() -> dict[str, str]:
    """msgid -> msgstr of django.po (enough of the format for this check)."""
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            entries[f"<fuzzy {block[:60]}>"] = ""
        # Singular entries have msgstr; plural ones msgid_plural and msgstr[0] (zh: one form).
        match = re.search(
            r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?msgstr(?:\[0\])? ((?:".*"\n?)+)',
            block + "\n",
            re.M,
        )
        if match:
            msgid, msgstr = ("".join(re.findall(r'"(.*)"', g)) for g in match.groups())
            if msgid:
                entries[msgid] = msgstr
    return entries


def test_it_translates_every_message():
    entries = po_entries()
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []


def test_it_ships_a_compiled_catalogue_in_step_with_the_source():
    with open(CATALOGUE / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    entries = po_entries()
    stale = [m for m in entries if "\\" not in m and compiled.gettext(m) == m]
    assert stale == []


def test_it_speaks_chinese_by_default_whatever_the_browser_says(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_it_follows_a_chosen_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "登录" not in response.content.decode()
