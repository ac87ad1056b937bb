"""Chinese first: every string of the UI has a Simplified Chinese translation, and the compiled
catalogue the app loads (.mo) says the same as the source (.po)."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR, "locale/zh_Hans/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")


def read_po(path: Path) -> list[dict]:
    """A small reader for what makemessages writes: msgctxt, msgid, msgid_plural, msgstr[n], flags."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


def test_every_message_has_a_chinese_translation():
    entries = read_po(PO)
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(PO):
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        expected = entry.get("msgstr", entry.get("msgstr[0]"))
        if "msgid_plural" in entry:
            got = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            if "msgctxt" in entry:
                got = catalogue.npgettext(entry["msgctxt"], entry["msgid"], entry["msgid_plural"], 1)
        else:
            got = catalogue.gettext(msgid)
        if got != expected:
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages`: the .mo is older than the .po"
