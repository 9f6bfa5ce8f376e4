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
    # -- the texts of the tool and the guided sections (issue 15) --
    Claim(
        "full-window-equals-global",
        "MaxPooling1D(pool_size=number of words, padding=\"valid\") gives the same vector as "
        "GlobalMaxPooling1D (AveragePooling1D as GlobalAveragePooling1D, up to float32 rounding), "
        "with a steps axis of length 1, which the global layer drops unless keepdims=True.",
        "tests/claims/test_texts.py::test_a_window_as_long_as_the_sentence_is_the_global_layer",
    ),
    Claim(
        "global-output-fixed-size",
        "With a fixed pool_size a longer sentence gives the windowed layer more output rows; the "
        "global layer always gives (batch, features), whatever the length.",
        "tests/claims/test_texts.py::test_global_output_has_one_size_for_every_length",
    ),
    Claim(
        "pad-sequences-pre",
        "keras.utils.pad_sequences pads lists of token ids, by default at the start "
        "(padding=\"pre\"); padding=\"post\" pads at the end.",
        "tests/claims/test_texts.py::test_pad_sequences_pads_at_the_start_by_default",
    ),
    Claim(
        "embedding-pad-row-not-zero",
        "After an Embedding, the padding id 0 becomes a learned vector that is not zero, unless the "
        "Embedding has mask_zero=True.",
        "tests/claims/test_texts.py::test_embedding_row_of_the_padding_id_is_learned_and_not_zero",
    ),
    Claim(
        "post-zero-padding-pitfall",
        "GlobalMaxPooling1D cannot tell padding from words: zero vectors padding a sentence win every "
        "feature whose real values are all negative, and the output says 0 there.",
        "tests/claims/test_texts.py::test_zero_padding_wins_every_all_negative_feature",
    ),
    Claim(
        "lstm-padded-steps-can-win",
        "With an LSTM between the Embedding and the pooling (no mask), the padded steps are LSTM "
        "outputs, not zeros, and they can win positive features too.",
        "tests/claims/test_texts.py::test_lstm_outputs_on_padded_steps_can_win_positive_features",
    ),
    Claim(
        "lstm-mask-repeats-last",
        "With mask_zero=True and padding=\"post\", the Keras 3 LSTM(return_sequences=True) repeats "
        "its last real output on the padded steps.",
        "tests/claims/test_texts.py::test_masked_lstm_repeats_its_last_real_output_on_post_padding",
    ),
    Claim(
        "maxpool-window-tie-first",
        "Keras' MaxPooling1D (on JAX) sends a window's whole gradient to the first of its tied words.",
        "tests/claims/test_texts.py::test_max_pooling1d_sends_a_window_tie_to_the_first_word",
    ),
    Claim(
        "flatten-dense-params",
        "Flatten() then Dense(1) after MaxPooling1D(pool_size=2, strides=1) gives one output per "
        "sentence, with 1,809 parameters in all for (6, 10), but only for sentences of that length.",
        "tests/claims/test_texts.py::test_flatten_then_dense_has_1809_parameters_and_one_length",
    ),
    Claim(
        "model-params",
        "The two models' parameter counts and output shapes are those of Keras' model.summary(); "
        "pooling layers add none.",
        "tests/claims/test_texts.py::test_model_summaries_count_what_keras_counts",
    ),
    # Ties (Keras 3 on JAX; PyTorch 2.13)
    Claim(
        "gmax-tie-split",
        "GlobalMaxPooling1D splits the gradient of a tied maximum equally among the tied words: "
        "on the Ties example, feature 0 sends 1/3, 1/3, 0 and 1/3 back to red, red, blue and red.",
        _ENGINE + "test_global_max_splits_a_tie_equally",
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
        "average-same-no-padding",
        'With padding="same", AveragePooling1D divides each window by its real words only: '
        "padding never counts in the average (Keras on JAX).",
        _ENGINE + "test_average_same_never_counts_padding_on_jax",
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
    # The questions that come next (templates/_sections_next.html, static/js/sections/*.js).
    Claim(
        'flatten-params',
        "On the question's input (6, 10), Flatten() in place of the second LSTM(10) gives 1,809 parameters (2,819 with the LSTM), and Flatten() in place of GlobalMaxPooling1D() gives 1,825 (1,745 with pooling).",
        'tests/claims/test_sections.py::test_flatten_parameter_counts_match_keras',
    ),
    Claim(
        'global-any-length',
        'Global pooling gives 16 values after LSTM(16) whatever the length, so one model built with keras.Input(shape=(None, features)) takes sentences of any length.',
        'tests/claims/test_sections.py::test_global_pooling_takes_any_length',
    ),
    Claim(
        'flatten-error',
        'Built for {steps} words and given {received_steps}, the Flatten model stops: Dense was built for {steps*16} inputs and receives {received_steps*16}. Keras 3 says: {error}',
        'tests/claims/test_sections.py::test_flatten_program_prints_what_the_page_says',
    ),
    Claim(
        'flatten-none',
        'With keras.Input(shape=(None, features)) the Flatten model cannot be built: Dense cannot make its weights.',
        'tests/claims/test_sections.py::test_flatten_cannot_be_built_for_any_length',
    ),
    Claim(
        'program-flatten',
        'The Flatten program prints the parameter count and the error shown.',
        'tests/claims/test_sections.py::test_flatten_program_prints_what_the_page_says',
    ),
    Claim(
        'concat-shape',
        'Concatenate()([GlobalMaxPooling1D()(x), GlobalAveragePooling1D()(x)]) has shape (1, 2 x features), the max first.',
        'tests/claims/test_sections.py::test_concat_program_prints_what_the_page_says',
    ),
    Claim(
        'program-concat',
        'The max, average and both program prints the numbers shown.',
        'tests/claims/test_sections.py::test_concat_program_prints_what_the_page_says',
    ),
    Claim(
        'argmax-tie-keras',
        'keras.ops.argmax reports the first tied row (Keras 3 on JAX).',
        'tests/claims/test_sections.py::test_keras_argmax_reports_the_first_tied_row',
    ),
    Claim(
        'argmax-tie-torch',
        'torch.argmax and max(dim=1).indices report the first tied row (PyTorch 2.13).',
        'tests/claims/test_sections.py::test_torch_argmax_and_max_indices_report_the_first_tied_row',
    ),
    Claim(
        'program-argmax-keras',
        'keras.ops.argmax(x, axis=1) prints the rows and words shown.',
        'tests/claims/test_sections.py::test_argmax_programs_print_what_the_page_says',
    ),
    Claim(
        'program-argmax-pytorch',
        'torch.argmax(x, dim=1) and x.max(dim=1).indices print the rows and words shown.',
        'tests/claims/test_sections.py::test_argmax_programs_print_what_the_page_says',
    ),
    Claim(
        'return-sequences-error',
        'GlobalMaxPooling1D wants three axes, (batch, steps, features), and Keras 3 stops with: expected ndim=3, found ndim=2.',
        'tests/claims/test_sections.py::test_return_sequences_program_prints_what_the_page_says',
    ),
    Claim(
        'return-sequences-shapes',
        'LSTM(16, return_sequences=True) gives (batch, steps, 16), which the pooling layer turns into (batch, 16).',
        'tests/claims/test_sections.py::test_return_sequences_program_prints_what_the_page_says',
    ),
    Claim(
        'program-return-sequences',
        'The return_sequences program prints the shapes and the error shown.',
        'tests/claims/test_sections.py::test_return_sequences_program_prints_what_the_page_says',
    ),
    Claim(
        'data-format-default',
        'Keras\' default is data_format="channels_last": (batch, steps, features), the steps pooled.',
        'tests/claims/test_sections.py::test_keras_default_data_format_is_channels_last',
    ),
    Claim(
        'data-format-wrong-axis',
        'Given channels-last data, GlobalMaxPooling1D(data_format="channels_first") pools the features: one number per word, and no error.',
        'tests/claims/test_sections.py::test_data_format_programs_print_what_the_page_says',
    ),
    Claim(
        'torch-permute',
        "PyTorch's 1-D pooling reads (N, C, L); after x.permute(0, 2, 1), torch.amax(x, dim=2) or nn.AdaptiveMaxPool1d(1) gives Keras' numbers (PyTorch 2.13).",
        'tests/claims/test_sections.py::test_torch_pools_the_last_axis',
    ),
    Claim(
        'program-data-format-keras',
        'The data_format program prints the numbers shown.',
        'tests/claims/test_sections.py::test_data_format_programs_print_what_the_page_says',
    ),
    Claim(
        'program-data-format-pytorch',
        'The permute program prints the numbers shown.',
        'tests/claims/test_sections.py::test_data_format_programs_print_what_the_page_says',
    ),
    Claim(
        'mask-embedding-makes',
        'Embedding(mask_zero=True) makes the mask: True on every id but 0.',
        'tests/claims/test_sections.py::test_embedding_with_mask_zero_makes_the_mask',
    ),
    Claim(
        'mask-rnn-passes-on',
        'LSTM, GRU and SimpleRNN use the mask, and with return_sequences=True pass it on to the next layer; '
        'without it they return one vector, and the mask ends there.',
        'tests/claims/test_sections.py::test_recurrent_layers_pass_the_mask_on_only_with_return_sequences',
    ),
    Claim(
        'masked-max-where',
        'keras.ops.where(mask[..., None], x, -np.inf), then keras.ops.max(..., axis=1), gives the max over the '
        'words alone, the same vector as the unpadded sentence.',
        'tests/claims/test_sections.py::test_masked_max_is_the_max_over_the_words',
    ),
    Claim(
        'program-masking',
        'The masking program prints the ids, the mask, GlobalMaxPooling1D, the masked max and the masked average shown.',
        'tests/claims/test_sections.py::test_masking_program_prints_what_the_page_says',
    ),
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
