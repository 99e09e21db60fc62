"""How fast is search on a big PostgreSQL database? Prints a table; not part of the tests.

    DATABASE_URL=postgres://…/newsroom python manage.py load_demo --articles 100000
    DATABASE_URL=postgres://…/newsroom python bench/search.py [--runs 7]

For each query: matches, then the median time of what the search page does — count the
matches, fetch the first page ranked (story cards), and build its snippets —
and whether PostgreSQL's plan uses the GIN index.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search import attach_snippets, clean_query  # noqa: E402

QUERIES = [
    "wildfire",
    "bank of canada",
    "housing prices toronto",
    '"interest rate"',
    "hockey -playoffs",
    "evacuations",
    "zeppelin",
    "the of and",
]


def search_page(text):
    query = clean_query(text)
    results = Article.objects.published().search(query).for_cards()
    count = results.count()
    page = attach_snippets(results[: settings.NEWSROOM_PAGE_SIZE], query)
    return count, page


def uses_gin(text):
    query = clean_query(text)
    sql, params = Article.objects.published().search(query).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return "article_search_vector_gin" in plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL=postgres://…")
    total = Article.objects.published().count()
    if total < 1000:
        sys.exit(f"Only {total} published stories: load more with manage.py load_demo first.")
    print(f"{total:,} published stories; median of {args.runs} runs per query\n")
    print(f"| {'query':<24} | {'matches':>8} | {'page ms':>8} | {'max ms':>7} | GIN |")
    print(f"|{'-' * 26}|{'-' * 10}|{'-' * 10}|{'-' * 9}|-----|")
    for text in QUERIES:
        search_page(text)  # warm the cache
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            count, _ = search_page(text)
            timings.append((time.perf_counter() - started) * 1000)
        gin = "yes" if uses_gin(text) else "no"
        print(
            f"| {text:<24} | {count:>8,} | {statistics.median(timings):>8.1f} "
            f"| {max(timings):>7.1f} | {gin:<3} |"
        )


if __name__ == "__main__":
    main()
