"""Activation modules in Gradscope's vocabulary, and its saturation test.

Gradscope counts a (sample, unit) pair as saturated when the activation's derivative there is
below 1% of the derivative's maximum (src/Gradscope/Activations/Activation.cs); a unit saturated
for every sample of the batch is dead. The derivatives below are Gradscope's, written from the
module's output where they can be, so an in-place module (``ReLU(inplace=True)``, whose input the
hook sees already overwritten) is measured right too.
"""

import math

import torch
from torch import nn

SATURATION_FRACTION = 0.01

_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717

# Module class -> (Gradscope name, supremum of |phi'|).
_NAMES = {
    nn.Identity: ("identity", 1.0),
    nn.Sigmoid: ("sigmoid", 0.25),
    nn.Tanh: ("tanh", 1.0),
    nn.Hardtanh: ("hard-tanh", 1.0),
    nn.Softsign: ("softsign", 1.0),
    nn.ReLU: ("relu", 1.0),
    nn.LeakyReLU: ("leaky-relu", 1.0),
    nn.ELU: ("elu", 1.0),
    nn.SELU: ("selu", _SELU_SCALE * _SELU_ALPHA),
    nn.GELU: ("gelu", 1.1289041451469775),
    nn.SiLU: ("silu", 1.0998393200453496),
    nn.Softplus: ("softplus", 1.0),
}

_MAX_DERIVATIVE = {name: maximum for name, maximum in _NAMES.values()}


def activation_name(module):
    """Gradscope's name for an activation module, or None when the module is not one."""
    for cls, (name, _) in _NAMES.items():
        if isinstance(module, cls):  # ReLU6, a Hardtanh with bounds 0 and 6, is hard-tanh
            return name
    return None


def is_activation(module):
    return activation_name(module) is not None


def histogram_range(name):
    """The (low, high) range of activation histograms (Histograms.ActivationRange)."""
    if name == "sigmoid":
        return 0.0, 1.0
    if name in ("tanh", "hard-tanh", "softsign"):
        return -1.0, 1.0
    return -5.0, 5.0


def saturated_mask(module, x, y):
    """Boolean tensor: where phi'(x) < 1% of its maximum, Gradscope's saturation test."""
    name = activation_name(module)
    if name == "relu":
        return ~(y > 0)  # the derivative is 0 or 1: one comparison says it
    max_derivative = _MAX_DERIVATIVE.get(name, 1.0)
    threshold = SATURATION_FRACTION * max_derivative
    derivative = _derivative(module, name, x, y)
    if derivative is None:
        return torch.zeros_like(y, dtype=torch.bool)
    return derivative < threshold


def _derivative(module, name, x, y):
    if name == "sigmoid":
        return y * (1 - y)
    if name == "tanh":
        return 1 - y * y
    if name == "softsign":
        return (1 - y.abs()) ** 2  # 1 / (1 + |x|)^2 with |x| = |y| / (1 - |y|)
    if name == "relu":
        return (y > 0).to(y.dtype)
    if name == "leaky-relu":
        return torch.where(y > 0, torch.ones_like(y), torch.full_like(y, module.negative_slope))
    if name == "hard-tanh":
        inside = (y > module.min_val) & (y < module.max_val)
        return inside.to(y.dtype)
    if name == "elu":
        return torch.where(y > 0, torch.ones_like(y), y + module.alpha)
    if name == "selu":
        return torch.where(y > 0, torch.full_like(y, _SELU_SCALE), y + _SELU_SCALE * _SELU_ALPHA)
    if name == "gelu":
        normal_pdf = torch.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return 0.5 * torch.erfc(-x / math.sqrt(2)) + x * normal_pdf
    if name == "silu":
        s = torch.sigmoid(x)
        return s * (1 + x * (1 - s))
    if name == "softplus":
        return torch.sigmoid(module.beta * x)
    return None  # identity: never saturated
