"""What reading a wire item costs the worker, in-process (no database, no network).

    .venv/bin/python bench/wire_parse.py

Prints, in microseconds per item (median of 7 rounds of 200), ``wire.parsers.parse`` of each
test item in tests/wire/items/ (format check, schema or structure checks, sanitising the
body), and its part spent in the ninjs schema check alone. A wire service sends a few
thousand items a day: these figures say whether parsing could ever matter (it cannot: the
database write dominates).
"""

import json
import os
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from wire.parsers import ninjs, parse  # noqa: E402

ITEMS = Path(__file__).resolve().parent.parent / "tests" / "wire" / "items"
ROUNDS, NUMBER = 7, 200


def median_us(function):
    times = timeit.repeat(function, repeat=ROUNDS, number=NUMBER)
    return statistics.median(times) / NUMBER * 1e6


def main():
    print("| item | bytes | parse µs | of which schema µs |")
    print("| --- | ---: | ---: | ---: |")
    for path in sorted(ITEMS.iterdir()):
        raw = path.read_bytes()
        parse_us = median_us(lambda raw=raw: parse(raw))
        schema = ""
        if path.suffix == ".json":
            document = json.loads(raw)
            schema = f"{median_us(lambda d=document: ninjs.problems(d)):.0f}"
        print(f"| {path.name} | {len(raw):,} | {parse_us:.0f} | {schema} |")


if __name__ == "__main__":
    main()
