"""The French interface: every catalogue entry translated, placeholders kept, French typography,
and French dates, times and numbers (docs/how-to/translation.md).

The .po files are read with a small parser of their own (no extra dependency): the catalogue is
the product here, so the tests read what translators edit, and check the compiled .mo files
Django reads against it.
"""

import ast
import datetime
import gettext
import re
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils import formats, translation

from articles import workflow
from articles.page_helpers import news_time

ROOT = Path(__file__).resolve().parent.parent
FRENCH_CATALOGUES = sorted(ROOT.glob("locale/fr*/LC_MESSAGES/*.po"))
NBSP = "\u00a0"

# printf-style (%(name)s, %(a).0f, %d, %s, %%), brace-style ({name}) and HTML tags.
NAMED = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACE = re.compile(r"\{[A-Za-z_]\w*\}")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def parse_po(path):
    """The entries of a .po file as dicts: msgid, msgid_plural, msgstr (a list), flags, line."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):  # obsolete entries are not used
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "line": number}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural_form:
                field = int(plural_form.group(1))
                entry["msgstr"][field] = value
            elif keyword == "msgstr":
                field = 0
                entry["msgstr"][0] = value
            else:
                field = keyword
                entry[keyword] = value
    finish()
    for entry in entries:
        entry["msgstr"] = [entry["msgstr"][k] for k in sorted(entry["msgstr"])]
    return entries


def messages(path):
    """The translatable entries (not the header)."""
    return [e for e in parse_po(path) if e["msgid"]]


def header(path):
    entry = next(e for e in parse_po(path) if e["msgid"] == "")
    fields = dict(line.split(": ", 1) for line in entry["msgstr"][0].splitlines() if ": " in line)
    return entry, fields


def placeholders(text):
    """What a translation must keep: names and tags as sets, unnamed ones as counts."""
    return {
        "named": set(NAMED.findall(text)),
        "positional": Counter(POSITIONAL.findall(text)),
        "brace": set(BRACE.findall(text)),
        "tags": Counter(TAG.findall(text)),
    }


def placeholder_problems(entry):
    """Sentences saying how each msgstr's placeholders differ from its msgid's."""
    problems = []
    for source_text, translation_text in zip(
        [entry["msgid"]] + [entry.get("msgid_plural", entry["msgid"])] * 9,
        entry["msgstr"],
        strict=False,  # as many sources as there are plural forms
    ):
        if not translation_text:
            continue
        wanted, found = placeholders(source_text), placeholders(translation_text)
        if wanted != found:
            problems.append(f"{entry['msgid']!r}: keeps {found}, should keep {wanted}")
    return problems


def typography_problems(text):
    """Where a French sentence breaks the rules: a no-break space (U+00A0) before : ; ! ? »
    and after «, and « » rather than English quotes. Placeholders, tags and addresses
    (``?p=``, ``/story/…/``) are left out, as is punctuation glued to a word (a URL)."""
    stripped = TAG.sub(" ", BRACE.sub("X", NAMED.sub("X", POSITIONAL.sub("X", text))))
    problems = []
    # : ; ! ? count as punctuation when a space, the end or a closing mark follows them (not
    # in "?p="); » always does.
    for match in re.finditer(r"(.)(»|[:;!?](?=\s|$|»|\)))", stripped):
        before, mark = match.groups()
        if before != NBSP:
            problems.append(f"no no-break space before {mark!r} in {text!r}")
    for match in re.finditer(r"«(.)", stripped):
        if match.group(1) != NBSP:
            problems.append(f"no no-break space after '«' in {text!r}")
    for quote in '“”"':
        if quote in stripped:
            problems.append(f"English quotation mark {quote!r} in {text!r}: use « »")
    if "\u202f" in text:
        problems.append(f"narrow no-break space in {text!r}: the catalogue uses U+00A0")
    return problems


def test_there_is_a_french_catalogue():
    """The French catalogue exists where LOCALE_PATHS finds it."""
    assert [p.relative_to(ROOT).as_posix() for p in FRENCH_CATALOGUES] == [
        "locale/fr_CA/LC_MESSAGES/django.po"
    ]


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_french_entry_is_translated_and_none_is_fuzzy(path):
    """An empty or fuzzy msgstr would show English (or nothing) to a French reader."""
    untranslated = [
        f"line {e['line']}: {e['msgid']!r}"
        for e in messages(path)
        if "fuzzy" in e["flags"]
        or not all(e["msgstr"])
        or len(e["msgstr"]) != (2 if "msgid_plural" in e else 1)
    ]
    assert not untranslated, f"{len(untranslated)} entries to translate:\n" + "\n".join(
        untranslated[:40]
    )


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_french_catalogue_header_names_the_language_and_its_plural_rule(path):
    """French uses the singular for 0 and 1; a fuzzy header would be dropped by msgfmt."""
    entry, fields = header(path)
    assert "fuzzy" not in entry["flags"]
    assert fields["Language"] == "fr_CA"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert fields["Project-Id-Version"] == "Newsroom"


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_translation_keeps_the_placeholders_and_tags_of_its_source(path):
    """A lost or renamed placeholder is a KeyError (a 500) or a missing name in the page."""
    problems = [p for e in messages(path) for p in placeholder_problems(e)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_french_translations_follow_french_typography(path):
    """A no-break space before : ; ! ? » and after «, so no line starts with a colon."""
    problems = [p for e in messages(path) for s in e["msgstr"] for p in typography_problems(s)]
    assert not problems, "\n".join(problems[:40])


def test_the_checks_catch_a_lost_placeholder_and_plain_spaces():
    """The checkers themselves: what they must refuse, and what they must let through."""
    bad = {"msgid": "Saved by %(who)s: <b>%s</b>", "msgstr": ["Enregistré par %(qui)s : %s"]}
    assert len(placeholder_problems(bad)) == 1
    assert typography_problems("Aperçu : « titre »")  # plain spaces
    assert typography_problems("Aperçu: titre")  # no space at all
    assert typography_problems("Il a dit “bonjour”")
    assert not typography_problems(f"Aperçu{NBSP}: «{NBSP}%(story)s{NBSP}»")
    assert not typography_problems("anciens identifiants de billets ?p=")
    assert typography_problems("son texte («\u00a0%(value)s »)")


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_compiled_catalogue_matches_its_source(path):
    """Django reads the .mo, which scripts/_env.sh compiles from the .po."""
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), (
        f"{compiled.relative_to(ROOT)} is missing: run `source scripts/_env.sh` "
        "(needs GNU gettext: apt-get install gettext)"
    )
    with compiled.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    stale = []
    for e in messages(path):
        if "msgid_plural" in e:
            got = [catalogue.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            if catalogue.ngettext(e["msgid"], e["msgid_plural"], 0) != e["msgstr"][0]:
                stale.append(f"{e['msgid']!r} for 0 is not the singular")
        elif "msgctxt" in e:  # the addresses' words (articles/urls.py) have a context
            got = [catalogue.pgettext(e["msgctxt"], e["msgid"])]
        else:
            got = [catalogue.gettext(e["msgid"])]
        if got != e["msgstr"]:
            stale.append(e["msgid"])
    assert not stale, (
        f"{compiled.relative_to(ROOT)} is older than its .po ({len(stale)} entries differ): "
        "run `source scripts/_env.sh`"
    )


def test_django_serves_the_french_catalogue_for_fr_ca():
    """Under fr-ca the desk and the site speak French; English stays the default."""
    with translation.override("fr-ca"):
        assert translation.gettext("Today's desk") == "Le pupitre du jour"
        assert (
            translation.ngettext("%(n)s story found.", "%(n)s stories found.", 0) % {"n": 0}
            == "0 article trouvé."
        )
    with translation.override("en-ca"):
        assert translation.gettext("Today's desk") == "Today's desk"


MOMENT = datetime.datetime(2026, 1, 6, 9, 30, tzinfo=zoneinfo.ZoneInfo("America/Toronto"))


def test_french_dates_times_and_numbers():
    """ "6 janvier 2026", "9 h 30" and "1 234", "4,2" (no-break spaces in times and numbers)."""
    with translation.override("fr-ca"):
        assert formats.date_format(MOMENT, "DATE_FORMAT") == "6 janvier 2026"
        assert formats.date_format(MOMENT, "TIME_FORMAT") == f"9{NBSP}h{NBSP}30"
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == f"6 janvier 2026, 9{NBSP}h{NBSP}30"
        assert intcomma(1234) == f"1{NBSP}234"
        assert intcomma(1234567) == f"1{NBSP}234{NBSP}567"
        assert floatformat(4.2, 1) == "4,2"
        assert formats.number_format(4.2, 1) == "4,2"


def test_english_dates_times_and_numbers_are_unchanged():
    """Canadian Press style stays as it was for English."""
    with translation.override("en-ca"):
        assert formats.date_format(MOMENT, "DATE_FORMAT") == "January 6, 2026"
        assert formats.date_format(MOMENT, "TIME_FORMAT") == "9:30 a.m."
        assert intcomma(1234) == "1,234"
        assert floatformat(4.2, 1) == "4.2"


def test_translated_date_format_strings_give_french_dates():
    """The catalogue's Django date formats ("g:i a l, F j"…) are valid French formats."""
    with translation.override("fr-ca"):
        assert workflow.when_phrase(MOMENT, now=MOMENT) == f"mardi 6 janvier à 9{NBSP}h{NBSP}30"
        assert (
            workflow.when_phrase(MOMENT, now=MOMENT.replace(year=2025))
            == f"mardi 6 janvier 2026 à 9{NBSP}h{NBSP}30"
        )
        assert formats.date_format(MOMENT, translation.gettext("N j, Y")) == "6 jan. 2026"


def test_story_times_on_readers_pages_are_french_under_fr_ca():
    """The time on a story card and page follows the page's language, not English style."""
    with translation.override("fr-ca"):
        assert f">6 jan. 2026 à 9{NBSP}h{NBSP}30</time>" in news_time(MOMENT)
    with translation.override("en-ca"):
        assert ">Jan. 6, 2026, 9:30 a.m.</time>" in news_time(MOMENT)
