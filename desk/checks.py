"""Content checks while writing: what Wagtail's accessibility checker and a sub-editor
would point out, as warnings (never blockers: the rules that block a publication stay in
``articles.workflow.publish_problems``).

- an image without alt text (the lead photo's, in the story's language, or one in the body);
- headings out of order (the headline is the page's h1, so the body starts at h2 and never
  skips a level);
- links without words, or without an address;
- sentences longer than :data:`LONG_SENTENCE` words, and a headline longer than what the
  home page shows (:data:`HEADLINE_LIMIT`, the story form's counter);
- a reading level: Flesch reading ease for English, Kandel and Moles' adaptation of it for
  French, from our own syllable count (vowel groups, a silent final "e"): a guide, not a
  grade.

The story form's panel asks :func:`content_checks_view` as the journalist types; the admin
runs :func:`run` again when a story or a pending change is submitted for review and shows
what it finds as warnings.
"""

import re
from html.parser import HTMLParser

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles import languages

LONG_SENTENCE = 35  # words
HEADLINE_LIMIT = 70  # characters, as the story form's counter
SENTENCE_END = re.compile(r"(?<=[.!?…»\"”])\s+(?=[«\"“A-ZÀ-ÖØ-Þ0-9])|(?<=[.!?…])\s+")
WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*", re.UNICODE)
VOWELS = {
    languages.ENGLISH: re.compile(r"[aeiouy]+"),
    languages.FRENCH: re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]+"),
}


class _Body(HTMLParser):
    """Headings, links, images and the text of each block of the body's HTML."""

    BLOCKS = {"p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings, self.links, self.images, self.blocks = [], [], [], []
        self._link = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCKS:
            self._flush()
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "a" and "data-embed-provider" not in attrs:
            self._link = {"href": (attrs.get("href") or "").strip(), "text": []}
        elif tag == "img":
            self.images.append((attrs.get("alt") or "").strip())

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link["href"], " ".join("".join(self._link["text"]).split())))
            self._link = None
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self._text.append(data)
        if self._link is not None:
            self._link["text"].append(data)

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []

    def close(self):
        super().close()
        self._flush()


def sentences(blocks):
    for block in blocks:
        for sentence in SENTENCE_END.split(block):
            if sentence.strip():
                yield sentence.strip()


def syllables(word, language):
    word = word.lower()
    groups = len(VOWELS.get(language, VOWELS[languages.ENGLISH]).findall(word))
    if language == languages.FRENCH:
        # A final mute "e" (or "es", "ent" of a verb is left: too costly to tell apart).
        if len(word) > 2 and re.search(r"[^aeiouy]es?$", word) and groups > 1:
            groups -= 1
    elif len(word) > 2 and word.endswith("e") and not word.endswith("le") and groups > 1:
        groups -= 1
    return max(1, groups)


def reading_ease(text_sentences, language):
    """Flesch reading ease (English) or Kandel–Moles (French); None without text."""
    words = [w for s in text_sentences for w in WORD.findall(s)]
    if not words or not text_sentences:
        return None
    per_sentence = len(words) / len(text_sentences)
    per_word = sum(syllables(w, language) for w in words) / len(words)
    if language == languages.FRENCH:
        score = 207 - 1.015 * per_sentence - 73.6 * per_word
    else:
        score = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    return round(min(100.0, max(0.0, score)), 1)  # the scale's ends: very short words go past


def ease_label(score):
    if score >= 80:
        return _("easy")
    if score >= 60:
        return _("plain")
    if score >= 50:
        return _("fairly difficult")
    if score >= 30:
        return _("difficult")
    return _("very difficult")


def run(*, headline="", body="", language=languages.ENGLISH, photo=False, photo_alt=""):
    """The checks of a story's text: ``{"warnings": [{"code", "message"}], "reading": …}``.

    ``photo``: the story has a lead photo; ``photo_alt``: its alt text in the story's
    language. Messages are in the active language (the desk's).
    """
    parser = _Body()
    parser.feed(body or "")
    parser.close()
    warnings = []

    def warn(code, message):
        warnings.append({"code": code, "message": str(message)})

    headline = " ".join((headline or "").split())
    if len(headline) > HEADLINE_LIMIT:
        warn(
            "long_headline",
            _("The headline has %(count)d characters; about %(limit)d show on the home page.")
            % {"count": len(headline), "limit": HEADLINE_LIMIT},
        )
    if photo and not (photo_alt or "").strip():
        warn("photo_alt", _("The lead photo has no alt text for people who cannot see it."))
    for _alt in (alt for alt in parser.images if not alt):
        warn("image_alt", _("An image in the body has no alt text."))
    level = 1
    for heading in parser.headings:
        if heading > level + 1 or heading == 1:
            warn(
                "heading_order",
                _(
                    "A level %(level)d subhead follows level %(before)d (the headline is level "
                    "1): subheads start at level 2 and go down one level at a time."
                )
                % {"level": heading, "before": level},
            )
        level = heading
    for href, text in parser.links:
        if not text:
            warn("empty_link", _("A link has no words: readers cannot tell where it goes."))
        elif not href or href == "#":
            warn("link_without_address", _("The link “%(text)s” has no address.") % {"text": text})
    text_sentences = list(sentences(parser.blocks))
    for sentence in text_sentences:
        count = len(sentence.split())
        if count > LONG_SENTENCE:
            warn(
                "long_sentence",
                _("A sentence of %(count)d words (over %(limit)d): “%(start)s”")
                % {
                    "count": count,
                    "limit": LONG_SENTENCE,
                    "start": Truncator(sentence).words(10, truncate="…"),
                },
            )
    score = reading_ease(text_sentences, language)
    reading = None
    if score is not None:
        formula = "Kandel–Moles" if language == languages.FRENCH else "Flesch"
        reading = {
            "score": score,
            "label": str(ease_label(score)),
            "message": str(
                _("Reading ease: %(score)s (%(label)s; %(formula)s, 0 hard to 100 easy).")
                % {"score": score, "label": ease_label(score), "formula": formula}
            ),
        }
    return {"warnings": warnings, "reading": reading}


def run_on_story(article, text=None):
    """:func:`run` on a saved story, or on ``text`` (a pending change's) in its place."""
    photo = article.lead_photo if article.lead_photo_id else None
    words = photo.text_in(article.language) if photo is not None else {}
    text = text or {"headline": article.headline, "body": article.body}
    return run(
        headline=text["headline"],
        body=text["body"],
        language=article.language,
        photo=photo is not None,
        photo_alt=words.get("alt_text", ""),
    )
