"""Story, section and author addresses are what reverse() gives, without its cost."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.paths import path, slug_path


@pytest.mark.parametrize("name", ["articles:detail", "articles:section", "articles:author"])
@pytest.mark.parametrize("slug", ["wildfire-forces-evacuation", "a_b-9", "2026"])
def test_slug_path_is_what_reverse_gives(name, slug):
    assert slug_path(name, slug) == reverse(name, args=[slug])


def test_a_slug_reverse_refuses_is_refused_the_same_way():
    with pytest.raises(NoReverseMatch):
        slug_path("articles:detail", "montréal-transit")


def test_slug_path_follows_the_script_prefix():
    try:
        set_script_prefix("/news/")
        assert slug_path("articles:detail", "budget-day") == "/news/story/budget-day/"
        assert slug_path("articles:detail", "budget-day") == reverse(
            "articles:detail", args=["budget-day"]
        )
    finally:
        set_script_prefix("/")
    assert slug_path("articles:detail", "budget-day") == "/story/budget-day/"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("articles:home", ()),
        ("articles:feed-latest-rss", ()),
        ("ratings:vote", (7,)),
        ("ratings:summary", (1234567,)),
        ("articles:tag", ("housing",)),
        ("articles:tag", ("montréal",)),
    ],
)
def test_path_is_what_reverse_gives(name, args):
    assert path(name, *args) == reverse(name, args=args)


def test_path_follows_the_script_prefix_for_ids_too():
    try:
        set_script_prefix("/news/")
        assert path("ratings:vote", 12) == reverse("ratings:vote", args=[12])
        assert path("ratings:vote", 12).startswith("/news/")
    finally:
        set_script_prefix("/")
    assert path("ratings:vote", 12) == reverse("ratings:vote", args=[12])
