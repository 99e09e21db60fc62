"""The demo's words: facts drawn for a pattern, filled in English or French, and story bodies.

Patterns come from ``demo.topics`` and ``demo.shapes`` (English) and ``demo.fr`` (French);
numbers, money and places are written in each language's style.
"""

import unicodedata

from . import shapes as S
from . import topics as T
from .fr import shapes as FS
from .fr import topics as FT

PERCENTAGES = ["1.8", "2.4", "3.1", "4.5", "6", "12", "2.75", "3.25"]
NBSP = "\u00a0"
ENGLISH, FRENCH = "en", "fr"


def draw_facts(rng, place=None, told=None, language=ENGLISH):
    """The facts a pattern is filled with; ``told`` (the how-many-th telling) picks numbers no
    telling repeats. A translation is filled from its original's facts (``french_words``)."""
    topics, shapes = (T, S) if language == ENGLISH else (FT, FS)
    place = place or rng.choice(topics.PLACES)
    return {
        "place": place,
        # The place's own province: a story about Halifax never cites Alberta's premier.
        "province": shapes.PLACE_PROVINCE.get(place) or rng.choice(topics.PROVINCES),
        "n": rng.randint(2, 9) if told is None else 2 + told % 8,
        "pct": rng.choice(PERCENTAGES) if told is None else PERCENTAGES[told % len(PERCENTAGES)],
        "money": rng.randint(45, 140) * 10_000,
    }


def english_words(facts):
    return {**facts, "money": f"${facts['money']:,}"}


# Aspirated h: « de Hearst », not « d’Hearst » (but « d’Halifax », « d’Hamilton »).
ASPIRATED_H = {"Hearst"}


def de_place(place):
    """« de » + the place, elided before a vowel or a mute h: « de Laval », « d’Ottawa »."""
    first = unicodedata.normalize("NFD", place)[:1].lower()
    if first in "aeiou" or (first == "h" and place not in ASPIRATED_H):
        return f"d’{place}"
    return f"de {place}"


def french_words(facts, place=None):
    """The French filler: ``facts`` drawn for French (or an English story's, for its
    translation: its place turned into the French name), in French style (« 2,4 »,
    « 450 000 $ »; the text itself holds the no-break spaces around them)."""
    place = place or FS.PLACE_NAMES.get(facts["place"], facts["place"])
    province = FS.PLACE_PROVINCE[place]
    en_province, de_province = FS.PROVINCE_FORMS[province]
    return {
        "place": place,
        "de_place": de_place(place),
        "province": province,
        "en_province": en_province,
        "de_province": de_province,
        "n": facts["n"],
        "pct": facts["pct"].replace(".", ","),
        "money": f"{facts['money']:,}".replace(",", NBSP) + f"{NBSP}$",
    }


def fill(rng, text, place=None, told=None, language=ENGLISH):
    """Fill a pattern in ``language`` with freshly drawn facts."""
    facts = draw_facts(rng, place, told, language)
    words = english_words(facts) if language == ENGLISH else french_words(facts, place)
    return text.format(**words)


def capitalized(text):
    """ "The Northwest Territories declares…", not "the Northwest…", at the start of a headline."""
    return text[:1].upper() + text[1:]


def person(rng):
    return f"{rng.choice(T.FIRST_NAMES)} {rng.choice(T.LAST_NAMES)}"


def quote(text):
    """A quotation that runs into "said …": its final full stop becomes a comma."""
    return text[:-1] + "," if text.endswith(".") else text


def _material(rng, topic, place, language):
    """A body's facts (filled), subheads and quotes, each in the order this story uses them."""
    facts = [fill(rng, fact, place, language=language) for fact in topic["facts"]]
    rng.shuffle(facts)
    subheads = topic["subheads"][:]
    rng.shuffle(subheads)
    quotes = topic["quotes"][:]
    rng.shuffle(quotes)
    return facts, subheads, quotes


def english_body(rng, topic, place):
    """An English story's body: facts, a quotation, subheads, sometimes a list."""
    facts, subheads, quotes = _material(rng, topic, place, ENGLISH)
    speaker, role = person(rng), rng.choice(T.ROLES)
    paragraphs = [
        f"<p>{facts[0]} The news came as officials in {place} met to plan their next steps.</p>",
        f"<p>{facts[1]} {facts[2]}</p>",
        f"<p>“{quote(quotes[0])}” said {speaker}, {role}.</p>",
        f"<h2>{subheads[0]}</h2>",
        f"<p>{facts[3]} {facts[4]}</p>",
        f"<blockquote><p>{quotes[1]}</p></blockquote>",
    ]
    if len(facts) > 6 and rng.random() < 0.6:
        paragraphs += [
            f"<h2>{subheads[1]}</h2>",
            f"<p>{facts[5]} {speaker.split()[0]} said the community would keep "
            "pressing for answers.</p>",
            f"<p>{facts[6]} More details are expected in the coming days.</p>",
            '<ul><li>Follow <a href="https://www.canada.ca/">official updates</a> for the '
            "latest information.</li><li>Share your story with our newsroom.</li></ul>",
        ]
    else:
        paragraphs.append(f"<p>{facts[5]} More details are expected in the coming days.</p>")
    return "\n".join(paragraphs)


def quote_fr(text):
    """« … », a déclaré … : the quotation's final full stop goes (? and ! stay)."""
    text = text[:-1] if text.endswith(".") else text
    return f"«{NBSP}{text}{NBSP}»"


def french_body(rng, topic, place):
    """A French story's body, as ``english_body`` writes an English one (from
    ``demo.fr.topics.BODY``)."""
    facts, subheads, quotes = _material(rng, topic, place, FRENCH)
    speaker = f"{rng.choice(FT.FIRST_NAMES)} {rng.choice(FT.LAST_NAMES)}"
    words = {
        "place": place,
        "de_place": de_place(place),
        "speaker": speaker,
        "role": rng.choice(FT.ROLES),
        "first_name": speaker.split()[0],
    }
    body = {key: text.format(**words) for key, text in FT.BODY.items() if key != "author_bio"}
    paragraphs = [
        f"<p>{facts[0]} {body['opening']}</p>",
        f"<p>{facts[1]} {facts[2]}</p>",
        f"<p>{quote_fr(quotes[0])}, {body['said']}</p>",
        f"<h2>{subheads[0]}</h2>",
        f"<p>{facts[3]} {facts[4]}</p>",
        f"<blockquote><p>{quotes[1]}</p></blockquote>",
    ]
    if len(facts) > 6 and rng.random() < 0.6:
        paragraphs += [
            f"<h2>{subheads[1]}</h2>",
            f"<p>{facts[5]} {body['pressing']}</p>",
            f"<p>{facts[6]} {body['more']}</p>",
            f"<ul><li>{body['follow']}</li><li>{body['share']}</li></ul>",
        ]
    else:
        paragraphs.append(f"<p>{facts[5]} {body['more']}</p>")
    return "\n".join(paragraphs)
