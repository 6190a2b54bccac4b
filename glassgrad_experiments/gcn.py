"""A graph convolutional network (Kipf & Welling 2017) on a stochastic block model, with a sparse adjacency.

The graph is generated: n nodes in C communities (a stochastic block model), an edge joining two
nodes of the same community with probability p_in and of different ones with p_out < p_in. Each
node has features: its community's mean vector plus Gaussian noise strong enough that a node's own
features say little about its community. A few nodes per class are labelled; the rest are the test set.

The network is Kipf and Welling's two-layer GCN (their equation 9), written as a PyTorch user
writes it, with the normalised adjacency as a sparse COO tensor:

    Â = D^-1/2 (A + I) D^-1/2                      (self-loops, symmetric degree normalisation)
    Z = Â relu(Â X W0) W1                         (each layer: torch.sparse.mm(adj, x @ W))

Each layer averages a node's features with its neighbours'. Here neighbours mostly share the
node's community, so the averaging cancels noise that no per-node classifier can remove.

Three models are trained the same way from the same seed:

- the GCN with the sparse adjacency (``torch.sparse.mm`` on glassgrad's COO tensor);
- the same GCN with the dense adjacency (``adj.to_dense()``): the same numbers, so the same
  predictions (the products are summed in another order: the logits agree to float32 rounding);
- an MLP of the same size on the features alone, without the graph: lower accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as torch
from glassgrad import nn, optim
from glassgrad.nn import functional as F  # noqa: N812  (the PyTorch convention)

NAME = "gcn"
DESCRIPTION = "graph convolutional network (Kipf & Welling 2017) on a stochastic block model: sparse vs dense vs MLP"
HEADLINE = ("gcn_sparse_accuracy", "gcn_dense_accuracy", "mlp_accuracy", "max_logit_difference", "nodes", "edges")


@dataclass
class Config:
    nodes: int = 2000
    communities: int = 4
    p_in: float = 0.01  # edge probability within a community (about 5 neighbours there)
    p_out: float = 0.001  # between communities (about 1.5 neighbours elsewhere)
    features: int = 32
    signal: float = 0.3  # distance of each community's feature mean from the origin, in noise units
    train_per_class: int = 20  # labelled nodes per community (Kipf & Welling's Cora split)
    hidden: int = 16
    dropout: float = 0.5
    lr: float = 0.01
    weight_decay: float = 5e-4
    epochs: int = 200
    seed: int = 0
    plot: bool = True


def smoke() -> Config:
    return Config(nodes=300, p_in=0.06, p_out=0.005, epochs=60, plot=False)


# ----- the data: a stochastic block model with noisy features --------------------------------
def stochastic_block_model(cfg: Config, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(edges (2, E) both directions, features (n, d), labels (n,)) of a generated graph."""
    labels = rng.integers(0, cfg.communities, cfg.nodes)
    same = labels[:, None] == labels[None, :]
    p = np.where(same, cfg.p_in, cfg.p_out)
    upper = np.triu(rng.random((cfg.nodes, cfg.nodes)) < p, k=1)  # each pair once, no self-loops
    rows, cols = np.nonzero(upper | upper.T)
    means = rng.standard_normal((cfg.communities, cfg.features))
    means *= cfg.signal / np.linalg.norm(means, axis=1, keepdims=True)
    features = means[labels] + rng.standard_normal((cfg.nodes, cfg.features)) / np.sqrt(cfg.features)
    return np.stack([rows, cols]), features.astype(np.float32), labels


def normalised_adjacency(edges: torch.Tensor, n: int) -> torch.Tensor:
    """D^-1/2 (A + I) D^-1/2 as a sparse COO tensor (the degrees counted with the self-loops)."""
    loops = torch.arange(n).repeat(2, 1)
    index = torch.cat([edges, loops], dim=1)
    degree = torch.zeros(n).index_add(0, index[0], torch.ones(index.shape[1]))
    weight = degree[index[0]].rsqrt() * degree[index[1]].rsqrt()
    return torch.sparse_coo_tensor(index, weight, (n, n)).coalesce()


