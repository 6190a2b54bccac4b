"""pytorch/examples word_language_model on glassgrad: RNN, LSTM, GRU and Transformer models, as torch."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.programs.harness import load_arrays, load_program, state_arrays

SMALL = ["--emsize", "8", "--nhid", "8", "--nlayers", "2", "--batch_size", "4", "--bptt", "5", "--lr", "5"]


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN_TANH", "Transformer"])
def test_language_model_trains_saves_and_reloads(kind, corpus_root, tmp_path):
    program = load_program("word_language_model")
    save = tmp_path / "model.pt"
    model, history = program.main(["--data", str(corpus_root), "--model", kind, "--epochs", "2",
                                   "--save", str(save), *SMALL])
    assert len(history["train"]) == 10 and np.all(np.isfinite(history["train"]))
    assert history["val"][1] < history["val"][0]
    assert np.isfinite(history["test"])
    assert type(model).__name__ == ("TransformerModel" if kind == "Transformer" else "RNNModel")


def test_whole_model_load_is_refused_unless_allowed(corpus_root, tmp_path):
    """torch >= 2.6: torch.load(f) rebuilds only allow-listed classes; weights_only=False or safe_globals opens it."""
    program = load_program("word_language_model")
    model = program.RNNModel("LSTM", 10, 8, 8, 1, 0.0)
    glassgrad.save(model, tmp_path / "model.pt")
    with pytest.raises(Exception, match="RNNModel"):
        glassgrad.load(tmp_path / "model.pt")
    with glassgrad.serialization.safe_globals([program.RNNModel]):
        reloaded = glassgrad.load(tmp_path / "model.pt")
    reloaded.rnn.flatten_parameters()
    tokens = glassgrad.tensor([[1, 2], [3, 4], [5, 6]])
    expected, _ = model(tokens, model.init_hidden(2))
    assert glassgrad.allclose(reloaded(tokens, reloaded.init_hidden(2))[0], expected)


def test_positional_encoding_and_causal_mask():
    program = load_program("word_language_model")
    encoding = program.PositionalEncoding(6, dropout=0.0, max_len=10)
    assert encoding.pe.shape == (10, 1, 6) and "pe" in dict(encoding.named_buffers())
    np.testing.assert_allclose(encoding.pe[3, 0, 0].item(), np.sin(3.0), rtol=1e-6)
    np.testing.assert_allclose(encoding.pe[3, 0, 1].item(), np.cos(3.0), rtol=1e-6)
    mask = program.TransformerModel(10, 8, 2, 8, 1, 0.0)._generate_square_subsequent_mask(3).numpy()
    np.testing.assert_array_equal(mask, [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])  # no NaN from 0 * inf


@pytest.mark.torch_live
@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN_TANH", "RNN_RELU", "Transformer", "LSTM --tied"])
def test_language_model_matches_torch(kind, corpus_root, torch):
    results = {}
    for name in ("glassgrad", "torch"):
        program = load_program("word_language_model", name)
        lib = program.torch
        args = program.parse_args(["--data", str(corpus_root), "--model", *kind.split(), "--dropout", "0", *SMALL])
        corpus = program.Corpus(args.data)
        train_data = program.batchify(corpus.train, args.batch_size, lib.device("cpu"))
        val_data = program.batchify(corpus.valid, 2, lib.device("cpu"))
        ntokens = len(corpus.dictionary)
        model = program.build_model(args, ntokens, lib.device("cpu"))
        if name == "glassgrad":
            start = state_arrays(model)
        load_arrays(model, start, lib)
        criterion = program.nn.NLLLoss()
        losses = program.train(args, model, criterion, train_data, ntokens, args.lr, 1)
        val_loss = program.evaluate(args, model, criterion, val_data, ntokens, 2)
        results[name] = losses, val_loss, state_arrays(model)
    np.testing.assert_allclose(results["glassgrad"][0], results["torch"][0], rtol=1e-4)
    assert results["glassgrad"][1] == pytest.approx(results["torch"][1], rel=1e-4)
    for key, value in results["torch"][2].items():
        np.testing.assert_allclose(results["glassgrad"][2][key], value, rtol=1e-3, atol=1e-5, err_msg=key)


def test_onnx_export_of_the_lstm_model(tmp_path):
    """The program exports (input, (h0, c0)): the nested pair becomes two graph inputs, as in torch,
    and onnxruntime gives glassgrad's outputs."""
    pytest.importorskip("onnx")
    program = load_program("word_language_model")
    model = program.RNNModel("LSTM", 10, 8, 8, 2, 0.0)
    path = tmp_path / "model.onnx"
    program.export_onnx(model, str(path), batch_size=1, seq_len=5, device=glassgrad.device("cpu"))
    ort = pytest.importorskip("onnxruntime")
    ids = np.array([[1], [4], [2], [9], [0]], dtype=np.int64)  # (seq_len, batch)
    h0 = np.random.default_rng(0).standard_normal((2, 1, 8)).astype(np.float32)
    c0 = np.random.default_rng(1).standard_normal((2, 1, 8)).astype(np.float32)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input_0", "input_1", "input_2"]
    got = session.run(None, {"input_0": ids, "input_1": h0, "input_2": c0})
    with glassgrad.no_grad():
        expected, (h_n, c_n) = model(glassgrad.tensor(ids), (glassgrad.tensor(h0), glassgrad.tensor(c0)))
    for ours, theirs in zip([expected, h_n, c_n], got):
        np.testing.assert_allclose(theirs, ours.numpy(), rtol=1e-5, atol=1e-5)
