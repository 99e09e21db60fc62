from functools import partial

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from . import languages
from .frontpage import build_home
from .models import Article, Author, InfoPage, Section, SlugRedirect, public_tags
from .paths import in_language
from .search import (
    MAX_QUERY_LENGTH,
    CountedResults,
    attach_snippets,
    clean_query,
    with_snippets,
)
from .story_page import published_story


def asked_page_number(value):
    """The page number ``?page=`` asks for: 1 for no number ("abc", "-1", "0"), a 404 for a
    number no list can reach."""
    text = (value or "").strip()
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or not digits:
        return 1
    # Compared as text first: int() refuses strings of more than 4300 digits.
    if len(digits) > 9:
        raise Http404("No such page.")
    return int(digits)


def requested_page(paginator, value):
    """The page ``?page=`` asks for: the first for no number ("abc", "-1", "0"), a 404 past
    the last. The page cache keeps only pages asked for as plain numbers, so none of the
    others fill it (newsroom/pagecache.py)."""
    number = asked_page_number(value)
    if number > paginator.num_pages:
        raise Http404("No such page.")
    return paginator.page(number)


def alternates(url_name, *args, languages_present=languages.CODES):
    """``{language: address}`` of one page in each language it exists in: what the language
    switcher and the ``hreflang`` links of ``base.html`` use (empty: no counterpart)."""
    return {code: in_language(code, url_name, *args) for code in languages_present}


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home"] = build_home(language=languages.current())
        # Each language's home page is the other's counterpart.
        context["alternates"] = alternates("articles:home")
        return context


def shorter_cdn_time(story, response):
    """A story whose page changes by the minute (live coverage: ``cdn_max_age``, set while
    rendering) is kept by a CDN that many seconds instead of ``PAGE_CDN_MAX_AGE``."""
    seconds = story.cdn_max_age
    if seconds is not None and response.status_code == 200:
        response["Cache-Control"] = (
            f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={seconds}"
        )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        # published_story() is Article.objects.published().with_related_data() with the
        # rating summary, for one story, in plain SQL (articles/page_sql.py): the hot page.
        # Only in the address's language: an English story is not at /fr/article/….
        story = published_story(self.kwargs["slug"], timezone.now(), languages.current())
        if story is None:
            raise Http404("No published story at this address.")
        return story

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            language = languages.current()
            retracted = (
                Article.objects.retracted()
                .in_language(language)
                .filter(slug=kwargs["slug"])
                .select_related("section")
                .first()
            )
            if retracted is not None:
                return retraction_page(request, retracted)
            # An old address of a story that is still live (or retracted): send readers to
            # the current one. The old address of the page's language only: /story/<old>/
            # never leads to a French story, nor /fr/article/<old>/ to an English one.
            shown = Article.objects.published() | Article.objects.retracted()
            moved = SlugRedirect.objects.filter(
                language=language,
                old_slug=kwargs["slug"],
                article__in=shown.in_language(language),
            ).select_related("article")
            old = moved.first()
            if old is None:
                raise
            return redirect(old.article, permanent=True)
        context = self.get_context_data(object=self.object)
        # The navigation marks the story's section (aria-current="true": in it, not on it).
        context["current_section"] = self.object.section
        # The story in the other language, if published (read with the story: no query).
        context["alternates"] = self.object.language_versions()
        response = self.render_to_response(context)
        response.add_post_render_callback(partial(shorter_cdn_time, self.object))
        return response


def retraction_page(request, article):
    """410 Gone: the story was retracted. Its headline, when and why; never its text.

    Kept by the page cache under the story's group like the story was (``cached_pages``),
    so the retraction reaches readers with the story's invalidation, and a later legal
    removal turns it into a 404 the same way.
    """
    return TemplateResponse(request, "articles/retracted.html", {"retracted": article}, status=410)


