"""What a page in the pseudo-locale (en-XA) shows that did not come from a catalog.

Every catalog text is wrapped in ⟦ ⟧ there (pooling/i18n.py), so after the
marked stretches are cut out of what is visible, only data may remain:
numbers, feature names, the learner's words, code. :func:`untranslated`
returns the rest, word by word, and every visible element's title,
aria-label, placeholder or alt that is not a whole catalog text.
"""
from __future__ import annotations

from pooling.i18n import PSEUDO_CLOSE, PSEUDO_OPEN

# Code and data that stay as code writes them in every language: layer and
# argument names, argument values, a few symbols.
CODE_WORDS = frozenset(
    """
    MaxPooling1D AveragePooling1D GlobalMaxPooling1D GlobalAveragePooling1D Conv1D Dense LSTM Flatten
    Embedding Concatenate Masking Input Sequential keras torch nn MaxPool1d AvgPool1d AdaptiveMaxPool1d
    pool_size strides padding data_format keepdims valid same None True False channels_last
    channels_first return_sequences mask_zero max average sliding global
    """.split()
)

_SCRIPT = r"""
([open, close, root]) => {
  const SKIP = "code, pre, kbd, samp, svg, script, style, noscript, [translate='no'], .js-plotly-plot";
  const visible = (el) => el && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const parts = [];
  const scope = document.querySelector(root);
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !visible(el)) continue;
    // Code is data, but a marker inside a skipped element still counts (a message holding <code>).
    if (el.closest(SKIP)) {
      parts.push([...node.textContent].filter((c) => c === open || c === close).join(""));
      continue;
    }
    if (el.closest("select") && !el.closest("option:checked")) continue;
    parts.push(node.textContent);
  }
  const attributes = [];
  for (const el of scope.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (!visible(el) || el.closest(".js-plotly-plot")) continue;
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      const value = el.getAttribute(name);
      if (value && value.trim() && !(value.startsWith(open) && value.endsWith(close))) {
        attributes.push(`${name}="${value}" on <${el.tagName.toLowerCase()} data-testid="${el.dataset.testid ?? ""}">`);
      }
    }
  }
  return { text: parts.join(" "), attributes };
}
"""


def _cut_marked(text: str) -> str:
    """``text`` without its marked stretches, innermost first (a placeholder may hold a message)."""
    while True:
        close = text.find(PSEUDO_CLOSE)
        if close < 0:
            return text
        open_ = text.rfind(PSEUDO_OPEN, 0, close)
        if open_ < 0:
            return text[:close] + " " + text[close + 1 :]
        text = text[:open_] + " " + text[close + 1 :]


# What a word may have around it and still be the same word (an allowed word is compared without it).
EDGES = ".,;:!?()[]{}\"'«»“”‘’…·=+-−×÷/\\|<>→←↑↓"


def _is_data(word: str, allow: frozenset[str]) -> bool:
    core = word.strip(EDGES)
    if not core or core in allow or core in CODE_WORDS:
        return True
    if any(ch.isdigit() for ch in core) and not any(ch.isalpha() for ch in core.replace("e", "").replace("f", "")):
        return True  # numbers: 0.25, -1e-3, 1,024, f0 and f12 (feature names)
    if core[0] == "f" and core[1:].isdigit():
        return True
    return not any(ch.isalpha() for ch in core)  # symbols and punctuation alone


def untranslated(page, allow=(), root="body") -> list[str]:
    """What is visible on ``page`` (in en-XA) and came from no catalog; empty when all did.

    ``allow``: data words of the test (the sentence's words, a preset's words).
    ``root``: a CSS selector for the part of the page to look at (the whole body by default).
    """
    found = page.evaluate(_SCRIPT, [PSEUDO_OPEN, PSEUDO_CLOSE, root])
    allowed = frozenset(word.strip(EDGES) for word in allow)
    stray = [word for word in _cut_marked(found["text"]).split() if not _is_data(word, allowed)]
    return stray + found["attributes"]
