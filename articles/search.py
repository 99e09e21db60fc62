"""Searching published stories.

On PostgreSQL each story carries a weighted ``search_vector`` (headline A, standfirst B,
body and tags C) built with its own language's configuration (``english``, or
``french_unaccent``: French stemming, accents ignored; ``articles.languages.SEARCH_CONFIGS``)
kept in a GIN index; it is refreshed after the
transaction that changed the story commits. Results are ranked by relevance damped by
age, and the snippets come from ``ts_headline``. On SQLite (a first run on a laptop)
the same API falls back to a plain substring search so the page still works.

Start from a published queryset: ``Article.objects.published().search(query)``.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import partial

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from . import languages
from .sanitize import html_to_text

# English stories' configuration (the one every story used before French arrived).
SEARCH_CONFIG = languages.SEARCH_CONFIGS[languages.ENGLISH]
# Longer queries are cut here: nobody types more, and it bounds the work per request.
MAX_QUERY_LENGTH = 200
# Words used by the SQLite fallback (each must appear somewhere in the story).
MAX_FALLBACK_WORDS = 8
# Relevance counts fully for a new story and falls towards this share as it ages...
RECENCY_FLOOR = 0.5
# ...losing half of the rest every this many days.
RECENCY_HALF_LIFE_DAYS = 30
REBUILD_BATCH_SIZE = 2000

# Markers ts_headline puts around matches; the text is escaped before they become <mark>.
_START, _STOP = "\x02", "\x03"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w", re.UNICODE)
# What ends a subhead, list item or quotation (no full stop of its own) in a snippet's text.
SUBHEAD_END_PATTERN = r"</(h[1-6]|li|blockquote|figcaption)>"
SUBHEAD_SEPARATOR = r" — </\1>"
_SPACES = re.compile(r"\s+")
_DOUBLE_STOP = re.compile(r"([.!?:;…»”\"]\x03?) —(?= |$)")


def uses_full_text_search():
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class CleanQuery:
    """A reader's query made safe to run: ``text`` is what we search for."""

    text: str
    was_cut: bool

    @property
    def is_searchable(self):
        """False for empty queries and for ones made only of punctuation or symbols."""
        return bool(_WORD.search(self.text))


