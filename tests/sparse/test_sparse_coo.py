"""Sparse COO tensors (glassgrad/sparse/): construction, coalescing, conversions and products,
against torch (values, sparsity patterns, the sparse gradient torch gives a sparse leaf) and
against float64 finite differences (the gradients of the values and of the dense operand)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad

# a 3 x 4 matrix with a repeated coordinate (1, 2) and an entry in every row but one column
INDICES = np.array([[0, 1, 2, 1, 2], [1, 2, 0, 2, 3]])
SIZE = (3, 4)


def _values(rng, dtype=np.float64):
    return rng.standard_normal(INDICES.shape[1]).astype(dtype)


def _sparse(lib, values, requires_grad=False):
    return lib.sparse_coo_tensor(lib.tensor(INDICES), lib.tensor(values), SIZE, requires_grad=requires_grad)


def _same(ours, theirs, rtol=1e-6):
    np.testing.assert_allclose(ours.detach().numpy(), np.asarray(theirs.detach().numpy()), rtol=rtol, atol=1e-6)


def test_parts_coalesce_and_to_dense_match_torch(rng, torch):
    values = _values(rng)
    ours, theirs = _sparse(glassgrad, values), _sparse(torch, values)
    assert ours.layout is glassgrad.sparse_coo and ours.is_sparse and isinstance(ours, glassgrad.Tensor)
    assert (ours.is_coalesced(), ours._nnz(), ours.sparse_dim(), ours.dense_dim()) == (
        theirs.is_coalesced(), theirs._nnz(), theirs.sparse_dim(), theirs.dense_dim())
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.dim() == theirs.dim()
    _same(ours.to_dense(), theirs.to_dense())
    ours_c, theirs_c = ours.coalesce(), theirs.coalesce()
    assert ours_c.is_coalesced() and ours_c._nnz() == theirs_c._nnz()
    np.testing.assert_array_equal(ours_c.indices().numpy(), np.asarray(theirs_c.indices().numpy()))
    _same(ours_c.values(), theirs_c.values())


def test_to_sparse_matches_torch_also_hybrid(rng, torch):
    x = rng.standard_normal((3, 4, 2))
    x[0, 1] = 0.0
    x[2, 3, 0] = 0.0  # one zero in a block that stays (its neighbour is not zero)
    x[1] = 0.0
    for sparse_dim in (None, 2, 1):
        args = () if sparse_dim is None else (sparse_dim,)
        ours, theirs = glassgrad.tensor(x).to_sparse(*args), torch.tensor(x).to_sparse(*args)
        assert ours.is_coalesced() == theirs.is_coalesced() and ours.sparse_dim() == theirs.sparse_dim()
        np.testing.assert_array_equal(ours.indices().numpy(), np.asarray(theirs.indices().numpy()))
        _same(ours.values(), theirs.values())
        _same(ours.to_dense(), theirs.to_dense())


def test_sparse_mm_and_its_gradients_match_torch(rng, torch):
    values, dense = _values(rng), rng.standard_normal((4, 5))
    results = {}
    for lib in (glassgrad, torch):
        a = _sparse(lib, values, requires_grad=True)
        b = lib.tensor(dense, requires_grad=True)
        out = lib.sparse.mm(a, b)
        (out * lib.tensor(np.arange(15.0).reshape(3, 5))).sum().backward()
        results[lib] = (out, a.grad, b.grad)
    (out, a_grad, b_grad), (out_t, a_grad_t, b_grad_t) = results[glassgrad], results[torch]
    _same(out, out_t)
    _same(b_grad, b_grad_t)
    # the sparse leaf's gradient: sparse, with the leaf's coordinates (its sparsity pattern), each once
    # (torch's is_coalesced flag on a gradient depends on the op that made it: not compared)
    assert a_grad.is_sparse and a_grad._nnz() == a_grad_t._nnz() == len(set(map(tuple, INDICES.T)))
    a_grad, a_grad_t = a_grad.coalesce(), a_grad_t.coalesce()
    np.testing.assert_array_equal(a_grad.indices().numpy(), np.asarray(a_grad_t.indices().numpy()))
    _same(a_grad.values(), a_grad_t.values())


def test_every_spelling_of_the_product_matches_torch(rng, torch):
    values, dense, left = _values(rng), rng.standard_normal((4, 2)), rng.standard_normal((2, 3))
    for lib, outs in ((glassgrad, []), (torch, [])):
        a, b = _sparse(lib, values), lib.tensor(dense)
        outs += [lib.mm(a, b), a @ b, lib.matmul(a, b), a.mm(b), lib.spmm(a, b), lib.mm(lib.tensor(left), a),
                 lib.tensor(left) @ a]
        if lib is glassgrad:
            ours = outs
        else:
            theirs = outs
    for o, t in zip(ours, theirs, strict=True):
        assert not o.is_sparse
        _same(o, t)


def test_sparse_sum_matches_torch(rng, torch):
    values = rng.standard_normal((INDICES.shape[1], 2))  # a hybrid tensor: (3, 4) sparse, 2 dense
    size = SIZE + (2,)
    ours = glassgrad.sparse_coo_tensor(glassgrad.tensor(INDICES), glassgrad.tensor(values), size)
    theirs = torch.sparse_coo_tensor(torch.tensor(INDICES), torch.tensor(values), size)
    _same(glassgrad.sparse.sum(ours), torch.sparse.sum(theirs))
    for dim in (0, 1, 2, (0, 1), (1, 2), (0, 2), (0, 1, 2), -1):
        o, t = glassgrad.sparse.sum(ours, dim), torch.sparse.sum(theirs, dim)
        assert o.is_sparse == t.is_sparse and tuple(o.shape) == tuple(t.shape), dim
        _same(o.to_dense(), t.to_dense())


@pytest.mark.parametrize("name", ["mm", "mm_dense_left", "to_dense", "coalesce", "sum_dim", "to_sparse"])
def test_gradcheck_float64(rng, name):
    """Finite differences in float64 for the values of the sparse operand and the dense operand."""
    values, dense = _values(rng), rng.standard_normal((4, 3))
    index = glassgrad.tensor(INDICES)
    mask = glassgrad.tensor(rng.random((3, 4)) > 0.5).double()

    def sparse(v):
        return glassgrad.sparse_coo_tensor(index, v, SIZE)

    cases = {
        "mm": (lambda v, b: glassgrad.sparse.mm(sparse(v), b), [values, dense]),
        "mm_dense_left": (lambda v, b: b.t() @ sparse(v).t(), [values, dense]),
        "to_dense": (lambda v: sparse(v).to_dense(), [values]),
        "coalesce": (lambda v: sparse(v).coalesce().values(), [values]),
        "sum_dim": (lambda v: glassgrad.sparse.sum(sparse(v), 1).to_dense(), [values]),
        # the zeros stay zero under the finite differences (a masked input), so the pattern holds still
        "to_sparse": (lambda x: (x * mask).to_sparse().values() ** 2, [rng.standard_normal((3, 4))]),
    }
    fn, inputs = cases[name]
    tensors = [glassgrad.tensor(x, requires_grad=True) for x in inputs]
    assert glassgrad.gradcheck(fn, tensors)


def test_gradient_flows_to_the_values_a_sparse_tensor_was_made_from(rng):
    values = glassgrad.tensor(_values(rng), requires_grad=True)
    a = glassgrad.sparse_coo_tensor(glassgrad.tensor(INDICES), values, SIZE)
    assert not a.is_leaf and a.requires_grad
    glassgrad.sparse.mm(a, glassgrad.ones(4, 1, dtype=glassgrad.float64)).sum().backward()
    np.testing.assert_array_equal(values.grad.numpy(), np.ones(INDICES.shape[1]))


def test_the_backward_uses_the_forwards_csr_matrix(rng, monkeypatch):
    """One SciPy matrix per product: the backward's A^T G reads the forward's (kept on ctx). Under
    create_graph the matrix on ctx is no value derived from the inputs (autograd/higher_order.py), so the
    forward does not run again: the only other matrix is the recorded A^T G's own (SparseDenseMM again)."""
    import scipy.sparse

    built, real = [], scipy.sparse.coo_matrix
    monkeypatch.setattr(scipy.sparse, "coo_matrix", lambda *args, **kwargs: built.append(1) or real(*args, **kwargs))
    values = glassgrad.tensor(_values(rng), requires_grad=True)
    dense = glassgrad.tensor(rng.standard_normal((4, 2)), requires_grad=True)
    out = glassgrad.sparse.mm(glassgrad.sparse_coo_tensor(glassgrad.tensor(INDICES), values, SIZE), dense)
    out.backward(glassgrad.ones(3, 2, dtype=glassgrad.float64))
    assert len(built) == 1
    np.testing.assert_allclose(dense.grad.numpy(), _dense_matrix(values.detach().numpy()).T @ np.ones((3, 2)))
    built.clear()
    out = glassgrad.sparse.mm(glassgrad.sparse_coo_tensor(glassgrad.tensor(INDICES), values, SIZE), dense)
    (d_dense,) = glassgrad.autograd.grad((out * out).sum(), dense, create_graph=True)
    assert len(built) == 2
    (d_values,) = glassgrad.autograd.grad(d_dense.sum(), values)  # differentiable again
    assert d_values.shape == values.shape


