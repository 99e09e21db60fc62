"""How well the related-stories text similarity agrees with people (Lee et al. 2005 set).

Scores every pair of the 50 rated stories and prints, per method, the Pearson correlation
with the mean human rating over the 1,225 pairs and the mean nDCG@6 of each story's ranking
(gain = human rating; the ideal is the six stories people rated most similar).

    .venv/bin/python bench/lee_eval.py [--data ../shared/data/lee] [--reuters DIR]

The text model's vocabulary, IDF and LSA space come from a background corpus: a large one as
a real site has (Lee's 300 background stories plus the 7,219 Reuters R8 stories, read in
place: research use only), and Lee's 300 alone. The configured mix (the settings' defaults:
``EMBEDDING_SHARE`` and ``LSA_SHARE``) was chosen on a split of the rated pairs declared here
in advance: the even-numbered pairs choose (the grid search below shows the choice), the
odd-numbered pairs judge. "r odd" is the held-out figure; "r all" includes the choosing pairs.
"""

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from articles.related.text import TextModel, tokens  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("LEE_DATA", "/work/shared/data/lee"))
DEFAULT_REUTERS = Path(os.environ.get("REUTERS_DATA", "/work/shared/data/reuters21578"))


def reuters_texts(folder):
    """Reuters R8 stories as the site would read them (headline twice, then the body)."""
    import json

    path = folder / "r8.jsonl"
    if not path.exists():
        return None
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        title = story["title"].title()
        texts.append(f"{title}. {title}. \n{story['body']}")
    return texts


