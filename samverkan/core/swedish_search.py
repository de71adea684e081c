"""Search that finds Swedish words in their inflected forms ("rektorn" finds "Rektor").

PostgreSQL's `swedish` text-search configuration stems with the Snowball Swedish
algorithm, which removes plural and definite endings but not all of them: it
leaves "rektorn" and "orosanmälan" as they are while it cuts "rektor" to "rekt"
and "orosanmälningarna" to "orosanmälning". So each word is given a small set of
keys — the Snowball stem (the same algorithm PostgreSQL uses), the stem without a
definite -n/-t, and -ning stems folded onto the -an form (anmälan, anmälningar) —
computed here in Python and stored with the record, so SQLite and PostgreSQL
find exactly the same records. A query word matches a text when they share a key.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-zåäöéü]+")
_STEMMER = snowballstemmer.stemmer("swedish")
# Shorter words keep their definite ending: "man", "sen", "bit" are words in their own right.
_DEFINITE_MIN_LENGTH = 5


@lru_cache(maxsize=20_000)
def word_keys(word: str) -> frozenset[str]:
    """The keys of one lower-case word."""
    forms = {word}
    if len(word) >= _DEFINITE_MIN_LENGTH and word[-1] in "nt":
        forms.add(word[:-1])  # definite singular: rektorn, skolan, huset
    return frozenset(_fold(_stem(form)) for form in forms)


def _stem(word: str) -> str:
    # One Snowball pass removes one ending: "rektorerna" → "rektor", while "rektor" → "rekt".
    # Stemming to a fixed point gives each such pair one key.
    for _ in range(3):
        stemmed = _STEMMER.stemWord(word)
        if stemmed == word:
            break
        word = stemmed
    return word


def _fold(stem: str) -> str:
    # -ning nouns take their plural for -an nouns: anmälan → anmälningar, ansökan → ansökningar.
    return stem[: -len("ning")] + "an" if stem.endswith("ning") else stem


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def text_keys(text: str) -> str:
    """The keys of every word of `text`, space-separated with a space at each end, so that
    `contains(" key ")` finds a whole key."""
    keys = sorted({key for word in words(text) for key in word_keys(word)})
    return f" {' '.join(keys)} " if keys else ""


def query_keys(word: str) -> list[str]:
    """The padded keys a query word matches (`contains` on a `text_keys` column)."""
    return [f" {key} " for key in sorted(word_keys(word.lower()))]
