"""Every public French page is French: none of the interface strings its English counterpart
shows is left in English (the page's content aside)."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_translations import messages

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/fr_CA/LC_MESSAGES/django.po"
# The switcher names each language in itself ("English" on a French page, marked lang="en").
OWN_LANGUAGE_NAMES = {"English"}
ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "content", "value", "label"}


class Segments(HTMLParser):
    """The text nodes and readable attribute values of a page, stripped."""

    def __init__(self):
        super().__init__()
        self.found, self._skip = set(), 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in ATTRIBUTES or name.startswith("data-text")):
                self.found.add(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.found.add(" ".join(data.split()))


def segments(html):
    parser = Segments()
    parser.feed(html)
    return parser.found


def interface_strings():
    """The catalogue's plain sentences and words (no placeholders), translated differently."""
    return {
        e["msgid"]
        for e in messages(CATALOGUE)
        if "msgid_plural" not in e
        and "%" not in e["msgid"]
        and "<" not in e["msgid"]
        and e["msgstr"][0] != e["msgid"]
        and e["msgid"] not in OWN_LANGUAGE_NAMES
    }


def test_no_french_page_shows_an_english_interface_string(client, pair):
    """For each page type, the English strings found on the English page are not on the
    French one (and the English page does show some, so the check is not empty)."""
    english, french = pair
    french_tag = french.tags.get().slug
    english_tag = english.tags.get().slug
    page_types = [
        ("/", "/fr/"),
        (english.get_absolute_url(), french.get_absolute_url()),
        ("/section/politics/", "/fr/rubrique/politique/"),
        (f"/tag/{english_tag}/", f"/fr/mot-cle/{french_tag}/"),
        ("/author/jeanne-roy/", "/fr/auteur/jeanne-roy/"),
        ("/search/", "/fr/recherche/"),
        ("/search/?q=budget", "/fr/recherche/?q=budget"),
        ("/search/?q=zzzz", "/fr/recherche/?q=zzzz"),
        ("/about/", "/fr/a-propos/"),
        ("/no-such-page/", "/fr/pas-de-page/"),
    ]
    interface = interface_strings()
    for en, fr in page_types:
        shown = segments(client.get(en).content.decode()) & interface
        assert shown, f"{en} shows no interface string: the check would be empty"
        left = segments(client.get(fr).content.decode()) & shown
        assert not left, f"{fr} shows English interface strings: {sorted(left)}"
