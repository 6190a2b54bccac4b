"""glassgrad: a deep-learning framework you can read end to end.

A NumPy tensor engine with hand-written, checked derivatives; layers,
optimisers and a training loop on top.
"""

from glassgrad import allocator as allocator
from glassgrad import backend as backend
from glassgrad import autograd as autograd  # first: the engine, then Tensor and the ops (autograd/__init__.py)
from glassgrad import nn as nn
from glassgrad import ops as ops
from glassgrad import optim as optim
from glassgrad.autograd import enable_grad as enable_grad
from glassgrad.autograd import is_grad_enabled as is_grad_enabled
from glassgrad.autograd import no_grad as no_grad
from glassgrad.backend import get_default_dtype as get_default_dtype
from glassgrad.backend import set_default_dtype as set_default_dtype
from glassgrad.creation import arange as arange
from glassgrad.creation import full as full
from glassgrad.creation import ones as ones
from glassgrad.creation import ones_like as ones_like
from glassgrad.creation import rand as rand
from glassgrad.creation import randn as randn
from glassgrad.creation import tensor as tensor
from glassgrad.creation import zeros as zeros
from glassgrad.creation import zeros_like as zeros_like
from glassgrad.op import Context as Context
from glassgrad.op import Op as Op
from glassgrad.autograd import GradcheckError as GradcheckError
from glassgrad.autograd import gradcheck as gradcheck
from glassgrad.io import load as load
from glassgrad.io import save as save
from glassgrad.random import manual_seed as manual_seed
from glassgrad.tensor import Tensor as Tensor

__version__ = "0.1.0"

# torch's dtype names and devices
from glassgrad.dtypes import bfloat16 as bfloat16  # noqa: E402
from glassgrad.dtypes import bool as bool  # noqa: E402
from glassgrad.dtypes import cdouble as cdouble  # noqa: E402
from glassgrad.dtypes import cfloat as cfloat  # noqa: E402
from glassgrad.dtypes import complex64 as complex64  # noqa: E402
from glassgrad.dtypes import complex128 as complex128  # noqa: E402
from glassgrad.dtypes import double as double  # noqa: E402
from glassgrad.dtypes import finfo as finfo  # noqa: E402
from glassgrad.dtypes import float as float  # noqa: E402
from glassgrad.dtypes import float16 as float16  # noqa: E402
from glassgrad.dtypes import float32 as float32  # noqa: E402
from glassgrad.dtypes import float64 as float64  # noqa: E402
from glassgrad.dtypes import half as half  # noqa: E402
from glassgrad.dtypes import iinfo as iinfo  # noqa: E402
from glassgrad.dtypes import int as int  # noqa: E402
from glassgrad.dtypes import int8 as int8  # noqa: E402
from glassgrad.dtypes import int16 as int16  # noqa: E402
from glassgrad.dtypes import int32 as int32  # noqa: E402
from glassgrad.dtypes import int64 as int64  # noqa: E402
from glassgrad.dtypes import long as long  # noqa: E402
from glassgrad.dtypes import short as short  # noqa: E402
from glassgrad.dtypes import uint8 as uint8  # noqa: E402
from glassgrad.device import device as device  # noqa: E402
from glassgrad.tensor import Size as Size  # noqa: E402
from glassgrad.tensor import is_floating_point as is_floating_point  # noqa: E402
from glassgrad.tensor import is_tensor as is_tensor  # noqa: E402
from glassgrad.tensor import numel as numel  # noqa: E402

