"""The claims registry (pooling/claims.py) holds together: ids unique, every
id used on the page, every id the page uses registered, every test it names
defined in its file."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pooling.claims import CLAIMS

REPO = Path(__file__).resolve().parents[1]
# data-claim="id" in a template, element.dataset.claim = "id" (or claim: "id") in a module.
USE = re.compile(r"""data-claim=["']([a-z0-9-]+)["']|dataset\.claim\s*=\s*["']([a-z0-9-]+)["']|\bclaim:\s*["']([a-z0-9-]+)["']""")


def _page_sources():
    yield from sorted((REPO / "templates").rglob("*.html"))
    yield from sorted((REPO / "static" / "js").rglob("*.js"))


def _used_ids() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in _page_sources():
        for match in USE.finditer(path.read_text(encoding="utf-8")):
            claim_id = next(group for group in match.groups() if group)
            used.setdefault(claim_id, []).append(str(path.relative_to(REPO)))
    return used


def test_ids_are_unique():
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_id_the_page_uses_is_registered():
    registered = {c.id for c in CLAIMS}
    unknown = {i: where for i, where in _used_ids().items() if i not in registered}
    assert not unknown, f"claims used on the page but not registered: {unknown}"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_claim_is_stated_on_the_page(claim):
    assert claim.id in _used_ids(), f"{claim.id} is registered but no page source marks it"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_claim_names_a_test_that_exists(claim):
    file, _, name = claim.test.partition("::")
    path = REPO / file
    assert path.is_file() and path.parent.name == "claims" and path.name.startswith("test_"), claim.test
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    assert name.split("[")[0] in defined, f"{claim.test}: no such test function"