def clean_query(raw):
    """Normalise what a reader typed: no control characters, single spaces, cut to length."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = _CONTROL_CHARS.sub(" ", text)
    text = " ".join(text.split())
    was_cut = len(text) > MAX_QUERY_LENGTH
    if was_cut:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
    return CleanQuery(text=text, was_cut=was_cut)


# --- The index (PostgreSQL) -----------------------------------------------------------


def _tag_names():
    from .models import TaggedArticle

    names = (
        TaggedArticle.objects.filter(content_object=OuterRef("pk"))
        .order_by()
        .values("content_object")
        .annotate(names=StringAgg("tag__name", delimiter=" "))
        .values("names")
    )
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def search_vector(config=SEARCH_CONFIG):
    """The weighted document of a story. PostgreSQL's parser skips the body's HTML tags."""
    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
        + SearchVector(_tag_names(), weight="C", config=config)
    )


def update_search_vectors(article_ids=None):
    """Recompute the search vector of the given stories (all when ``None``); return the count.

    One UPDATE per language, each with that language's configuration, so the rebuild
    command and the after-commit hook share it.
    """
    from .models import Article

    if not uses_full_text_search():
        return 0
    stories = Article.objects.all()
    if article_ids is not None:
        stories = stories.filter(pk__in=list(article_ids))
    return sum(
        stories.filter(language=language).update(search_vector=search_vector(config))
        for language, config in languages.SEARCH_CONFIGS.items()
    )


def refresh_after_tagging(sender, instance, action, pk_set, model, **kwargs):
    """Tags are part of the document: adding or removing one refreshes the story's vector.

    Connected to the tag through model's ``m2m_changed`` in ``articles.signal_handlers``.
    """
    from .models import Article

    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Article):
        ids = [instance.pk]
    elif pk_set and model is Article:
        ids = list(pk_set)
    else:
        return
    transaction.on_commit(partial(update_search_vectors, ids))


# --- Queries ---------------------------------------------------------------------------


class AgeInDays(Func):
    """Days between ``now`` and the publish time (never negative)."""

    template = (
        "GREATEST(CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision), 0) / 86400.0"
    )
    arg_joiner = " - "
    output_field = FloatField()


def search(queryset, raw_query, language=None):
    """Stories of ``queryset`` in ``language`` (the page's by default) matching
    ``raw_query``, best first, annotated with ``score``.

    Returns an empty queryset for a query with nothing to search for.
    """
    language = language or languages.current()
    query = raw_query if isinstance(raw_query, CleanQuery) else clean_query(raw_query)
    if not query.is_searchable:
        return queryset.none()
    queryset = queryset.in_language(language)
    if uses_full_text_search():
        return _full_text_search(queryset, query.text, language)
    return _fallback_search(queryset, query.text)


class ParsedOnce(SearchQuery):
    """A reader's query, parsed once per statement: ``(SELECT websearch_to_tsquery(…))``.

    With prepared statements (``DB_PREPARED_STATEMENTS``) PostgreSQL plans a search once
    with the query text as a parameter, and such a generic plan calls
    ``websearch_to_tsquery($1, $2)`` again for every matching story it ranks: twice the
    time of the ranking itself for a common word. In a sub-select it is computed once (an
    InitPlan), and the GIN index still serves the match.
    """

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"(SELECT {sql})", params


def _ts_query(text, language=languages.ENGLISH):
    # websearch syntax ("quoted phrases", or, -exclusions) never raises on odd input. The
    # query is parsed with the stories' configuration, so both go through the same stemmer
    # (and, in French, lose their accents alike).
    config = languages.SEARCH_CONFIGS[language]
    return ParsedOnce(text, search_type="websearch", config=config)


def _full_text_search(queryset, text, language=languages.ENGLISH):
    ts_query = _ts_query(text, language)
    # Normalisation 32 maps the rank into 0..1 so it can be mixed with recency.
    relevance = SearchRank(F("search_vector"), ts_query, normalization=32)
    age = AgeInDays(Value(timezone.now()), F("publish_at"))
    freshness = Value(RECENCY_FLOOR) + Value(1 - RECENCY_FLOOR) * Value(
        float(RECENCY_HALF_LIFE_DAYS)
    ) / (Value(float(RECENCY_HALF_LIFE_DAYS)) + age)
    return (
        queryset.filter(search_vector=ts_query)
        .annotate(score=relevance * freshness)
        .order_by("-score", "-publish_at", "-pk")
    )


def _fallback_words(text):
    words = [w.strip("\"'") for w in text.split()]
    return [w for w in words if w and _WORD.search(w)][:MAX_FALLBACK_WORDS]


def _fallback_search(queryset, text):
    words = _fallback_words(text)
    matches = Q()
    for word in words:
        matches &= (
            Q(headline__icontains=word)
            | Q(standfirst__icontains=word)
            | Q(body__icontains=word)
            | Q(tags__name__iexact=word)
        )
    ids = queryset.filter(matches).values("pk")
    # No ranking function here: stories with the words in the headline come first.
    headline_hits = sum(
        (
            Case(
                When(headline__icontains=w, then=Value(1.0)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for w in words
        ),
        Value(0.0),
    )
    return (
        queryset.filter(pk__in=ids)
        .annotate(score=headline_hits)
        .order_by("-score", "-publish_at", "-pk")
    )


# --- Snippets --------------------------------------------------------------------------


def _marked_to_html(marked):
    """Escape everything, then turn the match markers into <mark> elements."""
    escaped = html.escape(marked, quote=False)
    return mark_safe(  # noqa: S308 - every character but our own <mark> tags is escaped
        escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def _snippet_expressions(text, language):
    """``marked_headline`` and ``marked_snippet``: ``ts_headline`` of the headline and of the
    standfirst and body (tags removed), the matches between the marker characters."""
    ts_query = _ts_query(text, language)
    config = languages.SEARCH_CONFIGS[language]
    marks = {"config": config, "start_sel": _START, "stop_sel": _STOP}
    # A subhead ends with no full stop: a dash after it, so a snippet never runs it into
    # the next paragraph ("What comes next — Officials will…"), then every tag is a space.
    subheads_closed = Func(
        F("body"),
        Value(SUBHEAD_END_PATTERN),
        Value(SUBHEAD_SEPARATOR),
        Value("gi"),
        function="regexp_replace",
        output_field=TextField(),
    )
    plain_body = Func(
        subheads_closed,
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return {
        "marked_headline": SearchHeadline("headline", ts_query, highlight_all=True, **marks),
        "marked_snippet": SearchHeadline(
            Concat("standfirst", Value(" "), plain_body, output_field=TextField()),
            ts_query,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
            **marks,
        ),
    }


def with_snippets(results, raw_query, language=None):
    """``results`` (a search's queryset) with each story's marked headline and snippet in the
    same query, for ``attach_snippets``. PostgreSQL computes ``ts_headline`` (the costly
    part) after sorting and cutting to the page: for the page's stories only, as the query
    of their own did. Nothing changes on SQLite."""
    language = language or languages.current()
    query = raw_query if isinstance(raw_query, CleanQuery) else clean_query(raw_query)
    if not (uses_full_text_search() and query.is_searchable):
        return results
    return results.annotate(**_snippet_expressions(query.text, language))


def attach_snippets(articles, raw_query, language=None):
    """Give each story ``snippet`` and ``headline_html``: safe HTML with the matches in <mark>.

    No query for stories loaded ``with_snippets()``; otherwise one: ``ts_headline`` for this
    page's stories on PostgreSQL, their bodies on SQLite.
    """
    from .models import Article

    language = language or languages.current()
    articles = list(articles)
    query = raw_query if isinstance(raw_query, CleanQuery) else clean_query(raw_query)
    if not articles:
        return articles
    if uses_full_text_search() and query.is_searchable:
        if all(hasattr(article, "marked_snippet") for article in articles):
            found = {a.pk: (a.marked_headline, a.marked_snippet) for a in articles}
        else:
            found = {
                pk: (headline, snippet)
                for pk, headline, snippet in Article.objects.filter(pk__in=[a.pk for a in articles])
                .annotate(**_snippet_expressions(query.text, language))
                .values_list("pk", "marked_headline", "marked_snippet")
            }
        for article in articles:
            headline, snippet = found.get(article.pk, (article.headline, article.excerpt))
            article.headline_html = _marked_to_html(headline)
            # The body is stored as HTML: its entities become characters before escaping.
            article.snippet = _marked_to_html(_no_double_stop(html.unescape(snippet)))
    else:
        words = _fallback_words(query.text) if query.is_searchable else []
        # Cards are loaded without their bodies: fetch this page's in one query.
        bodies = dict(
            Article.objects.filter(pk__in=[a.pk for a in articles]).values_list("pk", "body")
        )
        for article in articles:
            passage = _fallback_passage(article, bodies.get(article.pk, ""), words)
            article.headline_html = highlight_words(article.headline, words)
            article.snippet = highlight_words(passage, words)
    words = _fallback_words(query.text) if query.is_searchable else []
    return drop_repeated_snippets(articles, words)


class CountedResults:
    """A search's results as ``Paginator`` sees them: the page asked for is fetched together
    with the number of matches (a sub-select), one query where the paginator's ``count()``
    and its page made two.

    ``number`` is the page the request asks for; any other slice is the queryset's. Past the
    last page no row carries the number, so ``count()`` then asks for it on its own.
    """

    def __init__(self, queryset, per_page, number):
        self.queryset = queryset
        self.start = (number - 1) * per_page
        self.stop = self.start + per_page
        self.rows = None

    def _page(self):
        if self.rows is None:
            # A sub-select PostgreSQL runs once (an InitPlan) over the matches' ids, not a
            # window: ``COUNT(*) OVER ()`` kept every match's whole row (body, photo) for the
            # count and spilled them to disk.
            matches = (
                self.queryset.order_by()
                .annotate(found=Func(F("pk"), function="COUNT"))
                .values("found")
            )
            counted = self.queryset.annotate(matches_found=Subquery(matches))
            self.rows = list(counted[self.start : self.stop])
        return self.rows

    def count(self):
        rows = self._page()
        if rows:
            return rows[0].matches_found
        return self.queryset.count() if self.start else 0

    def __getitem__(self, key):
        if (
            isinstance(key, slice)
            and key.start == self.start
            and key.step is None
            and key.stop is not None
            and key.stop <= self.stop
        ):
            return self._page()[: key.stop - key.start]
        return self.queryset[key]


def _fallback_passage(article, body_html, words, width=30):
    """The standfirst if it matches, else about ``width`` words of body around the first match."""
    lowered = [w.lower() for w in words]
    if article.standfirst and any(w in article.standfirst.lower() for w in lowered):
        return article.standfirst
    body = snippet_text(body_html).split()
    for index, token in enumerate(body):
        if any(w in token.lower() for w in lowered):
            start = max(index - width // 3, 0)
            passage = " ".join(body[start : start + width])
            prefix = "… " if start else ""
            suffix = " …" if start + width < len(body) else ""
            return f"{prefix}{passage}{suffix}"
    return article.excerpt or Truncator(" ".join(body)).words(width, truncate="…")


def snippet_text(body_html):
    """The body as one line of text for a snippet: subheads, list items and quotations end
    with a dash, so none runs into what follows (the PostgreSQL snippets do the same)."""
    marked = re.sub(SUBHEAD_END_PATTERN, SUBHEAD_SEPARATOR, body_html or "", flags=re.IGNORECASE)
    return _no_double_stop(html_to_text(marked))


def _no_double_stop(text):
    # Tags became spaces in SQL: one space between words, as on the page.
    text = _SPACES.sub(" ", text).strip()
    # A dash after a subhead that ends with its own punctuation ("Why now? —") is one too many.
    return _DOUBLE_STOP.sub(r"\1", text).removesuffix(" —")


def _plain(snippet):
    return re.sub(r"<[^>]+>", "", str(snippet)).strip(" …")


# A snippet whose words are mostly (this share of the shorter one's) another snippet's on the
# page reads as a repeat: regional versions of one story differ by a place name or two.
REPEAT_SHARE = 0.8


def _words(text):
    return frozenset(re.findall(r"\w+", text.lower()))


def _repeats(words, seen):
    return any(len(words & other) >= REPEAT_SHARE * min(len(words), len(other)) for other in seen)


def drop_repeated_snippets(articles, words):
    """No snippet twice on a page, nor one that is another with a place name changed.
    Regional versions of one story share their text, so their best fragments are often the
    same words: a repeat is replaced by the story's own standfirst (with the words marked),
    and left out if that repeats too (the headline already tells the stories apart)."""
    seen = []
    for article in articles:
        own = _words(_plain(article.snippet))
        if own and _repeats(own, seen):
            standfirst = article.standfirst or article.excerpt or ""
            own = _words(standfirst)
            if own and not _repeats(own, seen):
                article.snippet = highlight_words(standfirst, words)
            else:
                article.snippet = ""
                own = frozenset()
        if own:
            seen.append(own)
    return articles


def highlight_words(text, words):
    """Escape ``text`` and wrap every occurrence of ``words`` (any case) in <mark>."""
    if not words:
        return mark_safe(html.escape(text, quote=False))  # noqa: S308 - fully escaped
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", text.replace(_START, ""))
    return _marked_to_html(marked)