def split(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) node indices: ``per_class`` labelled nodes of each community, the rest to test."""
    train = np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
                            for c in np.unique(labels)])
    return np.sort(train), np.setdiff1d(np.arange(len(labels)), train)


# ----- the models --------------------------------------------------------------------------------
class GraphConvolution(nn.Module):
    """One layer: Â X W + b; ``adj`` sparse (torch.sparse.mm) or dense (the same product)."""

    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x: torch.Tensor, adj: torch.Tensor) -> torch.Tensor:
        return torch.sparse.mm(adj, x @ self.weight) + self.bias


class GCN(nn.Module):
    def __init__(self, n_in: int, hidden: int, n_classes: int, dropout: float) -> None:
        super().__init__()
        self.gc1, self.gc2 = GraphConvolution(n_in, hidden), GraphConvolution(hidden, n_classes)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, adj: torch.Tensor) -> torch.Tensor:
        x = F.dropout(x, self.dropout, self.training)
        x = F.relu(self.gc1(x, adj))
        x = F.dropout(x, self.dropout, self.training)
        return self.gc2(x, adj)


class MLP(nn.Module):
    """The baseline without the graph: the same sizes, each node on its own (``adj`` is ignored)."""

    def __init__(self, n_in: int, hidden: int, n_classes: int, dropout: float) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(n_in, hidden), nn.Linear(hidden, n_classes)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, adj: torch.Tensor) -> torch.Tensor:  # noqa: ARG002
        x = F.dropout(x, self.dropout, self.training)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, self.dropout, self.training)
        return self.fc2(x)


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return (logits.argmax(dim=1) == labels).float().mean().item()


# ----- training: full-batch, as in the paper -------------------------------------------------------
def train(model: nn.Module, x: torch.Tensor, adj: torch.Tensor, labels: torch.Tensor, train_idx: torch.Tensor,
          test_idx: torch.Tensor, cfg: Config) -> dict:
    """Adam on the labelled nodes' cross-entropy; every epoch the whole graph goes through the model."""
    optimizer = optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    losses, test_accuracy = [], []
    for _ in range(cfg.epochs):
        model.train()
        optimizer.zero_grad()
        logits = model(x, adj)
        loss = F.cross_entropy(logits[train_idx], labels[train_idx])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            test_accuracy.append(accuracy(model(x, adj)[test_idx], labels[test_idx]))
    with torch.no_grad():
        logits = model(x, adj)
    return {"losses": losses, "test_accuracy": test_accuracy, "logits": logits.numpy()}


def run(cfg: Config, out_dir: Path) -> dict:
    rng = np.random.default_rng(cfg.seed)
    edges, features, labels = stochastic_block_model(cfg, rng)
    train_nodes, test_nodes = split(labels, cfg.train_per_class, rng)
    x, y = torch.tensor(features), torch.tensor(labels)
    train_idx, test_idx = torch.tensor(train_nodes), torch.tensor(test_nodes)
    adj = normalised_adjacency(torch.tensor(edges), cfg.nodes)
    print(f"graph: {cfg.nodes} nodes, {edges.shape[1] // 2} edges, {cfg.communities} communities; "
          f"{len(train_nodes)} labelled nodes, {len(test_nodes)} test nodes")

    runs = {}
    for name, model_class, adjacency in (("gcn_sparse", GCN, adj), ("gcn_dense", GCN, adj.to_dense()),
                                         ("mlp", MLP, None)):
        torch.manual_seed(cfg.seed)  # the same initial weights and dropout masks for both GCNs
        model = model_class(cfg.features, cfg.hidden, cfg.communities, cfg.dropout)
        runs[name] = train(model, x, adjacency, y, train_idx, test_idx, cfg)
        print(f"{name:10s}  final loss {runs[name]['losses'][-1]:.3f}  test accuracy "
              f"{runs[name]['test_accuracy'][-1]:.3f}")

    sparse, dense, mlp = runs["gcn_sparse"], runs["gcn_dense"], runs["mlp"]
    difference = float(np.abs(sparse["logits"] - dense["logits"]).max())
    results = {
        "gcn_sparse_accuracy": sparse["test_accuracy"][-1], "gcn_dense_accuracy": dense["test_accuracy"][-1],
        "mlp_accuracy": mlp["test_accuracy"][-1], "max_logit_difference": difference,
        "same_predictions": bool((sparse["logits"].argmax(1) == dense["logits"].argmax(1)).all()),
        "accuracy": sparse["test_accuracy"][-1], "chance": float(np.bincount(labels).max() / len(labels)),
        "first_loss": sparse["losses"][0], "final_loss": sparse["losses"][-1],
        "nodes": cfg.nodes, "edges": int(edges.shape[1] // 2), "adjacency_nnz": adj._nnz(),
    }
    print(f"test accuracy: GCN (sparse) {results['gcn_sparse_accuracy']:.3f}, GCN (dense) "
          f"{results['gcn_dense_accuracy']:.3f}, MLP {results['mlp_accuracy']:.3f}; sparse and dense logits differ "
          f"by at most {difference:.2g}")
    if cfg.plot:
        _plot(edges, labels, runs, out_dir / "gcn.png")
        results["plot"] = str(out_dir / "gcn.png")
    return results


def _plot(edges: np.ndarray, labels: np.ndarray, runs: dict, path: Path) -> None:
    """Left: the adjacency with nodes sorted by community (the blocks). Right: test accuracy per epoch."""
    from glassgrad_experiments.common.plots import _figure

    fig = _figure(11, 4.5)
    left, right = fig.subplots(1, 2)
    rank = np.empty(len(labels), dtype=int)
    rank[np.argsort(labels, kind="stable")] = np.arange(len(labels))
    left.plot(rank[edges[1]], rank[edges[0]], ",", color="k", alpha=0.5)
    left.set_xlim(0, len(labels))
    left.set_ylim(len(labels), 0)
    left.set_aspect("equal")
    left.set_title(f"adjacency, nodes sorted by community ({edges.shape[1] // 2} edges)")
    for name, style in (("gcn_sparse", "b-"), ("gcn_dense", "c--"), ("mlp", "r-")):
        right.plot(runs[name]["test_accuracy"], style, label=f"{name} ({runs[name]['test_accuracy'][-1]:.3f})")
    right.set_xlabel("epoch")
    right.set_ylabel("test accuracy")
    right.set_title("GCN (sparse = dense adjacency) vs MLP without the graph")
    right.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
