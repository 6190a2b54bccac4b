"""The model zoo: classic networks the experiments, benchmarks and tests build, in one place.

- :mod:`glassgrad.models.mnist`: the 28x28-digit classifiers: ``mnist_mlp`` (784-256-128-10),
  ``mnist_cnn`` (conv32-pool-conv64-pool-fc128-fc10) and ``lenet5`` (LeCun et al. 1998);
- :mod:`glassgrad.models.gpt`: a GPT-style decoder (nanoGPT's shape: pre-norm blocks,
  causal self-attention, tied embedding and output head).

Every builder takes ``rng`` (a NumPy Generator) for reproducible initial weights. The small
ResNet is :class:`glassgrad.nn.ResNet`.
"""

from glassgrad.models.gpt import GPT as GPT
from glassgrad.models.mnist import lenet5 as lenet5
from glassgrad.models.mnist import mnist_cnn as mnist_cnn
from glassgrad.models.mnist import mnist_mlp as mnist_mlp

__all__ = ["GPT", "lenet5", "mnist_cnn", "mnist_mlp"]
