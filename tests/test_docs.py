"""The README and docs/ hold together: every relative link and image points
at a file that exists, and every #anchor at a heading of that page."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# [text](target) and ![alt](target); a target ends at the first space or ")".
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+)$", text, re.M)}


def _links(page: Path):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for match in LINK.finditer(text):
        yield match.group(1)


def test_slug_follows_github():
    assert _slug("Beyond the classic answer") == "beyond-the-classic-answer"
    assert _slug("The Python API (`pooling/`)") == "the-python-api-pooling"


def test_the_readme_is_a_front_door():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300
    quick = next(i for i, line in enumerate(lines) if line.startswith("## Quick start"))
    commands = [i for i, line in enumerate(lines) if line.strip() in ("bash tools/serve.sh", "bash tools/test.sh")]
    assert len(commands) == 2 and quick < commands[0] and commands[-1] < 60


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_and_images_resolve(page):
    broken = []
    for target in _links(page):
        parts = urlsplit(target)
        if parts.scheme or target.startswith("//"):
            continue  # an address outside the repository
        path = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif parts.fragment and path.suffix == ".md" and parts.fragment not in _anchors(path):
            broken.append(f"{target}: no heading #{parts.fragment}")
    assert not broken, broken
