"""CharVocab, train_val_split and SequenceBatcher (char-rnn style contiguous streams)."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad.data.text import CharVocab, SequenceBatcher, train_val_split


def test_vocab_round_trip_and_order():
    text = "hello, world!\nÉtoile ☃"
    vocab = CharVocab.from_text(text)
    assert vocab.itos == sorted(set(text)) and len(vocab) == len(set(text))
    ids = vocab.encode(text)
    assert ids.dtype == np.int64 and ids.shape == (len(text),)
    assert [vocab.itos[i] for i in ids] == list(text)
    assert vocab.decode(ids) == text
    assert "☃" in vocab and "z" not in vocab


def test_unknown_characters_raise_by_default():
    vocab = CharVocab.from_text("abc")
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['x', 'z'\]"):
        vocab.encode("abxz")


def test_unknown_characters_map_to_the_fallback():
    vocab = CharVocab.from_text("abc", unknown="?")
    assert len(vocab) == 4 and vocab.itos[-1] == "?"
    assert vocab.decode(vocab.encode("axbz")) == "a?b?"
    assert CharVocab("ab?", unknown="?").decode(CharVocab("ab?", unknown="?").encode("q")) == "?"


def test_vocab_errors():
    with pytest.raises(ValueError, match="distinct"):
        CharVocab("aab")
    with pytest.raises(ValueError, match="one character"):
        CharVocab("ab", unknown="<unk>")
    with pytest.raises(ValueError, match="ids must lie"):
        CharVocab("ab").decode([0, 2])


def test_train_val_split_is_contiguous():
    data = np.arange(100)
    train, val = train_val_split(data, 0.1)
    assert len(train) == 90 and len(val) == 10
    np.testing.assert_array_equal(np.concatenate([train, val]), data)
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split(data, 1.0)


def test_batcher_streams_are_contiguous_and_targets_shifted():
    data = np.arange(103)
    batcher = SequenceBatcher(data, batch_size=4, seq_len=10)  # streams of (103 - 1) // 4 = 25
    batches = list(batcher)
    assert len(batcher) == len(batches) == 3
    assert [x.shape for x, _ in batches] == [(4, 10), (4, 10), (4, 5)]
    x = np.concatenate([b[0] for b in batches], axis=1)  # (4, 25)
    y = np.concatenate([b[1] for b in batches], axis=1)
    np.testing.assert_array_equal(x, np.arange(100).reshape(4, 25))  # row b continues across batches
    np.testing.assert_array_equal(y, x + 1)


def test_batcher_time_major():
    x, y = next(iter(SequenceBatcher(np.arange(50), batch_size=2, seq_len=5, time_major=True)))
    assert x.shape == (5, 2) and x.flags.c_contiguous
    np.testing.assert_array_equal(x[:, 1], np.arange(24, 29))
    np.testing.assert_array_equal(y, x + 1)


def test_batcher_errors():
    with pytest.raises(ValueError, match="1-D integer"):
        SequenceBatcher(np.zeros((3, 3), dtype=np.int64), 1, 2)
    with pytest.raises(ValueError, match="too few"):
        SequenceBatcher(np.arange(3), 5, 2)
    with pytest.raises(ValueError, match=">= 1"):
        SequenceBatcher(np.arange(30), 0, 2)
