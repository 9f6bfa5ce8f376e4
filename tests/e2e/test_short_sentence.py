"""A sentence shorter than pool_size: the error says so in words, under the sentence."""
from __future__ import annotations

import pytest

from .test_page import by_id, open_page


@pytest.mark.api_errors
def test_one_word_sentence_says_so_under_the_sentence(page):
    open_page(page)
    by_id(page, "sentence").fill("hello")  # one word; the page opens on pool_size=2, "valid"
    error = by_id(page, "error")
    error.wait_for(state="visible")
    assert error.text_content() == (
        "pool_size 2 is larger than the sentence: 1 word needs pool_size 1, or padding 'same'."
    )
    # Under the sentence the learner changed, not beside pool_size, which they did not touch.
    assert page.locator(".field", has=by_id(page, "sentence")).locator("[data-testid=error]").count() == 1
    assert by_id(page, "sentence").get_attribute("aria-invalid") == "true"
    assert by_id(page, "pool-size").get_attribute("aria-invalid") is None
