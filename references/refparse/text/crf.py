"""The trained CRF: loaded on first use, from the model file shipped in this package."""

from __future__ import annotations

import threading
from pathlib import Path

import pycrfsuite

from .features import sequence_features
from .tokens import Token

MODEL_PATH = Path(__file__).with_name("model.crfsuite")
# A crfsuite Tagger keeps state between calls, so each thread gets its own (opening the file is cheap).
_local = threading.local()


def tagger() -> pycrfsuite.Tagger:
    loaded = getattr(_local, "tagger", None)
    if loaded is None:
        loaded = pycrfsuite.Tagger()
        loaded.open(str(MODEL_PATH))
        _local.tagger = loaded
    return loaded


def label_tokens(tokens: list[Token]) -> list[str]:
    """One label per token (author, title, journal, date, volume, pages, ...)."""
    if not tokens:
        return []
    return tagger().tag(sequence_features(tokens))
