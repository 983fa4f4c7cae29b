"""Character and location names as the studio stores them: one spelling for names that look the
same, and a fit to a database column that keeps distinct long names distinct."""

from __future__ import annotations

import hashlib
import unicodedata


def clean_name(text: str) -> str:
    """NFKC form without format characters (zero-width spaces and joiners, left-to-right and
    right-to-left marks, byte-order marks) and with runs of whitespace made one space, so names
    that print alike are one name."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def fit_name(name: str, max_length: int) -> str:
    """The name if it fits max_length characters, else its start and a short hash of the whole
    name ("AAAA…1f2e3d4c"): the same name always fits the same way, two long names that share
    their start stay apart."""
    if len(name) <= max_length:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return name[: max_length - len(digest) - 1].rstrip() + "…" + digest
