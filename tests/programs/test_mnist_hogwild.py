"""pytorch/examples mnist_hogwild on glassgrad: the workers' steps land in the parent's shared model."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tests.programs.harness import load_program


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the example starts its workers by fork")
def test_workers_train_the_parents_model(mnist_root):
    program = load_program("mnist_hogwild")
    program.torch.manual_seed(1)
    initial = {k: v.array.copy() for k, v in program.Net().state_dict().items()}  # what main() builds first
    model, exit_codes, (loss, correct) = program.main(["--epochs", "2", "--batch-size", "4", "--num-processes", "2",
                                                       "--lr", "0.1", "--data", str(mnist_root)])
    assert exit_codes == [0, 0]
    assert all(p.is_shared() for p in model.parameters())
    trained = {k: v.array for k, v in model.state_dict().items()}
    assert all(not np.allclose(trained[k], initial[k]) for k in ("conv1.weight", "fc2.weight"))
    assert np.isfinite(loss) and 0 <= correct <= 4
