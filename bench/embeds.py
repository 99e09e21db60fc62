"""What embeds cost a save and a render, in-process (no database, no network).

    .venv/bin/python bench/embeds.py --against 2dd5742

Prints, in microseconds per call (median of 7 rounds): recognising an address
(``embed_for_url``), sanitising a typical body with and without embeds (``clean_html``, run on
every save), and turning a body's stored embeds into facades (``embed_facades``, run on every
uncached render of a page that has one; a body without an embed is one substring test).
With ``--against COMMIT``, ``clean_html`` of that commit's ``articles/sanitize.py`` (before
embeds) is timed in the same rounds, alternating, so a busy machine slows both alike.
"""

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from articles.embed_facade import embed_facades  # noqa: E402
from articles.embeds import embed_for_id, embed_for_url  # noqa: E402
from articles.sanitize import clean_html  # noqa: E402

PARAGRAPH = (
    "<p>The council voted seven to four on Thursday to keep fares frozen for another year, "
    'after months of debate and a <a href="https://example.ca/report">staff report</a>.</p>'
)
PLAIN = PARAGRAPH * 12
EMBEDS = [
    embed_for_id("youtube", "dQw4w9WgXcQ", "The mayor on the vote").stored_html(),
    embed_for_id("soundcloud", "some-artist/a-track").stored_html(),
]
WITH_EMBEDS = PARAGRAPH * 4 + EMBEDS[0] + PARAGRAPH * 4 + EMBEDS[1] + PARAGRAPH * 4
LONE = PARAGRAPH * 6 + "<p>https://youtu.be/dQw4w9WgXcQ</p>" + PARAGRAPH * 6


ROOT = Path(__file__).resolve().parent.parent


def per_call(function, number):
    rounds = timeit.repeat(function, number=number, repeat=7)
    return statistics.median(rounds) / number * 1e6


def old_clean_html(commit):
    source = subprocess.run(
        ["git", "show", f"{commit}:articles/sanitize.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location("old_sanitize", file.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.unlink(file.name)
    return module.clean_html


def alternating(old, new, number, rounds=7):
    """Median µs per call of ``old`` and ``new``, timed in alternating rounds."""
    times = {"old": [], "new": []}
    for _ in range(rounds):
        for name, function in (("old", old), ("new", new)):
            times[name].append(timeit.timeit(function, number=number) / number * 1e6)
    return statistics.median(times["old"]), statistics.median(times["new"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="a commit before embeds, for clean_html's cost")
    args = parser.parse_args()
    translation.activate("en")
    rows = [
        ("embed_for_url, a YouTube page address", lambda: embed_for_url(
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"), 20_000),
        ("embed_for_url, another host (None)", lambda: embed_for_url(
            "https://www.cbc.ca/player/play/video/9.123"), 20_000),
        ("clean_html, 12 paragraphs, no embed", lambda: clean_html(PLAIN), 2_000),
        ("clean_html, 12 paragraphs + 2 stored embeds", lambda: clean_html(WITH_EMBEDS), 2_000),
        ("clean_html, 12 paragraphs + 1 lone address", lambda: clean_html(LONE), 2_000),
        ("embed_facades, body without embed", lambda: embed_facades(PLAIN), 50_000),
        ("embed_facades, body with 2 embeds", lambda: embed_facades(WITH_EMBEDS), 5_000),
    ]  # fmt: skip
    print(f"| {'operation':<48} | µs per call |")
    print(f"| {'-' * 48} | ----------: |")
    for name, function, number in rows:
        print(f"| {name:<48} | {per_call(function, number):11.1f} |")
    if args.against:
        old = old_clean_html(args.against)
        print(f"\nclean_html of {args.against} (old) beside this checkout (new), alternating:\n")
        print(f"| {'body':<38} | old µs | new µs |")
        print(f"| {'-' * 38} | -----: | -----: |")
        for name, body in (
            ("12 paragraphs, no embed", PLAIN),
            ("12 paragraphs + 1 lone YouTube address", LONE),
        ):
            before, after = alternating(lambda b=body: old(b), lambda b=body: clean_html(b), 2_000)
            print(f"| {name:<38} | {before:6.1f} | {after:6.1f} |")


if __name__ == "__main__":
    main()
