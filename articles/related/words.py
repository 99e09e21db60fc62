"""A story's index terms in its own language: words, stop words and Snowball stems.

English as it always was (accents folded first, then the English stemmer); French with the
French stemmer, which reads accents, so they are folded from the stem afterwards ("écoles" and
"ecole" both give ``ecol``). A term of any language but English carries its language as a
prefix (``fr:ecol``), so one vocabulary holds both languages without a stem of one ever
counting as a word of the other ("art", "place", "national" are words in both).
Worker-only in practice, but light: no numpy.
"""

import re
import unicodedata

import snowballstemmer

ENGLISH, FRENCH = "en", "fr"

WORD_RE = re.compile(r"[a-z][a-z0-9']*[a-z0-9]|[a-z]")
# Letters, then letters or digits: apostrophes and hyphens split words, so the elided article
# of "l'école" and the parts of "Saint-Jean" or "a-t-il" come out as words of their own.
FRENCH_WORD_RE = re.compile(r"[^\W\d_][^\W_]*")

# A short, ordinary English stop list (function words and newswire filler).
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll
    i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor
    not of off on once only or other ought our ours ourselves out over own same shan't she
    she'd she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those through
    to too under until up very was wasn't we we'd we'll we're we've were weren't what what's
    when when's where where's which while who who's whom why why's with won't would wouldn't
    you you'd you'll you're you've your yours yourself yourselves
    said says say told according also would could may might will just one two new
    mr mrs ms per cent yesterday today last week year years
    """.split()
)


def fold(text):
    """``text`` without its accents (NFKD, ASCII letters kept)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# The same kind of list in French: articles, pronouns, prepositions, conjunctions, the common
# forms of "être", "avoir" and "faire", elided forms, and newswire filler. Compared without
# accents, so a word typed without them ("a" for "à") is dropped too.
FRENCH_STOP_WORDS = frozenset(
    fold(word)
    for word in """
    à au aux avec ce ceci cela celle celles celui ceux ces cet cette chez comme contre dans de
    depuis des dès donc dont du elle elles en entre et eux il ils je jusqu la le les leur leurs
    lui ma mais me même mêmes mes moi mon ne ni nos notre nous on ou où par parce pas pendant
    peu plus pour pourquoi quand que quel quelle quelles quels qui quoi sa sans se selon ses si
    son sont sous sur ta te tes toi ton tous tout toute toutes très tu un une vers vos votre
    vous ça ici là alors ainsi aussi autre autres avant après bien car cependant chaque
    déjà encore enfin lors lorsque non oui puis presque puisque quelque quelques sinon soit
    tandis tant tel telle tels telles toujours trop
    est être été était étaient étant sera seront serait seraient sommes êtes suis fut
    ai as avons avez ont avoir avait avaient aura auront aurait auraient eu eue eus
    fait faire font faisait fera
    aujourd hui quelqu presqu lorsqu puisqu qu
    dit dire déclaré affirmé indiqué ajouté expliqué précisé souligné selon
    m mme mmes mm hier demain an ans année années semaine semaines mois cent
    lundi mardi mercredi jeudi vendredi samedi dimanche
    """.split()
)

_STEMMERS = {ENGLISH: snowballstemmer.stemmer("english"), FRENCH: snowballstemmer.stemmer("french")}
# Stemming is the slow part of reading a story; newswire repeats its words, so remember them.
_stems = {language: {} for language in _STEMMERS}


def _stem(word, language=ENGLISH):
    cache = _stems[language]
    stem = cache.get(word)
    if stem is None:
        if len(cache) > 500_000:
            cache.clear()
        stem = _STEMMERS[language].stemWord(word)
        if language != ENGLISH:  # English words were folded before stemming
            stem = fold(stem)
        cache[word] = stem
    return stem


def tokens(text, language=ENGLISH):
    """The stems of ``text`` in ``language``: lower-cased, stop words out, accents folded.

    Any language but French is read as English (the only two a story can be in).
    """
    if language == FRENCH:
        # "œ" and "æ" have no decomposition: spelt out, or folding would drop them ("cœur").
        text = text.lower().replace("œ", "oe").replace("æ", "ae")
        words = FRENCH_WORD_RE.findall(unicodedata.normalize("NFC", text))
        return [_stem(w, FRENCH) for w in words if len(w) > 1 and fold(w) not in FRENCH_STOP_WORDS]
    text = fold(text.lower())
    words = [w.strip("'") for w in WORD_RE.findall(text)]
    return [_stem(w) for w in words if len(w) > 1 and w not in STOP_WORDS]


def terms(text, language=ENGLISH):
    """The index terms of ``text``: its stems, prefixed with the language but for English."""
    stems = tokens(text, language)
    if language != FRENCH:
        return stems
    return [f"{language}:{stem}" for stem in stems]


def term_language(term):
    """The language of an index term made by ``terms`` (English terms have no ':')."""
    head, colon, _ = term.partition(":")
    return head if colon else ENGLISH
