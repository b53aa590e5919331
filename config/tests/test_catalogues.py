"""Every shipped catalogue is complete, compiled and keeps the placeholders of its English text."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))

# What must come through a translation unchanged: Python and brace placeholders, HTML tags.
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdfi]|%[sdfi]|\{[A-Za-z_]*\}|</?[a-z][^>]*>")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], text)


def read_catalogue(path: Path) -> list[dict]:
    """The live entries of a .po file (obsolete ``#~`` ones left out), header included.

    Each entry maps ``msgid``, ``msgid_plural``, ``msgctxt`` and ``msgstr`` or ``msgstr[N]`` to
    its text, and ``flags`` to the set of its ``#,`` flags.
    """
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            key = match.group(1)
            entry[key] = _unquote(match.group(2))
        else:
            entry[key] += _unquote(line.strip()[1:-1])
    return entries


def _translations(entry: dict) -> dict[str, str]:
    return {key: text for key, text in entry.items() if key.startswith("msgstr")}


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _messages(path: Path) -> list[dict]:
    return [entry for entry in read_catalogue(path) if entry["msgid"]]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_catalogue_is_complete_and_nothing_is_fuzzy(path):
    untranslated = [entry["msgid"] for entry in _messages(path) if not all(_translations(entry).values())]
    fuzzy = [entry["msgid"] for entry in read_catalogue(path) if "fuzzy" in entry["flags"]]

    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_translations_keep_the_placeholders_and_tags_of_their_english_text(path):
    mismatches = []
    for entry in _messages(path):
        for key, text in _translations(entry).items():
            # A plural's forms carry the placeholders of the plural English text; the "one" form
            # may also follow the singular one.
            sources = [entry["msgid"]] if "msgid_plural" not in entry else [entry["msgid_plural"], entry["msgid"]]
            if not any(_placeholders(text) == _placeholders(source) for source in sources):
                mismatches.append((entry["msgid"], key, text))

    assert mismatches == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_header_names_the_language_and_its_plural_forms(path):
    language = path.parts[-3]
    header = dict(line.split(": ", 1) for line in read_catalogue(path)[0]["msgstr"].splitlines() if ": " in line)
    expected_plural = "nplurals=2; plural=(n > 1);" if language == "fr" else "nplurals=2; plural=(n != 1);"

    assert header["Language"] == language
    assert header["Plural-Forms"] == expected_plural
    plurals = [entry for entry in _messages(path) if "msgid_plural" in entry]
    assert [sorted(_translations(entry)) for entry in plurals] == [["msgstr[0]", "msgstr[1]"]] * len(plurals)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_compiled_catalogue_matches_its_source(path):
    with path.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in _messages(path):
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            expected |= {(msgid, int(key[7:-1])): text for key, text in _translations(entry).items()}
        else:
            expected[msgid] = entry["msgstr"]

    assert {key: text for key, text in catalogue.items() if key != ""} == expected


def test_every_site_language_but_english_ships_a_catalogue():
    shipped = {path.parts[-3] for path in CATALOGUES}

    assert shipped == {code for code, _name in settings.LANGUAGES if code != "en"} == {"fr", "pt", "es"}


# What the catalogues are gathered from: the project's own code and templates, never what is installed.
SOURCES_IGNORED = (".git", ".venv", "node_modules", "staticfiles", "vendor", "media", "locale", "__pycache__")


def _keys(path: Path) -> set[tuple[str, str]]:
    return {(entry.get("msgctxt", ""), entry["msgid"]) for entry in _messages(path)}


def test_the_catalogues_hold_every_message_of_the_code_and_templates(tmp_path, monkeypatch):
    """Gather the messages afresh (``makemessages`` over a copy of the sources): a string added to
    a page without a catalogue entry, or an entry whose text left the code, fails here."""
    import shutil

    from django.core.management import call_command

    copy = tmp_path / "sources"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*SOURCES_IGNORED))
    monkeypatch.chdir(copy)
    gathered = copy / "gathered"
    gathered.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "LOCALE_PATHS", [gathered])
        call_command("makemessages", locale=["fr"], verbosity=0, no_obsolete=True)

    fresh = _keys(gathered / "fr" / "LC_MESSAGES" / "django.po")
    for path in CATALOGUES:
        shipped = _keys(path)
        assert (path.parts[-3], sorted(fresh - shipped)) == (path.parts[-3], [])
        assert (path.parts[-3], sorted(shipped - fresh)) == (path.parts[-3], [])
