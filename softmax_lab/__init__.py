"""softmax-lab: softmax regression (multinomial logistic regression), for teaching.

The core (``core``, ``training``, ``stepper``, ``gradcheck``, ``datasets``,
``slides``, ``checks``) imports numpy only;
``softmax_lab.plotting`` and ``softmax_lab.widgets`` (matplotlib, ipywidgets)
are imported on demand, so ``import softmax_lab`` stays cheap.

Conventions: ``theta`` has shape (n_features + 1, n_classes) with the bias row
first (the slides' matrix); ``X`` holds one sample per row without a column of
ones; labels are 0-based.
"""

from . import datasets
from .core import (
    StepRecord,
    cross_entropy,
    forward_backward,
    gradient,
    log_softmax,
    logit_loss,
    logits,
    loss_and_gradient,
    one_hot,
    predict,
    predict_proba,
    softmax,
)
from .gradcheck import numerical_gradient, relative_error
from .training import DivergenceError, DivergenceWarning, FitHistory, FitResult, fit

__version__ = "0.1.0"

__all__ = [
    "softmax",
    "log_softmax",
    "one_hot",
    "logits",
    "predict_proba",
    "predict",
    "logit_loss",
    "cross_entropy",
    "gradient",
    "loss_and_gradient",
    "forward_backward",
    "StepRecord",
    "numerical_gradient",
    "relative_error",
    "fit",
    "FitResult",
    "FitHistory",
    "DivergenceError",
    "DivergenceWarning",
    "datasets",
]
