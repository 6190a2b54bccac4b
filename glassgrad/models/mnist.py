"""Classifiers for 28x28 grey images (MNIST, Fashion-MNIST): an MLP, a small CNN and LeNet-5.

Each returns an ``nn.Sequential`` mapping images to 10 logits; index ``[0]`` is the first
layer (whose weights the experiments picture).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import nn


def mnist_mlp(rng: np.random.Generator | None = None) -> nn.Sequential:
    """784-256-128-10 with ReLU, torch's default initialisation. Input (N, 784), output (N, 10)."""
    return nn.Sequential(nn.Linear(784, 256, rng=rng), nn.ReLU(), nn.Linear(256, 128, rng=rng), nn.ReLU(),
                         nn.Linear(128, 10, rng=rng))


def mnist_cnn(rng: np.random.Generator | None = None, dtype: Any = None, dropout: float = 0.0) -> nn.Sequential:
    """The classic two-conv MNIST CNN: input (N, 1, 28, 28), output logits (N, 10).

    conv(1->32, 3x3, pad 1) - ReLU - maxpool 2 - conv(32->64, 3x3, pad 1) - ReLU - maxpool 2
    - fc(3136->128) - ReLU - fc(128->10). With ``dropout`` > 0, Dropout(dropout / 2) follows the
    second pooling and Dropout(dropout) the 128-unit layer (the Keras MNIST-CNN recipe). They
    hold no parameters but shift the layers' indices, so a state_dict loads into a network
    built with the same ``dropout`` (zero or not).
    """
    after_conv = [nn.Dropout(dropout / 2, rng=rng)] if dropout else []
    after_fc = [nn.Dropout(dropout, rng=rng)] if dropout else []
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),   # (N, 32, 14, 14)
        nn.Conv2d(32, 64, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),  # (N, 64, 7, 7)
        *after_conv, nn.Flatten(),                                                            # (N, 3136)
        nn.Linear(64 * 7 * 7, 128, dtype=dtype, rng=rng), nn.ReLU(), *after_fc,
        nn.Linear(128, 10, dtype=dtype, rng=rng),
    )


def lenet5(rng: np.random.Generator | None = None) -> nn.Sequential:
    """LeNet-5 (LeCun et al. 1998) for (N, 1, 28, 28) input; logits (N, 10). 61,706 parameters.

    C1 conv 1->6 5x5 (the digit padded by 2 to the paper's 32x32) - tanh - S2 avg-pool 2
    - C3 conv 6->16 5x5 - tanh - S4 avg-pool 2 - C5 conv 16->120 5x5 - tanh - F6 fc 120->84
    - tanh - output fc 84->10. As in most re-implementations, C3 connects every S2 map, S2/S4
    have no trainable coefficients and the output is plain logits (softmax + cross-entropy
    instead of RBF units).
    """
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2, rng=rng), nn.Tanh(), nn.AvgPool2d(2),     # C1, S2: (N, 6, 14, 14)
        nn.Conv2d(6, 16, 5, rng=rng), nn.Tanh(), nn.AvgPool2d(2),               # C3, S4: (N, 16, 5, 5)
        nn.Conv2d(16, 120, 5, rng=rng), nn.Tanh(), nn.Flatten(),               # C5: (N, 120)
        nn.Linear(120, 84, rng=rng), nn.Tanh(),                                  # F6
        nn.Linear(84, 10, rng=rng),                                              # output
    )