def optional_model(name, stories):
    """Similarities from a semantic model (``articles.related.embeddings``), None if absent."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from articles.related import embeddings

    try:
        vectors = embeddings.get_model(name).embed(stories)
    except embeddings.EmbeddingUnavailable:
        return None
    return vectors @ vectors.T


def load(data):
    def lines(name):
        text = (data / name).read_text(encoding="latin-1")
        return [line.strip() for line in text.splitlines() if line.strip()]

    stories = lines("lee.cor")
    background = lines("lee_background.cor")
    matrix = np.array([[float(x) for x in row.split()] for row in lines("similarities0-1.txt")])
    return stories, background, matrix


def pearson(a, b):
    return float(np.corrcoef(a, b)[0, 1])


def mean_ndcg(sims, human, k=6):
    n = len(sims)
    full = np.triu(human, 1) + np.triu(human, 1).T
    scores = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        ranked = sorted(others, key=lambda j: -sims[i, j])[:k]
        ideal = sorted(others, key=lambda j: -full[i, j])[:k]
        dcg = sum(full[i, j] / math.log2(r + 2) for r, j in enumerate(ranked))
        idcg = sum(full[i, j] / math.log2(r + 2) for r, j in enumerate(ideal))
        scores.append(dcg / idcg)
    return float(np.mean(scores))


def word_overlap(stories):
    sets = [set(tokens(s)) for s in stories]
    n = len(sets)
    sims = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            union = sets[i] | sets[j]
            sims[i, j] = len(sets[i] & sets[j]) / len(union) if union else 0
    return sims


def exact_tfidf(stories, corpus):
    """Plain TF-IDF cosine with the IDF learned from ``corpus`` (no projection)."""
    matrix = TextModel.fit(corpus, dimensions=0).tfidf(stories)
    return (matrix @ matrix.T).toarray()


def calibrated(text, semantic, sample_text, sample_semantic, share):
    """The site's mix (``RelatedIndex.scoring``): the semantic similarity brought to the text
    similarity's spread over pairs of the archive (here: a sample of the background), then
    ``(1 - share) x text + share x scaled semantic``."""
    upper = np.triu_indices(len(sample_text), 1)
    scale = sample_text[upper].std() / sample_semantic[upper].std()
    return (1 - share) * text + share * scale * semantic


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--reuters", type=Path, default=DEFAULT_REUTERS)
    args = parser.parse_args()
    if not (args.data / "lee.cor").exists():
        sys.exit(f"The Lee data set is not in {args.data}: pass --data DIR (lee.cor, ...).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from articles.related.conf import LSA_SHARE, config

    conf = config()
    stories, background, human = load(args.data)
    iu = np.triu_indices(len(stories), 1)
    target = human[iu]
    dims = conf["DIMENSIONS"]
    configured = conf["EMBEDDING"] if conf["EMBEDDING"] != "off" else "glove"
    share = conf["EMBEDDING_SHARE"]
    lsa_plain, lsa_mixed = LSA_SHARE["off"], LSA_SHARE["with embedding"]
    reuters = reuters_texts(args.reuters)
    backgrounds = []
    if reuters is not None:
        backgrounds.append(("large: Lee 300 + Reuters 7,219", background + reuters))
    else:
        print(f"(Reuters R8 not found in {args.reuters}: large background skipped)")
    backgrounds.append(("Lee 300", background))
    semantic = {}

    def model(name, texts=None):
        if texts is not None:
            return optional_model(name, texts)
        if name not in semantic:
            semantic[name] = optional_model(name, stories)
        return semantic[name]

    # A split decided before any figure was seen: the rated pairs in the usual order
    # ((0,1), (0,2), ..., (48,49)); even positions choose the weights, odd ones judge them.
    position = np.arange(len(target))
    choose_pairs, judge_pairs = position % 2 == 0, position % 2 == 1
    print(f"Lee et al. (2005): {len(stories)} stories, {len(target)} rated pairs")
    print(
        f"configured (settings): {configured}, EMBEDDING_SHARE {share}, LSA share "
        f"{lsa_mixed} with it ({lsa_plain} without); chosen on the even-numbered pairs, "
        "judged on the odd ones\n"
    )
    print(f"{'method':<60} {'r all':>7} {'r odd':>7} {'nDCG@6':>7} {'time':>7}")
    print("-" * 92)

    def show(name, run):
        started = time.perf_counter()
        sims = run()
        elapsed = time.perf_counter() - started
        if sims is None:
            print(f"{name:<60} {'not installed':>15}", flush=True)
            return
        print(
            f"{name:<60} {pearson(sims[iu], target):>7.3f} "
            f"{pearson(sims[iu][judge_pairs], target[judge_pairs]):>7.3f} "
            f"{mean_ndcg(sims, human):>7.3f} {elapsed:>6.1f}s",
            flush=True,
        )

    show("word overlap (Jaccard of stems)", lambda: word_overlap(stories))
    for name in ("glove", "minilm"):
        show(f"optional {name} alone (no background needed)", lambda name=name: model(name))
    rng = np.random.default_rng(0)
    for label, corpus in backgrounds:
        print(f"-- text model fitted on {label}")
        started = time.perf_counter()
        fitted = TextModel.fit(corpus, dimensions=dims, semantic_weight=1)
        archive = corpus + stories  # what the site would hold: calibration sample from it
        sample = [archive[i] for i in sorted(rng.choice(len(archive), 2000, replace=False))] \
            if len(archive) > 2000 else archive  # fmt: skip

        def parts(texts, fitted=fitted):
            tfidf = fitted.tfidf(texts)
            lsa_vectors = fitted.embed_tfidf(tfidf)
            return (tfidf @ tfidf.T).toarray(), lsa_vectors @ lsa_vectors.T

        exact, lsa = parts(stories)
        sample_exact, sample_lsa = parts(sample)
        print(f"  (fitted in {time.perf_counter() - started:.0f}s)")
        show("  TF-IDF cosine (exact)", lambda exact=exact: exact)
        show(f"  LSA only, {dims} dims", lambda lsa=lsa: lsa)
        plain = (1 - lsa_plain) * exact + lsa_plain * lsa
        show(f"  plain method (semantic off: LSA share {lsa_plain})", lambda p=plain: p)
        for name in ("glove", "minilm"):
            sims = model(name)
            if sims is None:
                show(f"  plain + {name}", lambda: None)
                continue
            sample_sims = model(name, sample)
            marker = " <- configured" if name == configured else ""

            def mix(b, s, sims=sims, sample_sims=sample_sims, exact=exact, lsa=lsa,
                    sample_exact=sample_exact, sample_lsa=sample_lsa):  # fmt: skip
                text = (1 - b) * exact + b * lsa
                sample_text = (1 - b) * sample_exact + b * sample_lsa
                return calibrated(text, sims, sample_text, sample_sims, s)

            upper = np.triu_indices(len(sample), 1)
            sample_text = (1 - lsa_mixed) * sample_exact + lsa_mixed * sample_lsa
            print(f"  (k = {sample_text[upper].std() / sample_sims[upper].std():.3f}: text vs "
                  f"{name} spread over the pairs of {len(sample):,} archive stories)")  # fmt: skip
            show(f"  {name}, share {share}, LSA share {lsa_mixed}{marker}",
                 lambda mix=mix: mix(lsa_mixed, share))  # fmt: skip
            show(f"  {name}, share {share}, LSA share {lsa_plain} (plain's)",
                 lambda mix=mix: mix(lsa_plain, share))  # fmt: skip
            best = None
            for b in np.round(np.linspace(0, 1, 11), 1):
                for s in np.round(np.linspace(0, 1, 11), 1):
                    r = pearson(mix(b, s)[iu][choose_pairs], target[choose_pairs])
                    if best is None or r > best[0]:
                        best = (r, b, s)
            _, b, s = best
            show(f"  {name}: chosen on even pairs: LSA share {b}, share {s}",
                 lambda mix=mix, b=b, s=s: mix(b, s))  # fmt: skip
    print("\n'r odd' is the figure to quote: those pairs chose nothing. 'r all' includes the")
    print("even pairs that chose the weights. Published: word overlap ~0.5, LSA ~0.6 (Lee et")
    print("al. 2005), ESA 0.72 (Gabrilovich & Markovitch 2007); agreement between raters ~0.6.")


if __name__ == "__main__":
    main()
