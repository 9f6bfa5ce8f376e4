"""Words in, toy embeddings out: deterministic, hand-written-looking vectors.

Tokenization rule (the same idea as Keras ``TextVectorization``'s default
``lower_and_strip_punctuation``, made Unicode-aware):

1. The text is put in Unicode NFC form and lower-cased (``str.casefold``
   is not used, so "Straße" stays "straße").
2. A word is a run of letters, digits, combining marks and symbols such as
   emoji (Unicode categories L, N, M and So). Joiners inside emoji
   sequences (U+200D, variation selectors, skin tones) and apostrophes between letters
   ("don't", "l'homme") stay inside the word.
3. Everything else separates words and is dropped: white space,
   punctuation, zero-width spaces, control characters.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_FEATURES", "tokenize", "toy_embeddings"]

MAX_FEATURES = 64
_APOSTROPHES = "'\u2019"
# The zero-width joiner, variation selectors and skin-tone modifiers glue
# emoji sequences together.
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f", *map(chr, range(0x1F3FB, 0x1F400))}
_WORD_CATEGORIES = ("L", "N", "M")


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in _WORD_CATEGORIES or category == "So" or char in _JOINERS


def tokenize(sentence: str) -> list[str]:
    """Split a sentence into lower-case words, dropping punctuation.

    Parameters
    ----------
    sentence : str

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If ``sentence`` is not a string or holds no word.

    Examples
    --------
    >>> tokenize("The boy will live!")
    ['the', 'boy', 'will', 'live']
    >>> tokenize("Don't   stop, (ever).")
    ["don't", 'stop', 'ever']
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a string, got {type(sentence).__name__}")
    if sentence.isascii():
        # The same rule in one regular expression: in ASCII, the word
        # characters are letters and digits, and the apostrophe is "'".
        tokens = _ASCII_WORD.findall(sentence.lower())
    else:
        tokens = _words(unicodedata.normalize("NFC", sentence).lower())
    if not tokens:
        shown = sentence if len(sentence) <= 40 else sentence[:40] + "..."
        raise ValueError(
            f"sentence must contain at least one word (letters or digits), got {shown!r}"
        )
    return tokens


_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def _words(text: str) -> list[str]:
    """The words of a normalised, lower-cased text, character by character."""
    tokens: list[str] = []
    word: list[str] = []
    for i, char in enumerate(text):
        inner_apostrophe = (
            char in _APOSTROPHES
            and word
            and i + 1 < len(text)
            and _is_word_char(text[i + 1])
        )
        if _is_word_char(char) or inner_apostrophe:
            word.append(char)
        elif word:
            tokens.append("".join(word))
            word = []
    if word:
        tokens.append("".join(word))
    # A lone joiner or variation selector is no word.
    return [t for t in tokens if t.strip("".join(_JOINERS))]


# A class types the same words again and again: the vectors of the last few
# thousand words are kept (about 1 MB at most), per process.
@lru_cache(maxsize=4096)
def _word_bytes(word: str, features: int, seed: int) -> bytes:
    # blake2b is stable across processes and machines, unlike the salted
    # built-in hash(). Each 32-byte block gives 16 features (little-endian
    # uint16s); the seed goes in the key, so every seed gives an unrelated
    # vocabulary.
    key = str(seed).encode()
    data = word.encode("utf-8")
    return b"".join(
        hashlib.blake2b(data, digest_size=32, key=key, salt=block.to_bytes(16, "little")).digest()
        for block in range(-(-features // 16))
    )


def toy_embeddings(tokens: list[str], features: int = 4, seed: int = 0) -> NDArray[np.float64]:
    """Deterministic toy word vectors with values in [-1, 1], two decimals.

    The same word always gets the same vector, within a sentence and across
    sentences, processes and machines. The first ``k`` features of a word do
    not depend on ``features``, so widening the embedding keeps the columns
    already shown.

    Parameters
    ----------
    tokens : list of str
    features : int
        Length of each vector, 1 to 64.
    seed : int
        Picks another vocabulary; any integer.

    Returns
    -------
    ndarray of float64, shape (len(tokens), features)

    Examples
    --------
    >>> e = toy_embeddings(["the", "cat", "the"], features=3)
    >>> e.shape, bool((e[0] == e[2]).all()), bool(np.abs(e).max() <= 1)
    ((3, 3), True, True)
    """
    if isinstance(features, bool) or not isinstance(features, (int, np.integer)) or not 1 <= features <= MAX_FEATURES:
        raise ValueError(f"features must be an integer from 1 to {MAX_FEATURES}, got {features!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not tokens:
        raise ValueError("tokens must hold at least one word, got none")
    # One hash per word of the vocabulary, one NumPy pass for all of them.
    vocabulary = list(dict.fromkeys(tokens))
    raw = b"".join(_word_bytes(word, int(features), int(seed)) for word in vocabulary)
    width = len(raw) // (2 * len(vocabulary))
    values = np.frombuffer(raw, dtype="<u2").reshape(len(vocabulary), width)[:, :features]
    vectors = values.astype(np.float64) / 65535.0 * 2.0 - 1.0
    rows = {word: i for i, word in enumerate(vocabulary)}
    # Rounding can give -0.0; add 0.0 so it prints as 0.0.
    return np.round(vectors, 2)[[rows[word] for word in tokens]] + 0.0