# Each family below is added to by its own work; keep the blocks apart.
# --- pointwise math and activations ---
# --- reductions, scans, sorting, comparisons, distributions ---
from glassgrad import distributions as distributions  # noqa: E402
from glassgrad import return_types as return_types  # noqa: E402
# --- shape, indexing ---
# --- linear algebra, creation, random, devices (cuda, accelerator, backends) ---
from glassgrad.creation import as_tensor as as_tensor  # noqa: E402
from glassgrad.creation import empty as empty  # noqa: E402
from glassgrad.creation import empty_like as empty_like  # noqa: E402
from glassgrad.creation import eye as eye  # noqa: E402
from glassgrad.creation import from_numpy as from_numpy  # noqa: E402
from glassgrad.creation import full_like as full_like  # noqa: E402
from glassgrad.creation import linspace as linspace  # noqa: E402
from glassgrad.creation import logspace as logspace  # noqa: E402
from glassgrad.random_tensors import bernoulli as bernoulli  # noqa: E402
from glassgrad.random_tensors import multinomial as multinomial  # noqa: E402
from glassgrad.random_tensors import normal as normal  # noqa: E402
from glassgrad.random_tensors import poisson as poisson  # noqa: E402
from glassgrad.random_tensors import rand_like as rand_like  # noqa: E402
from glassgrad.random_tensors import randint as randint  # noqa: E402
from glassgrad.random_tensors import randint_like as randint_like  # noqa: E402
from glassgrad.random_tensors import randn_like as randn_like  # noqa: E402
from glassgrad.random_tensors import randperm as randperm  # noqa: E402
from glassgrad.random import Generator as Generator  # noqa: E402
from glassgrad.random import default_generator as default_generator  # noqa: E402
from glassgrad.random import fork_rng as fork_rng  # noqa: E402
from glassgrad.random import get_rng_state as get_rng_state  # noqa: E402
from glassgrad.random import initial_seed as initial_seed  # noqa: E402
from glassgrad.random import seed as seed  # noqa: E402
from glassgrad.random import set_rng_state as set_rng_state  # noqa: E402
from glassgrad.device import get_default_device as get_default_device  # noqa: E402
from glassgrad.device import set_default_device as set_default_device  # noqa: E402
from glassgrad.threads import get_num_interop_threads as get_num_interop_threads  # noqa: E402
from glassgrad.threads import get_num_threads as get_num_threads  # noqa: E402
from glassgrad.threads import set_num_interop_threads as set_num_interop_threads  # noqa: E402
from glassgrad.threads import set_num_threads as set_num_threads  # noqa: E402
from glassgrad import accelerator as accelerator  # noqa: E402
from glassgrad import amp as amp  # noqa: E402
from glassgrad.amp import autocast as autocast  # noqa: E402
from glassgrad import backends as backends  # noqa: E402
from glassgrad import cuda as cuda  # noqa: E402
from glassgrad import random as random  # noqa: E402
from glassgrad import profiler as profiler  # noqa: E402  (torch.profiler: where a step's time goes)
# --- nn ---
# --- optim ---
# --- utils.data, vision, save/load, serialization, safetensors ---
from glassgrad import safetensors as safetensors  # noqa: E402
from glassgrad import serialization as serialization  # noqa: E402
from glassgrad import utils as utils  # noqa: E402
from glassgrad import vision as vision  # noqa: E402
# --- several processes: torch.distributed on MPI (MPI itself loads at init_process_group), multiprocessing ---
from glassgrad import distributed as distributed  # noqa: E402
from glassgrad import multiprocessing as multiprocessing  # noqa: E402
# --- attention / transformer ---
# --- onnx export ---
from glassgrad import onnx as onnx  # noqa: E402
# --- kernels (speed): the fast kernels and the switch to their readable twins ---
from glassgrad import kernels as kernels  # noqa: E402
# --- programs' acceptance (examples engineer): legacy tensor types, grad modes ---
from glassgrad.autograd import inference_mode as inference_mode  # noqa: E402
from glassgrad.autograd import set_grad_enabled as set_grad_enabled  # noqa: E402
from glassgrad.compiler import are_deterministic_algorithms_enabled as are_deterministic_algorithms_enabled  # noqa: E402, E501
from glassgrad.compiler import compile as compile  # noqa: E402, A004
from glassgrad.compiler import use_deterministic_algorithms as use_deterministic_algorithms  # noqa: E402
from glassgrad.legacy_types import BoolTensor as BoolTensor  # noqa: E402
from glassgrad.legacy_types import ByteTensor as ByteTensor  # noqa: E402
from glassgrad.legacy_types import CharTensor as CharTensor  # noqa: E402
from glassgrad.legacy_types import DoubleTensor as DoubleTensor  # noqa: E402
from glassgrad.legacy_types import FloatTensor as FloatTensor  # noqa: E402
from glassgrad.legacy_types import HalfTensor as HalfTensor  # noqa: E402
from glassgrad.legacy_types import IntTensor as IntTensor  # noqa: E402
from glassgrad.legacy_types import LongTensor as LongTensor  # noqa: E402
from glassgrad.legacy_types import ShortTensor as ShortTensor  # noqa: E402
from glassgrad import func as func  # noqa: E402  (torch.func: grad, jacrev, hessian, functional_call)
from glassgrad import linalg as linalg  # noqa: E402
# --- torch-level linear algebra (issue 24; torch.linalg is glassgrad/linalg.py) ---
from glassgrad.ops.linalg_cholesky import cholesky_inverse as cholesky_inverse  # noqa: E402
from glassgrad.ops.linalg_cholesky import cholesky_legacy as cholesky  # noqa: E402
from glassgrad.ops.linalg_cholesky import cholesky_solve as cholesky_solve  # noqa: E402
from glassgrad.ops.linalg_determinant import logdet as logdet  # noqa: E402
from glassgrad.ops.linalg_determinant import slogdet_legacy as slogdet  # noqa: E402
from glassgrad.ops.linalg_householder import geqrf as geqrf  # noqa: E402
from glassgrad.ops.linalg_householder import householder_product as orgqr  # noqa: E402
from glassgrad.ops.linalg_householder import ormqr as ormqr  # noqa: E402
from glassgrad.ops.linalg_lu_solve import lu_legacy as lu  # noqa: E402
from glassgrad.ops.linalg_lu_solve import lu_solve_legacy as lu_solve  # noqa: E402
from glassgrad.ops.linalg_lu_solve import lu_unpack as lu_unpack  # noqa: E402
from glassgrad.ops.linalg_matrix_functions import chain_matmul as chain_matmul  # noqa: E402
from glassgrad.ops.linalg_matrix_functions import matrix_exp as matrix_exp  # noqa: E402
from glassgrad.ops.linalg_matrix_functions import matrix_power as matrix_power  # noqa: E402
from glassgrad.ops.linalg_pinv import pinverse as pinverse  # noqa: E402
from glassgrad.ops.linalg_qr import qr_legacy as qr  # noqa: E402
from glassgrad.ops.linalg_svd import svd_legacy as svd  # noqa: E402
from glassgrad.ops.linalg_triangular import triangular_solve as triangular_solve  # noqa: E402
from glassgrad.ops.linalg_vectors import cross as cross  # noqa: E402
from glassgrad.ops.linalg_vectors import vander as vander  # noqa: E402
from glassgrad import special as special  # noqa: E402  (torch.special; glassgrad/special/__init__.py)
from glassgrad import fft as fft  # noqa: E402  (torch.fft; glassgrad/fft/__init__.py)
from glassgrad.fft.short_time import istft as istft  # noqa: E402
from glassgrad.fft.short_time import stft as stft  # noqa: E402
from glassgrad import sparse as sparse  # noqa: E402  (torch.sparse: COO tensors; docs/sparse.md)
from glassgrad.sparse import sparse_coo_tensor as sparse_coo_tensor  # noqa: E402
from glassgrad.sparse import spmm as spmm  # noqa: E402
from glassgrad.ops import det as det  # noqa: E402
from glassgrad.ops import inverse as inverse  # noqa: E402
# --- nn.functional families of issue 21: torch-level names (shrink/threshold activations, 3-D windows, pdist) ---
from glassgrad.nn.channel_shuffle import channel_shuffle as channel_shuffle  # noqa: E402
from glassgrad.nn.channel_shuffle import channel_shuffle as native_channel_shuffle  # noqa: E402
from glassgrad.nn.functional import celu_ as celu_  # noqa: E402  (torch's in-place activations at top level)
from glassgrad.nn.functional import rrelu_ as rrelu_  # noqa: E402
from glassgrad.nn.functional import selu_ as selu_  # noqa: E402
from glassgrad.nn.functional import threshold_ as threshold_  # noqa: E402

