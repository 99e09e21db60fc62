"""The related engine is one package (``articles/related/``) of modules short enough to read,
and its settings' defaults are written once (``settings.RELATED_STORIES``)."""

import ast
from pathlib import Path

import pytest

from articles.related.conf import LSA_SHARE, config

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "articles" / "related"
# The numerical libraries only the engine uses: a module importing them is engine code.
NUMERICAL = {"numpy", "scipy"}
# Split a module by job before it passes this (docs/architecture/related.md lists the jobs).
MAX_LINES = 400


def imported_top_level_names(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_no_engine_module_lives_outside_the_related_package():
    """A module of the apps that imports numpy or scipy is in articles/related/."""
    outside = [
        str(path.relative_to(ROOT))
        for app in ("articles", "newsroom", "ratings", "wordpress")
        for path in sorted((ROOT / app).rglob("*.py"))
        if ENGINE not in path.parents and imported_top_level_names(path) & NUMERICAL
    ]
    assert not outside, f"Move into articles/related/: {', '.join(outside)}"


def test_every_module_of_the_engine_is_short_enough_to_read():
    """Each module of articles/related/ has at most 400 lines."""
    long = {
        path.name: n
        for path in sorted(ENGINE.glob("*.py"))
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"Split by job: {long}"


def test_the_engine_uses_the_values_settings_give_it(settings):
    """Every value of settings.RELATED_STORIES reaches the engine unchanged (no second default)."""
    settings.RELATED_STORIES = {
        **settings.RELATED_STORIES,
        "SPARE": 7,
        "IN_PROCESS_BUILD_LIMIT": 9,
        "WEIGHTS": {"text": 0.5, "tags": 0.2, "section": 0.2, "recency": 0.1},
    }
    conf = config()
    assert conf["SPARE"] == 7
    assert conf["IN_PROCESS_BUILD_LIMIT"] == 9
    assert conf["WEIGHTS"] == {"text": 0.5, "tags": 0.2, "section": 0.2, "recency": 0.1}
    assert conf["SEMANTIC_WEIGHT"] == LSA_SHARE["off"]  # unset: the method's share


@pytest.mark.parametrize("key", ["SPARE", "IN_PROCESS_BUILD_LIMIT", "MAX_COUNT", "MIN_SHOWN"])
def test_the_fixed_related_values_are_in_the_settings(settings, key):
    """The values no variable sets are written in settings.RELATED_STORIES too, not in conf."""
    assert key in settings.RELATED_STORIES