def _dense_matrix(values):
    a = np.zeros(SIZE)
    np.add.at(a, tuple(INDICES), values)  # the repeated coordinate sums
    return a


def test_bad_input_raises_as_torch(rng):
    a = _sparse(glassgrad, _values(rng))
    with pytest.raises(NotImplementedError, match="sparse_coo"):
        a.exp()
    with pytest.raises(NotImplementedError, match="sparse_coo"):
        a.view(12)
    with pytest.raises(RuntimeError, match="uncoalesced"):
        a.indices()
    with pytest.raises(RuntimeError, match="uncoalesced"):
        a.values()
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        glassgrad.sparse.mm(a, glassgrad.ones(3, 2, dtype=glassgrad.float64))
    with pytest.raises(RuntimeError, match="scalar type"):
        glassgrad.sparse.mm(a, glassgrad.ones(4, 2))
    with pytest.raises(NotImplementedError, match="two sparse"):
        glassgrad.sparse.mm(a, a.t())
    with pytest.raises(RuntimeError, match="inconsistent"):
        glassgrad.sparse_coo_tensor(glassgrad.tensor(INDICES), glassgrad.tensor(_values(rng)), (2, 4))
    with pytest.raises(RuntimeError, match="same nnz"):
        glassgrad.sparse_coo_tensor(glassgrad.tensor(INDICES), glassgrad.ones(3), SIZE)
    with pytest.raises(RuntimeError, match="expected a sparse tensor"):
        glassgrad.sparse.sum(glassgrad.ones(2))
    for sparse_only in (glassgrad.ones(2).indices, glassgrad.ones(2).values, glassgrad.ones(2).coalesce):
        with pytest.raises(RuntimeError, match="layout but got Strided"):
            sparse_only()


