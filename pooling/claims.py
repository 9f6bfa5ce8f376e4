"""The page's claims about Keras and PyTorch, each tied to the test that proves it.

Every sentence the page states as a fact about a library's behaviour (masks,
ties, padding sides, versions, parameter counts, shapes, backends) is
registered here once: an id, the sentence as the learner reads it (with
``{placeholders}`` where the page fills in the current state), and the test,
as a pytest node id, that proves it against real Keras 3 on JAX (and PyTorch
2.13 where the claim is about PyTorch). The page marks where it states a claim
with ``data-claim="<id>"`` (in a template, or ``element.dataset.claim = "<id>"``
in a module). ``tests/test_claims_registry.py`` checks that every id is used on
the page, that every id the page uses is registered, and that every test named
here exists; the tests themselves live in ``tests/claims/``.

A claim that cannot be tested is not made: remove the sentence instead.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CLAIMS", "Claim", "claim"]


@dataclass(frozen=True)
class Claim:
    """One factual sentence of the page and the test that proves it."""

    id: str
    text: str
    test: str  # pytest node id, e.g. "tests/claims/test_engine.py::test_same_pads_more_at_the_end"


_ENGINE = "tests/claims/test_engine.py::"

CLAIMS: tuple[Claim, ...] = (
    # Keep ids short, lower-case, words joined by "-". Group by topic.
    # Ties (Keras 3 on JAX; PyTorch 2.13)
    Claim(
        "gmax-tie-split",
        "GlobalMaxPooling1D splits the gradient of a tied maximum equally among the tied words: "
        "on the Ties example, feature 0 sends 1/3, 1/3, 0 and 1/3 back to red, red, blue and red.",
        _ENGINE + "test_global_max_splits_a_tie_equally",
    ),
    Claim(
        "max-tie-first",
        "MaxPooling1D gives each window's whole gradient to the first of its tied words.",
        _ENGINE + "test_windowed_max_gives_a_tie_to_the_first_word",
    ),
    Claim(
        "torch-tie-first",
        "PyTorch does not split a tie: AdaptiveMaxPool1d(1) and torch.max(dim) give the whole "
        "gradient to the first tied word.",
        _ENGINE + "test_pytorch_gives_a_tie_to_the_first_index",
    ),
    # Windows and padding (Keras 3 on JAX)
    Claim(
        "strides-none",
        "strides=None means strides = pool_size: windows that do not overlap.",
        _ENGINE + "test_strides_none_means_pool_size",
    ),
    Claim(
        "same-pads-end",
        'padding="same" puts the extra padding cell at the end when the padding does not split evenly.',
        _ENGINE + "test_same_pads_more_at_the_end",
    ),
    Claim(
        "average-same-no-padding",
        'With padding="same", AveragePooling1D divides each window by its real words only: '
        "padding never counts in the average (Keras on JAX).",
        _ENGINE + "test_average_same_never_counts_padding_on_jax",
    ),
    Claim(
        "average-same-torch-backend",
        "Keras on its torch backend averages differently when the total padding is odd: "
        'AveragePooling1D(4, 1, "same") on 1 to 6 gives 1.75 ... 5.75 there, 2.0 ... 5.5 on JAX.',
        _ENGINE + "test_keras_torch_backend_averages_differently_when_same_padding_is_odd",
    ),
    # Masks (Keras 3)
    Claim(
        "gmax-ignores-mask",
        "GlobalMaxPooling1D does not use a mask: after Embedding(mask_zero=True), Keras 3 warns "
        "that it does not support masking, and padding steps can win.",
        _ENGINE + "test_global_max_ignores_a_mask_with_a_warning",
    ),
    Claim(
        "gavg-honours-mask",
        "GlobalAveragePooling1D honours a mask: masked steps are left out of the average.",
        _ENGINE + "test_global_average_honours_a_mask",
    ),
)


def claim(claim_id: str) -> Claim:
    """The registered claim with this id.

    >>> claim("no-such-claim")
    Traceback (most recent call last):
    ...
    KeyError: 'no-such-claim'
    """
    for item in CLAIMS:
        if item.id == claim_id:
            return item
    raise KeyError(claim_id)