# --- torch-level op families of issue 21: pointwise, type promotion ---
from glassgrad.ops import complex as complex  # noqa: E402
from glassgrad.ops import imag as imag  # noqa: E402
from glassgrad.ops import polar as polar  # noqa: E402
from glassgrad.ops import view_as_complex as view_as_complex  # noqa: E402
from glassgrad.ops import view_as_real as view_as_real  # noqa: E402
from glassgrad.creation_forms import empty_permuted as empty_permuted  # noqa: E402
from glassgrad.creation_forms import empty_strided as empty_strided  # noqa: E402
from glassgrad.creation_forms import scalar_tensor as scalar_tensor  # noqa: E402
from glassgrad import masked as masked  # noqa: E402
from glassgrad import signal as signal  # noqa: E402
from glassgrad.signal.windows import bartlett_window as bartlett_window  # noqa: E402
from glassgrad.signal.windows import blackman_window as blackman_window  # noqa: E402
from glassgrad.signal.windows import hamming_window as hamming_window  # noqa: E402
from glassgrad.signal.windows import hann_window as hann_window  # noqa: E402
from glassgrad.signal.windows import kaiser_window as kaiser_window  # noqa: E402
from glassgrad.creation_forms import range as range  # noqa: E402, A004
from glassgrad.random_tensors import binomial as binomial  # noqa: E402
from glassgrad.functional_forms import detach as detach  # noqa: E402
from glassgrad.functional_forms import get_device as get_device  # noqa: E402
from glassgrad.functional_forms import typename as typename  # noqa: E402

