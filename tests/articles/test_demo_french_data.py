"""French demo data: the English modules' shape, placeholders the filler knows, typography."""

import re
import string

import pytest
from django.utils.text import slugify

from demo import fr
from demo import shapes as en_shapes
from demo import topics as en_topics
from demo.fr import shapes as fr_shapes
from demo.fr import topics as fr_topics

NO_BREAK = "\u00a0\u202f"  # a no-break space or a narrow one
PROVINCE_SLOTS = {"province", "en_province", "de_province"}
PLACE_SLOTS = {"place", "de_place"}


def _texts(value):
    """Every string inside a piece of data (tuples, lists, dicts' values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _module_data(module):
    return {name: value for name, value in vars(module).items() if name.isupper()}


def _french_texts():
    """(where, text) for every string the French modules hold, HTML tags removed."""
    for module in (fr_topics, fr_shapes):
        for name, value in _module_data(module).items():
            for text in _texts(value):
                yield f"{module.__name__}.{name}", re.sub(r"<[^>]+>", "", text)


def _slots(text):
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _headlines(shapes):
    return [shape[0] for label_shapes in shapes.values() for shape in label_shapes]


def test_french_modules_have_every_name_of_the_english_ones():
    """Each English data name exists in the French module (the generator swaps modules)."""
    assert set(_module_data(en_topics)) <= set(_module_data(fr_topics))
    assert set(_module_data(en_shapes)) <= set(_module_data(fr_shapes))


def test_french_topics_have_the_english_labels_and_keys():
    """Same topic labels in the same order, with the same keys, so stories pair by topic."""
    assert [t["label"] for t in fr_topics.TOPICS] == [t["label"] for t in en_topics.TOPICS]
    for french, english in zip(fr_topics.TOPICS, en_topics.TOPICS, strict=True):
        assert french.keys() == english.keys()
        for key in ("tags", "headlines", "standfirsts", "facts", "quotes", "subheads"):
            assert len(french[key]) == len(english[key]), (french["label"], key)
    assert fr_topics.PHOTO_CAPTIONS.keys() == en_topics.PHOTO_CAPTIONS.keys()


def test_french_sections_pair_with_the_english_sections():
    """Seven sections with French names and slugs; a topic sits in the matching section."""
    assert len(fr_topics.SECTIONS) == len(en_topics.SECTIONS)
    slugs = [slug for _, slug, _ in fr_topics.SECTIONS]
    assert slugs == [
        "canada",
        "politique",
        "economie",
        "international",
        "sports",
        "arts",
        "opinion",
    ]
    assert all(slug == slugify(slug) for slug in slugs)
    french_of = dict(zip([s for _, s, _ in en_topics.SECTIONS], slugs, strict=True))
    for french, english in zip(fr_topics.TOPICS, en_topics.TOPICS, strict=True):
        assert french["section"] == french_of[english["section"]], french["label"]
    assert set(fr_topics.BEATS) == set(slugs)


def test_every_topic_has_as_many_french_shapes_as_english_ones():
    """Original and translated shapes: the English count per topic, valid photos, one opinion."""
    for shapes in (fr_shapes.SHAPES, fr_shapes.TRANSLATED_SHAPES):
        assert shapes.keys() == en_shapes.SHAPES.keys()
        for label, english in en_shapes.SHAPES.items():
            assert len(shapes[label]) == len(english), label
            for shape in shapes[label]:
                assert 0 <= shape[2] < len(fr_shapes.PHOTOS[label]), (label, shape[0])
            opinions = [bool(shape[3:] and shape[3]) for shape in shapes[label]]
            assert opinions == [bool(shape[3:] and shape[3]) for shape in english], label


def test_a_translated_shape_keeps_the_english_photo_and_facts():
    """French shape i keeps English shape i's photo, place, province and numbers."""
    for label, english in en_shapes.SHAPES.items():
        for (en_head, en_stand, en_photo, *_), (fr_head, fr_stand, fr_photo, *_) in zip(
            english, fr_shapes.TRANSLATED_SHAPES[label], strict=True
        ):
            assert fr_photo == en_photo, fr_head
            en_slots = _slots(en_head + en_stand)
            fr_slots = _slots(fr_head + fr_stand)
            assert bool(en_slots & {"place"}) == bool(fr_slots & PLACE_SLOTS), fr_head
            assert bool(en_slots & {"province"}) == bool(fr_slots & PROVINCE_SLOTS), fr_head
            assert en_slots & {"n", "pct", "money"} == fr_slots & {"n", "pct", "money"}, fr_head
            # A headline's place, province or number is what makes a retelling differ.
            assert bool(_slots(en_head)) == bool(_slots(fr_head)), fr_head


