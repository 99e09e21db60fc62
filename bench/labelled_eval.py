"""Related stories against topic labels the algorithm never sees: the demo archive and Reuters.

Two archives:

- the demo generator (``demo.generator.story_plan``) gives every story a topic
  ``label`` alongside its text, tags and section; the algorithm reads only the latter. A
  running story there is one headline template ("Wildfire forces evacuation of thousands near
  X") told for different places;
- Reuters-21578 R8 (``/work/shared/data/reuters21578/r8.jsonl``, research use only, read in
  place): 7,219 real newswire stories with one topic each, no tags, one section, real exact and
  near duplicates.

For each published story we take the list the page would show (the first ``COUNT``; the block
is hidden when fewer than ``MIN_SHOWN`` qualify) and report:

- precision@6: share of shown stories with the same topic label (over stories with a block);
- empty: share of stories whose block is hidden;
- dup lists: share of shown lists holding a near-duplicate pair (two shown stories, or a shown
  story and the story itself, with an exact TF-IDF cosine of at least 0.9: the judge is the
  plain TF-IDF model, not the method's own vectors);
- copy lists: share of shown lists holding a near-copy pair (two shown stories, or a shown
  story and the story itself, of which one shares at least 80 % of its word 5-shingles with
  the other, counted exactly on the shingle sets: regional versions of one text);
- >2 running (demo only): share of lists with more than two stories of one headline template.

Baselines: random stories (the floor), plain TF-IDF cosine (the reference to beat), and on the
demo archive shared tags only and newest in the same section. Everything runs in memory.

The near-duplicate judge is the variety rule's own definition (``articles/related/variety.py``:
TF-IDF cosine at least ``NEAR_DUPLICATE``), so "dup lists" counts what the rule let through.

``--choose`` prints Reuters precision@6 for semantic shares 0, 0.3 and 0.6, for information:
the configured share was chosen on half of Lee's rated pairs (``bench/lee_eval.py``).

    .venv/bin/python bench/labelled_eval.py [--stories 5000] [--seeds 2026 7]
        [--embedding glove] [--choose] [--no-demo] [--reuters-stories N] [--only-configured]
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

REUTERS = Path(os.environ.get("REUTERS_DATA", "/work/shared/data/reuters21578")) / "r8.jsonl"
JUDGE_DUPLICATE = 0.9
JUDGE_COPY = 0.8


def archive(seed, size):
    from demo import topics as T
    from demo.generator import story_plan

    plans = [story_plan(seed, i) for i in range(size)]
    tag_ids, section_ids = {}, {}
    for i, plan in enumerate(plans):
        plan["tag_ids"] = {tag_ids.setdefault(t, len(tag_ids)) for t in plan["tags"]}
        plan["section_id"] = section_ids.setdefault(plan["section"], len(section_ids))
        # The headline template, drawn as story_plan draws it: the running story.
        rng = random.Random(f"{seed}:{i}")
        topic = rng.choice(T.TOPICS)
        rng.choice(T.PLACES)
        plan["running"] = rng.choice(topic["headlines"])
    return plans


def reuters(limit=None):
    plans = []
    newest = None
    for line in REUTERS.read_text(encoding="utf-8").splitlines()[:limit]:
        story = json.loads(line)
        when = datetime.strptime(story["date"].split(".")[0], "%d-%b-%Y %H:%M:%S")
        when = when.replace(tzinfo=UTC)
        newest = max(newest or when, when)
        plans.append(
            {
                "label": story["topic"],
                "headline": story["title"].title(),
                "standfirst": "",
                "body": story["body"],
                "tag_ids": set(),
                "section_id": 0,
                "section": "business",
                "status": "published",
                "when": when,
            }
        )
    for plan in plans:  # ages as if the archive's newest story came out an hour ago
        plan["age_hours"] = (newest - plan["when"]).total_seconds() / 3600 + 1
    return plans


def texts_of(plans):
    from articles.related import article_text

    return [article_text(p["headline"], p["standfirst"], p["body"]) for p in plans]


def embed(plans, name):
    """{story: vector} from the optional model, as the worker would have stored them."""
    from articles.related.embeddings import get_model

    vectors = get_model(name).embed(texts_of(plans))
    return dict(enumerate(vectors))


def build_index(plans, conf, embedding=None):
    from django.utils import timezone

    from articles.related.index import RelatedIndex
    from articles.related.shingles import signatures
    from articles.related.text import TextModel
    from articles.related.vectors import embed_in_batches

    now = timezone.now()
    texts = texts_of(plans)
    model = TextModel.fit(
        texts, dimensions=conf["DIMENSIONS"], semantic_weight=conf["SEMANTIC_WEIGHT"]
    )
    vectors, tfidf = embed_in_batches(model, texts)
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
        embedding=embedding or {},
        embedding_name=conf["EMBEDDING"] if embedding else "off",
        headlines=[p["headline"] for p in plans],
        shingles=signatures(texts),
    )


def ours(index, conf):
    from articles.related.rebuild import compute_lists

    shown = {}
    for _, lists, _ in compute_lists(index, conf):
        for pk, entries in lists.items():
            shown[pk] = [related for related, _ in entries[: conf["COUNT"]]]
    return shown


def live_ids(plans):
    return [i for i, p in enumerate(plans) if p["status"] == "published"]


def random_stories(plans, conf, seed=0):
    rng = random.Random(seed)
    live = live_ids(plans)
    return {i: [j for j in rng.sample(live, conf["COUNT"] + 1) if j != i][: conf["COUNT"]]
            for i in live}  # fmt: skip


def tfidf_cosine(plans, conf, judge):
    """Plain TF-IDF cosine on title + body: the best ``COUNT`` by cosine, nothing else."""
    live = np.asarray(live_ids(plans))
    matrix = judge[live]
    shown = {}
    for first in range(0, len(live), 512):
        block = (matrix[first : first + 512] @ matrix.T).toarray()
        for k, i in enumerate(live[first : first + 512]):
            block[k, first + k] = -1
            best = np.argpartition(-block[k], conf["COUNT"])[: conf["COUNT"]]
            best = best[np.argsort(-block[k][best])]
            shown[int(i)] = [int(live[j]) for j in best if block[k][j] > 0]
    return shown


def shared_tags(plans, conf, judge=None):
    live = live_ids(plans)
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


def newest_in_section(plans, conf, judge=None):
    live = live_ids(plans)
    by_section = {}
    for i in sorted(live, key=lambda i: (plans[i]["age_hours"], -i)):
        by_section.setdefault(plans[i]["section"], []).append(i)
    return {
        i: [j for j in by_section[plans[i]["section"]][: conf["COUNT"] + 1] if j != i][
            : conf["COUNT"]
        ]
        for i in live
    }


def shingle_sets(plans):
    from articles.related.shingles import shingle_hashes

    return [set(shingle_hashes(text).tolist()) for text in texts_of(plans)]


def copy_pair(members, sets):
    """True when one of ``members`` shares at least ``JUDGE_COPY`` of its shingles with
    another (exact sets, not the engine's estimate)."""
    for a, i in enumerate(members):
        for j in members[a + 1 :]:
            smaller = min(len(sets[i]), len(sets[j]))
            if smaller and len(sets[i] & sets[j]) >= JUDGE_COPY * smaller:
                return True
    return False


def measure(plans, shown, conf, judge, sets):
    """precision@6, empty share, share of shown lists with a near-duplicate pair, with a
    near-copy pair, and share of shown lists with more than two stories of one running story
    (None without those)."""
    precisions, empty, duplicates, copies, crowded, lists = [], 0, 0, 0, 0, 0
    has_running = "running" in plans[0]
    for i, related in shown.items():
        if len(related) < conf["MIN_SHOWN"]:
            empty += 1
            continue
        lists += 1
        label = plans[i]["label"]
        precisions.append(sum(plans[j]["label"] == label for j in related) / len(related))
        members = [i, *related]
        sims = (judge[members] @ judge[members].T).toarray()
        np.fill_diagonal(sims, 0)
        duplicates += bool((sims >= JUDGE_DUPLICATE).any())
        copies += copy_pair(members, sets)
        if has_running:
            counts = {}
            for j in related:
                counts[plans[j]["running"]] = counts.get(plans[j]["running"], 0) + 1
            crowded += max(counts.values()) > 2
    return (
        float(np.mean(precisions)) if precisions else 0.0,
        empty / max(len(shown), 1),
        duplicates / max(lists, 1),
        copies / max(lists, 1),
        crowded / max(lists, 1) if has_running else None,
    )


def judge_matrix(plans):
    from articles.related.text import TextModel

    texts = texts_of(plans)
    return TextModel.fit(texts, dimensions=0).tfidf(texts)


def report(name, label, plans, run, conf, judge, sets):
    started = time.perf_counter()
    shown = run()
    elapsed = time.perf_counter() - started
    precision, empty, duplicates, copies, crowded = measure(plans, shown, conf, judge, sets)
    crowded = "" if crowded is None else f"{crowded:>8.1%}"
    print(
        f"{name:<20} {label:<44} {precision:>9.3f} {empty:>7.1%} {duplicates:>9.1%} "
        f"{copies:>9.1%} {crowded:>9} {elapsed:>6.1f}s",
        flush=True,
    )
    return precision


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2026, 7])
    parser.add_argument("--embedding", default=None, help="glove or minilm (default: setting)")
    parser.add_argument("--choose", action="store_true", help="Reuters precision by share")
    parser.add_argument("--no-reuters", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument(
        "--reuters-stories", type=int, default=None, help="only the first N Reuters stories"
    )
    parser.add_argument(
        "--only-configured", action="store_true", help="no variants or baselines (a quick check)"
    )
    parser.add_argument("--only-choose", action="store_true", help="stop after --choose")
    args = parser.parse_args()
    import django

    django.setup()
    from articles.related import config

    conf = config()
    name = args.embedding or conf["EMBEDDING"]
    if name == "off":
        name = None
    weights = conf["WEIGHTS"]

    from django.conf import settings

    from articles.related.conf import LSA_SHARE

    lsa_set = settings.RELATED_STORIES.get("SEMANTIC_WEIGHT")  # None: by method, as the site

    def variant(embedding=None, **changes):
        lsa = (
            lsa_set if lsa_set is not None else LSA_SHARE["with embedding" if embedding else "off"]
        )
        return {
            **conf,
            "EMBEDDING": embedding or "off",
            "SEMANTIC_WEIGHT": lsa,
            "WEIGHTS": {**weights, **changes.pop("weights", {})},
            **changes,
        }

    plain = variant()
    configured = variant(embedding=name) if name else plain
    print(f"configured: embedding {name or 'off'}, share {conf['EMBEDDING_SHARE']}, "
          f"LSA share {configured['SEMANTIC_WEIGHT']}, running story "
          f"{conf['RUNNING_STORY']} (at most {conf['RUNNING_STORY_MAX']})\n")  # fmt: skip
    print(
        f"{'archive':<20} {'method':<44} {'prec@6':>9} {'empty':>7} {'dup lists':>9} "
        f"{'copy lists':>9} {'>2 running':>9} {'time':>7}"
    )
    print("-" * 122)
    archives = []
    if not args.no_reuters:
        if REUTERS.exists():
            plans = reuters(args.reuters_stories)
            archives.append((f"Reuters R8, {len(plans):,}", plans))
        else:
            print(f"(Reuters set not found at {REUTERS}: skipped)")
    if not args.no_demo:
        archives += [(f"demo seed {seed}, {args.stories:,}", archive(seed, args.stories))
                     for seed in args.seeds]  # fmt: skip
    for archive_name, plans in archives:
        started = time.perf_counter()
        judge = judge_matrix(plans)
        vectors = embed(plans, name) if name else None
        indexes = {}

        def ours_on(c, plans=plans, vectors=vectors, indexes=indexes):
            """The site's lists under ``c``, on an index whose text model has c's LSA share."""
            lsa = c["SEMANTIC_WEIGHT"]
            if lsa not in indexes:
                indexes[lsa] = build_index(plans, c, vectors)
            return partial(ours, indexes[lsa], c)

        ours_on(configured)
        print(f"{archive_name:<20} (index built in {time.perf_counter() - started:.1f}s)")
        shown = partial(report, archive_name, plans=plans, judge=judge, sets=shingle_sets(plans))
        if args.choose and archive_name.startswith("Reuters") and name:
            best = None
            for share in (0.0, 0.3, 0.6):
                c = variant(embedding=name, EMBEDDING_SHARE=share)
                p = shown(f"  choose: share {share}", run=ours_on(c), conf=c)
                best = max(best or (p, share), (p, share))
            print(f"  best on Reuters precision@6: EMBEDDING_SHARE={best[1]}", flush=True)
            if args.only_choose:
                return
        reuters_set = archive_name.startswith("Reuters")
        runs = [(f"configured ({name or 'plain'})", configured)]
        if name and not (reuters_set and args.choose):  # the choice's share 0 is plain
            runs.append(("  plain (no semantic vectors)", plain))
        if not reuters_set:  # no tags or sections there: the same as configured
            runs.append(
                (
                    "  configured, text only",
                    {**configured, "WEIGHTS": {**weights, "tags": 0, "section": 0, "recency": 0}},
                )
            )
        runs += [
            ("  configured, no variety rule",
             {**configured, "RUNNING_STORY": 2.0, "RUNNING_HEADLINE": 2.0}),
        ]  # fmt: skip
        if args.only_configured:
            label, c = runs[0]
            shown(label, run=ours_on(c), conf=c)
            continue
        for label, c in runs:
            shown(label, run=ours_on(c), conf=c)
        shown("baseline: plain TF-IDF cosine", run=partial(tfidf_cosine, plans, conf, judge),
              conf=conf)  # fmt: skip
        shown("baseline: random stories", run=partial(random_stories, plans, conf), conf=conf)
        if not archive_name.startswith("Reuters"):
            shown("baseline: shared tags only", run=partial(shared_tags, plans, conf), conf=conf)
            shown("baseline: newest in the same section",
                  run=partial(newest_in_section, plans, conf), conf=conf)  # fmt: skip


if __name__ == "__main__":
    main()
