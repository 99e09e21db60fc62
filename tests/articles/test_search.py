"""Readers find published stories by searching; odd input gets a helpful page, never an error.

Tests without a mark run on both databases (full-text search on PostgreSQL, the
substring fallback on SQLite); ``postgres`` tests cover ranking, stemming and the index.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, clean_query, update_search_vectors
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

on_sqlite_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="tests the SQLite fallback"
)


def story(**fields):
    """A published story, indexed as it would be after its transaction commits."""
    article = ArticleFactory(**fields)
    update_search_vectors([article.pk])
    return article


def found(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    page = response.context["page_obj"]
    return [] if page is None else list(page.object_list)


# --- Both databases ------------------------------------------------------------------


def test_search_finds_a_published_story_by_a_word_of_its_body(client):
    match = story(headline="Council meets", body="<p>The council voted on the arena.</p>")
    story(headline="Weather", body="<p>Sunny with cloudy periods.</p>")
    assert found(client, "arena") == [match]


def test_unpublished_and_future_stories_are_never_found(client):
    story(headline="Leaked budget draft", status=Article.Status.DRAFT, publish_at=None)
    story(
        headline="Embargoed budget story",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(hours=2),
    )
    live = story(headline="Budget tabled in Ottawa")
    assert found(client, "budget") == [live]


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_an_empty_search_shows_the_form_and_examples(client, query):
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert 'id="search-page-q"' in html and "for example" in html


@pytest.mark.parametrize("query", ["%%%", "!!! ???", "&&&|||", "''\"\"", "-", "*:*"])
def test_a_search_without_letters_or_numbers_says_so(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "nothing to look for" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"unfinished quote',
        "budget & | ! (",
        "a:* <-> b",
        "\x1b[31mbudget",
        "budget -",
        "or or or",
        "é" * 50,
    ],
)
def test_odd_queries_never_cause_an_error(client, query):
    story(headline="Budget tabled in Ottawa")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_a_query_with_a_nul_character_is_a_400_with_a_sentence(client):
    # Was a 200 (clean_query drops control characters): a NUL in any query string is now
    # refused before any view, since elsewhere it reaches PostgreSQL (newsroom/params.py).
    story(headline="Budget tabled in Ottawa")
    response = client.get("/search/", {"q": "budget\x00 ottawa"})
    assert response.status_code == 400
    assert "null character" in response.content.decode()


def test_a_very_long_query_is_cut_and_the_reader_is_told(client):
    words = "budget " * 200
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200
    query = response.context["query"]
    assert query.was_cut and len(query.text) <= MAX_QUERY_LENGTH
    assert query.text.endswith("budget")  # cut on a word boundary
    assert "we used its first 200 characters" in response.content.decode()


def test_clean_query_removes_control_characters_and_extra_space():
    assert clean_query("  Bank\x00 of\t\tCanada \x7f ").text == "Bank of Canada"
    assert not clean_query("?!").is_searchable
    assert clean_query("Québec").is_searchable


def test_no_match_page_suggests_what_to_try(client):
    story(headline="Budget tabled in Ottawa")
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "No stories match “zeppelin”" in html
    assert "Check the spelling" in html


def test_the_query_is_escaped_when_shown_back(client):
    html = client.get("/search/", {"q": '<img src=x onerror="alert(1)">'}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_snippets_highlight_matches_and_escape_story_text(client):
    story(
        headline="Evacuation order lifted",
        standfirst="",
        body="<p>Residents near the wildfire can return &lt;script&gt;alert(1)&lt;/script&gt;"
        " says the mayor of Kelowna &amp; area.</p>",
    )
    response = client.get("/search/", {"q": "wildfire"})
    html = response.content.decode()
    snippet = str(response.context["page_obj"].object_list[0].snippet)
    assert "<mark>wildfire</mark>" in snippet
    assert "<script>" not in html
    assert "&lt;script&gt;" in snippet
    assert "<mark>wildfire</mark>" in html


def test_results_are_paginated_and_pages_keep_the_query(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 3
    now = timezone.now()
    for hours in range(7):
        story(headline=f"Hockey night {hours}", publish_at=now - timedelta(hours=hours + 1))
    first = client.get("/search/", {"q": "hockey"})
    assert first.context["page_obj"].paginator.count == 7
    assert 'href="?q=hockey&amp;page=2"' in first.content.decode()
    third = client.get("/search/", {"q": "hockey", "page": "3"})
    assert len(third.context["page_obj"].object_list) == 1
    assert client.get("/search/", {"q": "hockey", "page": "abc"}).status_code == 200


def test_search_pages_past_the_last_are_not_found_and_pages_do_not_overlap(client, settings):
    """The page and the number found come from one query (articles.search.CountedResults):
    the pages still cover every match once, in order, and a page past the last is a 404."""
    settings.NEWSROOM_PAGE_SIZE = 3
    now = timezone.now()
    for hours in range(7):
        story(headline=f"Ferry route {hours}", publish_at=now - timedelta(hours=hours + 1))
    pages = [client.get("/search/", {"q": "ferry", "page": n}) for n in ("1", "2", "3")]
    assert [p.context["page_obj"].paginator.count for p in pages] == [7, 7, 7]
    headlines = [s.headline for p in pages for s in p.context["page_obj"].object_list]
    assert headlines == [f"Ferry route {hours}" for hours in range(7)]
    assert client.get("/search/", {"q": "ferry", "page": "4"}).status_code == 404
    assert client.get("/search/", {"q": "ferry", "page": "9" * 12}).status_code == 404
    assert client.get("/search/", {"q": "nothing-matches-this"}).status_code == 200


def test_search_page_queries_do_not_grow_with_results(client, django_assert_num_queries):
    section = SectionFactory()
    for n in range(12):
        story(headline=f"Transit plan {n}", section=section, lead_photo=PhotoFactory())
    client.get("/search/", {"q": "transit"})  # warm the navigation cache
    # PostgreSQL: one page of results with the number found and their snippets (it was a
    # count, the page, then the snippets). SQLite: the page with the number, then the bodies.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        response = client.get("/search/", {"q": "transit"})
    assert len(response.context["page_obj"].object_list) == 12


def test_header_search_form_sends_readers_to_the_search_page(client):
    html = client.get("/").content.decode()
    assert 'role="search" action="/search/" method="get"' in html
    assert '<label class="visually-hidden" for="site-search">' in html


def test_queryset_api_starts_from_published_stories():
    live = story(headline="Arctic sovereignty patrol")
    story(headline="Arctic draft", status=Article.Status.DRAFT, publish_at=None)
    assert list(Article.objects.published().search("arctic")) == [live]


# --- SQLite fallback -----------------------------------------------------------------


@on_sqlite_only
def test_fallback_needs_every_word_and_ignores_case():
    both = story(headline="Wildfire near Kelowna", body="<p>Crews arrived.</p>")
    story(headline="Wildfire in Alberta", body="<p>Crews arrived.</p>")
    assert list(Article.objects.published().search("KELOWNA wildfire")) == [both]


@on_sqlite_only
def test_fallback_searches_standfirst_body_and_tags_and_puts_headline_hits_first():
    now = timezone.now()
    in_body = story(headline="Market update", body="<p>Lumber prices rose.</p>", publish_at=now)
    in_headline = story(headline="Lumber exports fall", publish_at=now - timedelta(days=3))
    in_tag = story(headline="Trade talks", tags=["Lumber"], publish_at=now - timedelta(days=1))
    in_standfirst = story(
        headline="Mill closes", standfirst="Lumber town loses jobs.", publish_at=now
    )
    results = list(Article.objects.published().search("lumber"))
    assert results[0] == in_headline
    assert set(results[1:]) == {in_body, in_tag, in_standfirst}


@on_sqlite_only
def test_rebuild_command_explains_it_has_nothing_to_do_on_sqlite():
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "not PostgreSQL" in out.getvalue()


# --- PostgreSQL full-text search -----------------------------------------------------


@pytest.mark.postgres
def test_a_headline_match_ranks_above_a_body_match():
    when = timezone.now() - timedelta(hours=2)
    body_match = story(
        headline="Provincial news roundup",
        body="<p>Also today: a pipeline hearing in Regina.</p>",
        publish_at=when,
    )
    standfirst_match = story(
        headline="Hearing adjourned", standfirst="The pipeline review resumes.", publish_at=when
    )
    headline_match = story(headline="Pipeline approval delayed", publish_at=when)
    assert list(Article.objects.published().search("pipeline")) == [
        headline_match,
        standfirst_match,
        body_match,
    ]


@pytest.mark.postgres
def test_recency_breaks_ties_and_tempers_relevance():
    now = timezone.now()
    old_headline = story(headline="Ferry service cut", publish_at=now - timedelta(days=400))
    new_headline = story(headline="Ferry service restored", publish_at=now - timedelta(days=1))
    new_body = story(headline="Coastal news", body="<p>The ferry was late.</p>", publish_at=now)
    results = list(Article.objects.published().search("ferry"))
    # The same headline match: the newer story first. Even a year on, a headline match
    # outranks a story that mentions the word in passing.
    assert results == [new_headline, old_headline, new_body]
    assert results[0].score > results[1].score > results[2].score


@pytest.mark.postgres
def test_english_stemming_matches_other_forms_of_a_word():
    houses = story(headline="Houses sold quickly in Halifax")
    running = story(headline="Mayor is running again", body="<p>She ran in 2022.</p>")
    assert list(Article.objects.published().search("housing")) == [houses]
    assert list(Article.objects.published().search("runs")) == [running]


@pytest.mark.postgres
def test_tags_are_searchable(client):
    tagged = story(headline="Council notes", tags=["Reconciliation"])
    assert found(client, "reconciliation") == [tagged]


@pytest.mark.postgres
def test_snippet_highlights_the_stemmed_forms():
    story(headline="Forecast", standfirst="", body="<p>Heavy snowfalls expected in Montréal.</p>")
    results = list(Article.objects.published().search("snowfall"))
    from articles.search import attach_snippets

    [article] = attach_snippets(results, "snowfall")
    assert "<mark>snowfalls</mark>" in article.snippet


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["the of and", "a", "to be or not to be"])
def test_a_query_of_only_common_words_finds_nothing_politely(client, query):
    story(headline="The best of the year")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "No stories match" in response.content.decode()


@pytest.mark.postgres
def test_quoted_phrases_and_exclusions_work():
    both = story(headline="Bank of Canada holds rate")
    story(headline="Canada bank holiday", body="<p>Banks close.</p>")
    assert list(Article.objects.published().search('"Bank of Canada"')) == [both]
    assert both not in Article.objects.published().search("canada -rate")


@pytest.mark.postgres
def test_the_index_is_refreshed_after_the_save_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(headline="Snowstorm closes schools")
    assert list(Article.objects.published().search("snowstorm")) == [article]
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Ice storm closes schools"
        article.describe_change("update", "The storm turned to ice.")
        article.save()
    assert not Article.objects.published().search("snowstorm").exists()
    assert list(Article.objects.published().search("ice storm")) == [article]


@pytest.mark.postgres
def test_adding_a_tag_refreshes_the_index(django_capture_on_commit_callbacks):
    article = story(headline="Council notes")
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add("Potholes")
    assert list(Article.objects.published().search("potholes")) == [article]


@pytest.mark.postgres
def test_rebuild_command_indexes_stories_saved_in_bulk():
    section = SectionFactory()
    Article.objects.bulk_create(
        Article(
            headline=f"Curling final {n}",
            slug=f"curling-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(hours=1),
        )
        for n in range(5)
    )
    assert not Article.objects.published().search("curling").exists()
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)
    assert Article.objects.published().search("curling").count() == 5
    assert "5/5 stories (100%" in out.getvalue()
    assert "Indexed 5 stories" in out.getvalue()


@pytest.mark.postgres
def test_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'articles_article'"
            " AND indexname = 'article_search_vector_gin'"
        )
        row = cursor.fetchone()
    assert row is not None and "USING gin (search_vector)" in row[0]


def test_headlines_of_results_are_highlighted_and_escaped(client):
    story(headline="<b>Wildfire</b> & smoke advisory")
    response = client.get("/search/", {"q": "wildfire"})
    [article] = response.context["page_obj"].object_list
    assert "<mark>Wildfire</mark>" in article.headline_html
    assert "&lt;b&gt;" in article.headline_html and "&amp; smoke" in article.headline_html


# --- Snippets a reader can read -------------------------------------------------------


def _snippets(client, query):
    return [str(article.snippet) for article in found(client, query)]


def test_a_snippet_never_runs_a_subhead_into_the_next_paragraph(client):
    story(
        headline="Crews hold the line",
        standfirst="",
        body="<p>Crews worked all night near Kelowna.</p><h2>What comes next</h2>"
        "<p>Officials will review the evacuation order for Kelowna.</p>",
    )
    (snippet,) = _snippets(client, "Kelowna")
    assert "What comes next — Officials" in snippet
    assert "next Officials" not in snippet


def test_a_subhead_with_its_own_question_mark_gets_no_extra_dash(client):
    story(
        headline="Why rents rise",
        standfirst="",
        body="<p>Rents rose in Halifax.</p><h2>Why now?</h2><p>Halifax grew fast.</p>",
    )
    (snippet,) = _snippets(client, "Halifax")
    assert "Why now? Halifax" in snippet.replace("<mark>", "").replace("</mark>", "")


def test_regional_versions_of_one_story_do_not_repeat_the_same_snippet(client):
    body = (
        "<p>A median household would spend more than half its pay on housing costs, the "
        "agency said. The news came as officials in {place} met to plan their next steps. "
        "Rental vacancy in the city is below two per cent.</p>"
    )
    now = timezone.now()
    for n, place in enumerate(["Moncton", "Halifax", "Regina", "Saskatoon"]):
        story(
            headline=f"Housing starts climb in {place}",
            standfirst=f"Builders in {place} broke ground on more homes than last year."
            if n < 2
            else "Builders broke ground on more homes than last year.",
            body=body.format(place=place),
            publish_at=now - timedelta(hours=n + 1),
        )
    snippets = _snippets(client, "housing")
    plain = [re.sub(r"<[^>]+>", "", snippet) for snippet in snippets]
    assert len(plain) == 4
    # The first keeps its best fragment; the second, a copy but for the place, shows its own
    # standfirst; the last two, whose standfirsts are the second's but for the place, none.
    assert "half its pay on housing costs" in plain[0]
    assert plain[1] == "Builders in Halifax broke ground on more homes than last year."
    assert plain[2:] == ["", ""]
    html = client.get("/search/", {"q": "housing"}).content.decode()
    assert html.count('class="search-result__snippet"') == 2
