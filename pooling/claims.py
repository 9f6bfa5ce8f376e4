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


CLAIMS: tuple[Claim, ...] = (
    # Keep ids short, lower-case, words joined by "-". Group by topic.
    # ---- the quiz's explanations (pooling/quiz.py, marked in static/js/quiz.js) ----
    Claim(
        "strides-none-is-pool-size",
        "strides=None means strides = pool_size = {pool_size}.",
        "tests/claims/test_quiz.py::test_strides_none_is_pool_size",
    ),
    Claim(
        "same-length-ceil",
        '"same" pads so that ceil(steps / strides) = {out_steps}: the steps divided by strides, rounded up.',
        "tests/claims/test_quiz.py::test_same_gives_ceil_steps_over_strides",
    ),
    Claim(
        "keepdims-steps-axis",
        "keepdims=True keeps the steps axis with length 1: (1, 1, {features}).",
        "tests/claims/test_quiz.py::test_keepdims_keeps_the_steps_axis_with_length_1",
    ),
    Claim(
        "max-gradient-to-winner",
        "Max pooling passes the gradient only to the cell that won the window; the other cells get 0 from it.",
        "tests/claims/test_quiz.py::test_max_pooling_sends_a_window_gradient_to_its_winner_only",
    ),
    Claim(
        "average-gradient-shared",
        "An average counts each of its {n} real words equally, so each gets 1/{n} of the gradient.",
        "tests/claims/test_quiz.py::test_average_pooling_shares_a_window_gradient_equally_among_its_real_words",
    ),
    Claim(
        "global-ignores-order",
        "{global_layer}() looks at every word at once, in any order: swapping words leaves it as it was.",
        "tests/claims/test_quiz.py::test_global_pooling_ignores_the_order_of_the_words",
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