# --- tensor queries and layouts (glassgrad/methods/queries.py, glassgrad/layout.py) ---
from glassgrad.layout import jagged as jagged  # noqa: E402
from glassgrad.layout import layout as layout  # noqa: E402
from glassgrad.layout import sparse_bsc as sparse_bsc  # noqa: E402
from glassgrad.layout import sparse_bsr as sparse_bsr  # noqa: E402
from glassgrad.layout import sparse_coo as sparse_coo  # noqa: E402
from glassgrad.layout import sparse_csc as sparse_csc  # noqa: E402
from glassgrad.layout import sparse_csr as sparse_csr  # noqa: E402
from glassgrad.layout import strided as strided  # noqa: E402
from glassgrad.methods.queries import is_complex as is_complex  # noqa: E402
from glassgrad.methods.queries import is_conj as is_conj  # noqa: E402
from glassgrad.methods.queries import is_inference as is_inference  # noqa: E402
from glassgrad.methods.queries import is_neg as is_neg  # noqa: E402
from glassgrad.methods.queries import is_nonzero as is_nonzero  # noqa: E402
from glassgrad.methods.queries import is_same_size as is_same_size  # noqa: E402
from glassgrad.methods.queries import is_signed as is_signed  # noqa: E402
from glassgrad.methods.queries import is_storage as is_storage  # noqa: E402
from glassgrad import testing as testing  # noqa: E402  (torch.testing: assert_close, make_tensor)

# --- op families that declare their names: each name in a family's TORCH_NAMES is torch.X (ops/families.py) ---
ops.families.export(globals(), "TORCH_NAMES")

allocator.tune()  # glibc: keep freed memory for the next step (glassgrad/allocator.py; GLASSGRAD_MALLOC=system)
