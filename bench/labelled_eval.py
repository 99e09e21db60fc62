"""Related stories against topic labels the algorithm never sees.

The demo generator (``articles.demo.generator.story_plan``) gives every story a topic
``label`` alongside its text, tags and section; the algorithm reads only the latter. For each
published story we take the list the page would show (the first ``COUNT``; the block is
hidden when fewer than ``MIN_SHOWN`` qualify) and report:

- precision@6: share of shown stories with the same topic label (over stories with a block);
- empty: share of stories whose block is hidden.

Compared with two simple baselines: *shared tags only* (most shared tags, newest first) and
*newest in the same section*. Everything runs in memory (no database).

    .venv/bin/python bench/labelled_eval.py [--stories 5000] [--seeds 2026 7]
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def archive(seed, size):
    from articles.demo.generator import story_plan

    plans = [story_plan(seed, i) for i in range(size)]
    tag_ids, section_ids = {}, {}
    for plan in plans:
        plan["tag_ids"] = {tag_ids.setdefault(t, len(tag_ids)) for t in plan["tags"]}
        plan["section_id"] = section_ids.setdefault(plan["section"], len(section_ids))
    return plans


def build_index(plans, conf):
    from django.utils import timezone

    from articles.related import article_text
    from articles.related.index import RelatedIndex, _embed_in_batches
    from articles.textsim import TextModel

    now = timezone.now()
    texts = [article_text(p["headline"], p["standfirst"], p["body"]) for p in plans]
    model = TextModel.fit(
        texts, dimensions=conf["DIMENSIONS"], semantic_weight=conf["SEMANTIC_WEIGHT"]
    )
    vectors, tfidf = _embed_in_batches(model, texts)
    return RelatedIndex(
        model,
        ids=list(range(len(plans))),
        vectors=vectors,
        tfidf=tfidf,
        sections=[p["section_id"] for p in plans],
        published=[(now - timedelta(hours=p["age_hours"])).timestamp() for p in plans],
        live=[p["status"] == "published" for p in plans],
        tags={i: p["tag_ids"] for i, p in enumerate(plans)},
        database="memory",
    )


def ours(index, conf):
    from articles.related.rebuild import compute_lists

    shown = {}
    for _, lists, _ in compute_lists(index, conf):
        for pk, entries in lists.items():
            shown[pk] = [related for related, _ in entries[: conf["COUNT"]]]
    return shown


def shared_tags(plans, conf):
    live = [i for i, p in enumerate(plans) if p["status"] == "published"]
    by_tag = {}
    for i in live:
        for tag in plans[i]["tag_ids"]:
            by_tag.setdefault(tag, []).append(i)
    shown = {}
    for i in live:
        counts = {}
        for tag in plans[i]["tag_ids"]:
            for j in by_tag[tag]:
                if j != i:
                    counts[j] = counts.get(j, 0) + 1
        ranked = sorted(counts, key=lambda j: (-counts[j], plans[j]["age_hours"], -j))
        shown[i] = ranked[: conf["COUNT"]]
    return shown


def newest_in_section(plans, conf):
    live = [i for i, p in enumerate(plans) if p["status"] == "published"]
    by_section = {}
    for i in sorted(live, key=lambda i: (plans[i]["age_hours"], -i)):
        by_section.setdefault(plans[i]["section"], []).append(i)
    return {
        i: [j for j in by_section[plans[i]["section"]][: conf["COUNT"] + 1] if j != i][
            : conf["COUNT"]
        ]
        for i in live
    }


def measure(plans, shown, conf):
    precisions, empty = [], 0
    for i, related in shown.items():
        if len(related) < conf["MIN_SHOWN"]:
            empty += 1
            continue
        label = plans[i]["label"]
        precisions.append(sum(plans[j]["label"] == label for j in related) / len(related))
    return (float(np.mean(precisions)) if precisions else 0.0), empty / max(len(shown), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2026, 7])
    args = parser.parse_args()
    import django

    django.setup()
    from articles.related import config

    conf = config()
    weights = conf["WEIGHTS"]

    def variant(**changes):
        return {**conf, "WEIGHTS": {**weights, **changes}}

    print(f"{'archive':<22} {'method':<44} {'precision@6':>11} {'empty':>7} {'time':>7}")
    print("-" * 95)
    for seed in args.seeds:
        plans = archive(seed, args.stories)
        name = f"demo seed {seed}, {len(plans):,}"
        started = time.perf_counter()
        index = build_index(plans, conf)
        build = time.perf_counter() - started
        runs = [
            ("project default (text+tags+section+recency)", partial(ours, index, conf)),
            ("  text only", partial(ours, index, variant(tags=0, section=0, recency=0))),
            ("  rarity-weighted tags only", partial(ours, index, variant(text=0, section=0))),
            ("baseline: shared tags only", partial(shared_tags, plans, conf)),
            ("baseline: newest in the same section", partial(newest_in_section, plans, conf)),
        ]
        for label, run in runs:
            started = time.perf_counter()
            shown = run()
            elapsed = time.perf_counter() - started
            precision, empty = measure(plans, shown, conf)
            print(f"{name:<22} {label:<44} {precision:>11.3f} {empty:>7.1%} {elapsed:>6.1f}s")
        print(f"{'':<22} (index built in {build:.1f}s)")


if __name__ == "__main__":
    main()