def test_french_photos_are_the_english_images_with_french_captions():
    """Same compositions in the same order (the image is shared), captions in French."""
    assert fr_shapes.PHOTOS.keys() == en_shapes.PHOTOS.keys()
    for label, english in en_shapes.PHOTOS.items():
        french = fr_shapes.PHOTOS[label]
        assert [kind for _, kind in french] == [kind for _, kind in english], label
        for (fr_caption, _), (en_caption, _) in zip(french, english, strict=True):
            assert fr_caption != en_caption


def test_every_placeholder_in_french_text_is_one_the_filler_fills():
    """No French text asks for a field the French filler does not provide."""
    known = set(fr.PLACEHOLDERS)
    for where, text in _french_texts():
        allowed = known | set(fr.BODY_PLACEHOLDERS) if where.endswith(".BODY") else known
        assert _slots(text) <= allowed, (where, text)
    assert set(fr.PLACEHOLDERS) >= {"place", "province", "n", "pct", "money"}


def test_every_french_place_has_a_province_with_its_forms():
    """Each place (original or an English place's French name) maps to a known province."""
    english_places = (
        set(en_topics.PLACES)
        | set(en_shapes.PLACE_PROVINCE)
        | {place for places in en_shapes.TOPIC_PLACES.values() for place in places}
    )
    assert english_places <= set(fr_shapes.PLACE_NAMES)
    french_places = (
        set(fr_topics.PLACES)
        | set(fr_shapes.PLACE_NAMES.values())
        | {place for places in fr_shapes.TOPIC_PLACES.values() for place in places}
    )
    assert french_places <= set(fr_shapes.PLACE_PROVINCE)
    assert set(fr_shapes.TOPIC_PLACES) <= set(fr_shapes.SHAPES)
    provinces = set(fr_shapes.PLACE_PROVINCE.values()) | set(fr_topics.PROVINCES)
    assert provinces <= set(fr_shapes.PROVINCE_FORMS)
    assert len(fr_topics.PROVINCES) == len(en_topics.PROVINCES)


@pytest.mark.parametrize(
    ("pattern", "fault"),
    [
        (rf"(?<![{NO_BREAK}])[:;!?]", "a no-break space before : ; ! ?"),
        (rf"«(?![{NO_BREAK}])|(?<![{NO_BREAK}])»", "no-break spaces inside « »"),
        ('["“”]', "« » rather than straight or English quotes"),
        ("'", "a typographic apostrophe ’"),
        (r"[\d}] (?=\d|%|\$|h\b)", "a no-break space in 18 000, 2,4 %, 500 $, 19 h"),
        (r"\d\.\d|per cent", "the French decimal comma and « % »"),
    ],
)
def test_french_text_follows_french_typography(pattern, fault):
    """No French string breaks a rule of French typography."""
    bad = [(where, text) for where, text in _french_texts() if re.search(pattern, text)]
    assert not bad, f"expected {fault}: {bad[:5]}"


def test_no_french_headline_is_an_english_one():
    """French headlines are written in French, never copied from the English."""
    english = (
        set(_headlines(en_shapes.SHAPES))
        | {h for topic in en_topics.TOPICS for h in topic["headlines"]}
        | set(en_topics.PHOTO_CAPTIONS.values())
    )
    french = (
        _headlines(fr_shapes.SHAPES)
        + _headlines(fr_shapes.TRANSLATED_SHAPES)
        + [h for topic in fr_topics.TOPICS for h in topic["headlines"]]
        + list(fr_topics.PHOTO_CAPTIONS.values())
    )
    assert not english & set(french)
    # Original French stories are not the translations under another name.
    assert not set(_headlines(fr_shapes.SHAPES)) & set(_headlines(fr_shapes.TRANSLATED_SHAPES))


def test_french_tags_do_not_take_an_english_tags_slug():
    """A French tag never slugifies to an English tag of another name (tag slugs are unique)."""
    english = {slugify(t): t for topic in en_topics.TOPICS for t in topic["tags"]}
    for topic in fr_topics.TOPICS:
        for tag in topic["tags"]:
            assert english.get(slugify(tag), tag) == tag, tag
