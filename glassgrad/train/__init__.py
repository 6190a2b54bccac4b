"""Training: a Keras-like loop (fit / evaluate / predict) over any Module, callbacks, History."""

from glassgrad.train.callbacks import Callback as Callback
from glassgrad.train.callbacks import CSVLogger as CSVLogger
from glassgrad.train.callbacks import EarlyStopping as EarlyStopping
from glassgrad.train.callbacks import LambdaCallback as LambdaCallback
from glassgrad.train.callbacks import LRSchedulerCallback as LRSchedulerCallback
from glassgrad.train.callbacks import ModelCheckpoint as ModelCheckpoint
from glassgrad.train.callbacks import TerminateOnNaN as TerminateOnNaN
from glassgrad.train.history import History as History
from glassgrad.train.tensorboard import TensorBoard as TensorBoard
from glassgrad.train.loop import evaluate as evaluate
from glassgrad.train.loop import fit as fit
from glassgrad.train.loop import predict as predict
from glassgrad.train.metrics import accuracy as accuracy
from glassgrad.train.metrics import top_k_accuracy as top_k_accuracy
from glassgrad.train.model import Model as Model

__all__ = [
    "CSVLogger", "Callback", "EarlyStopping", "History", "LRSchedulerCallback", "LambdaCallback", "Model",
    "ModelCheckpoint", "TensorBoard", "TerminateOnNaN", "accuracy", "evaluate", "fit", "predict", "top_k_accuracy",
]
