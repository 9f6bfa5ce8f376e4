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