def test_size_is_inferred_and_python_lists_are_accepted():
    a = glassgrad.sparse_coo_tensor([[0, 2], [1, 0]], [1.0, 2.0])
    assert tuple(a.shape) == (3, 2) and a.dtype == glassgrad.float32
    np.testing.assert_array_equal(a.to_dense().numpy(), [[0, 1], [0, 0], [2, 0]])


def test_matmul_gives_a_sparse_leaf_torchs_dense_gradient_read_at_its_coordinates(rng, torch):
    """The documented difference (docs/pytorch.md): torch's ``A @ B`` gives a sparse leaf the dense
    gradient G Bᵀ; glassgrad gives its entries at A's coordinates, as ``torch.sparse.mm`` does."""
    values, dense = _values(rng), rng.standard_normal((4, 2))
    grads = {}
    for lib in (glassgrad, torch):
        a = _sparse(lib, values, requires_grad=True)
        (a @ lib.tensor(dense)).pow(2).sum().backward()
        grads[lib] = a.grad
    ours, theirs = grads[glassgrad].coalesce(), np.asarray(grads[torch].detach().numpy())
    assert ours.is_sparse and theirs.shape == SIZE  # torch's is dense
    rows, cols = ours.indices().numpy()
    np.testing.assert_allclose(ours.values().numpy(), theirs[rows, cols], rtol=1e-6)
    masked = np.zeros(SIZE)
    masked[rows, cols] = theirs[rows, cols]
    np.testing.assert_allclose(ours.to_dense().numpy(), masked, rtol=1e-6)


def test_a_sparse_leafs_grad_is_cleared_and_everything_else_refuses(rng):
    a = _sparse(glassgrad, _values(rng), requires_grad=True)
    glassgrad.sparse.sum(a).backward()
    assert a.grad is not None
    a.grad = None
    assert a.grad is None
    for refused in (lambda: a * 2, lambda: a.sum(), lambda: a.clone(), lambda: glassgrad.optim.SGD([a], lr=0.1)):
        with pytest.raises(NotImplementedError, match="sparse"):
            refused()