class StoryListView(ListView):
    """A paginated list of published stories; subclasses say which ones."""

    template_name = "articles/story_list.html"
    context_object_name = "stories"
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    feed_url_name = None  # e.g. "articles:feed-section": its RSS and Atom get <link>s
    show_sections = True  # each story's section beside its time (not on a section's own page)

    def get_stories(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_sections"] = self.show_sections
        if self.feed_url_name:
            slug = self.kwargs["slug"]
            context["feed_rss_url"] = reverse(f"{self.feed_url_name}-rss", args=[slug])
            context["feed_atom_url"] = reverse(f"{self.feed_url_name}-atom", args=[slug])
        return context

    def get_queryset(self):
        stories = self.get_stories().in_language(languages.current())
        return stories.published().for_cards().latest_first()

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = requested_page(paginator, self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class SectionView(StoryListView):
    feed_url_name = "articles:feed-section"
    show_sections = False

    def get_stories(self):
        language = languages.current()
        # The paired section in the other language, if readers may open it: read with the
        # section, so the page keeps its three queries.
        paired = (
            Section.objects.public()
            .filter(language=languages.other(language))
            .filter(
                Q(pk=OuterRef("translation_of_id"))
                | Q(translation_of_id=OuterRef("pk"), translation_of_id__isnull=False)
            )
        )
        self.section = get_object_or_404(
            Section.objects.public().annotate(paired_slug=Subquery(paired.values("slug")[:1])),
            slug=self.kwargs["slug"],
            language=language,
        )
        return Article.objects.in_section(self.section)

    def get_context_data(self, **kwargs):
        pages = {}
        if self.section.paired_slug:
            other = languages.other(self.section.language)
            pages = {
                self.section.language: self.section.get_absolute_url(),
                other: in_language(other, "articles:section", self.section.paired_slug),
            }
        return super().get_context_data(
            listing=self.section,
            heading=self.section.name,
            alternates=pages,
            current_section=self.section,
            on_section_page=True,
            **kwargs,
        )


class TagView(StoryListView):
    feed_url_name = "articles:feed-tag"

    def get_stories(self):
        # A tag or author known only from drafts is a 404, like the drafts themselves.
        # Tags are per language (French stories have French tags): no counterpart page.
        self.tag = get_object_or_404(public_tags(languages.current()), slug=self.kwargs["slug"])
        return Article.objects.tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(listing=self.tag, heading=self.tag.name, **kwargs)


class AuthorView(StoryListView):
    template_name = "articles/author_detail.html"
    feed_url_name = "articles:feed-author"

    def get_stories(self):
        self.author = get_object_or_404(
            Author.objects.public(languages.current()), slug=self.kwargs["slug"]
        )
        return Article.objects.by_author(self.author)

    def get_context_data(self, **kwargs):
        # Authors are shared: their page exists in each language they have published in.
        public_in = [
            code
            for code in languages.CODES
            if code == languages.current()
            or Author.objects.public(code).filter(pk=self.author.pk).exists()
        ]
        pages = alternates("articles:author", self.author.slug, languages_present=public_in)
        return super().get_context_data(
            author=self.author,
            listing=self.author,
            heading=self.author.name,
            alternates=pages if len(pages) > 1 else {},
            **kwargs,
        )


def search(request):
    """The search page: a form, then ranked results with highlighted snippets, in pages."""
    query = clean_query(request.GET.get("q", ""))
    page = None
    if query.is_searchable:
        # The address's language only, with its own stemming (articles/search.py).
        language = languages.current()
        results = Article.objects.published().search(query, language).for_cards()
        # One query on PostgreSQL: the page's stories, how many matched, their snippets.
        results = with_snippets(results, query, language)
        per_page, number = settings.NEWSROOM_PAGE_SIZE, asked_page_number(request.GET.get("page"))
        paginator = Paginator(CountedResults(results, per_page, number), per_page)
        page = requested_page(paginator, request.GET.get("page"))
        page.object_list = attach_snippets(page.object_list, query, language)
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "page_obj": page,
            "max_query_length": MAX_QUERY_LENGTH,
            "alternates": alternates("articles:search"),
        },
    )


def info_page(request, slug):
    """About, Contact, Corrections policy, Privacy: pages editors keep in the admin."""
    page = get_object_or_404(InfoPage, slug=slug, language=languages.current())
    pages = {code: other.get_absolute_url() for code, other in page.counterparts().items()}
    if pages:
        pages[page.language] = page.get_absolute_url()
    return render(request, "articles/info_page.html", {"page": page, "alternates": pages})


LATEST_ON_404 = 6


def page_not_found(request, exception=None):
    """The 404 page: a search box and the latest stories, so a wrong address is not a dead end."""
    try:
        latest = list(
            Article.objects.published()
            .in_language(languages.current())
            .for_cards()
            .latest_first()[:LATEST_ON_404]
        )
    except DatabaseError:  # the 404 page must not turn a database outage into a 500
        latest = []
    return render(request, "404.html", {"latest": latest}, status=404)


def feeds_page(request):
    """What a news feed is, and every feed of the site in the page's language: where a reader
    who opens a feed's address in a browser is sent from the footer, since browsers no longer
    turn a feed into a page (the feeds themselves carry no stylesheet)."""
    sections = Section.objects.for_navigation()  # cached with the navigation: no query
    return render(
        request,
        "articles/feeds.html",
        {"feed_sections": sections, "alternates": alternates("articles:feeds")},
    )
