"""The logic-gates experiment: smoke run; XOR is learned by the MLP, not by the perceptron."""

import numpy as np

from glassgrad_experiments import gates


def test_gates_smoke_mlp_learns_xor_perceptron_does_not(tmp_path):
    results = gates.run(gates.smoke(), tmp_path)
    for gate in gates.GATES:
        assert results[f"{gate}_mlp_accuracy"] == 1.0, gate
        assert results[f"{gate}_mlp_loss"] < 0.05, gate
    for gate in ("AND", "OR", "NAND"):  # linearly separable: one layer is enough
        assert results[f"{gate}_perceptron_accuracy"] == 1.0, gate
    for gate in ("XOR", "XNOR"):  # not separable by a line: at best 3 of 4 rows, loss stuck near log 2
        assert results[f"{gate}_perceptron_accuracy"] <= 0.75, gate
        assert results[f"{gate}_perceptron_loss"] > 0.45, gate
        assert results[f"{gate}_perceptron_solved_at_step"] == -1
    assert results["XOR_scalar_mlp_accuracy"] == 1.0
    assert (tmp_path / "gates.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "xor_mlp_graph.svg").exists() or (tmp_path / "xor_mlp_graph.txt").exists()


def test_bce_with_logits_matches_the_formula_and_is_finite_for_large_logits():
    import glassgrad as gg

    z = np.array([[-30.0], [-1.0], [0.5], [40.0]], dtype=np.float64)
    y = np.array([0.0, 1.0, 0.0, 1.0])
    loss = gates.bce_with_logits(gg.tensor(z), y).item()
    expected = np.mean(np.logaddexp(0.0, z[:, 0]) - y * z[:, 0])  # -[y log p + (1-y) log(1-p)]
    assert np.isfinite(loss)
    np.testing.assert_allclose(loss, expected, rtol=1e-9)
