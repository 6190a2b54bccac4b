"""torch.nn.modules.rnn (defined in glassgrad/nn/recurrent.py, glassgrad/nn/rnn_cells.py)."""

from glassgrad.nn.recurrent import GRU as GRU
from glassgrad.nn.recurrent import LSTM as LSTM
from glassgrad.nn.recurrent import RNN as RNN
from glassgrad.nn.recurrent import RNNBase as RNNBase
from glassgrad.nn.rnn_cells import GRUCell as GRUCell
from glassgrad.nn.rnn_cells import LSTMCell as LSTMCell
from glassgrad.nn.rnn_cells import RNNCell as RNNCell

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell"]
