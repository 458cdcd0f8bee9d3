"""Which modules of a model are Gradscope layers, and what follows each one in module order.

Module order is only a first guess, kept for layers that never run: the order the forward pass
runs modules in settles each layer's activation (:mod:`order`).

Layers are the ``Linear``, ``Conv1d/2d/3d``, ``LSTM``, ``GRU`` and ``RNN`` leaf modules in module
order (``model.named_modules()``), numbered from 1, named by their module path (``net.0``). A
layer's activation is the first activation module after it, skipping modules that are neither
(dropout, normalization, pooling), as Gradscope's own monitor does; a layer followed by another
layer inside the same ``nn.Sequential``, or by nothing at all (the head), has the identity. Any
other layer applies its activation in ``forward`` as a function the hooks cannot see: "unknown".
"""

import math

import torch
from torch import nn

from . import activations

_KINDS = (
    (nn.Linear, "dense"),
    (nn.Conv1d, "conv"),
    (nn.Conv2d, "conv"),
    (nn.Conv3d, "conv"),
    (nn.LSTM, "lstm"),
    (nn.GRU, "gru"),
    (nn.RNN, "rnn"),
)

RECURRENT = ("lstm", "gru", "rnn")


def layer_kind(module):
    for cls, kind in _KINDS:
        if isinstance(module, cls):
            return kind
    return None


class Layer:
    """One watched layer: its identity in the trace and the tensors its statistics read."""

    def __init__(self, number, name, module, kind, activation, activation_module, activation_path):
        self.number = number
        self.name = name
        self.module = module
        self.kind = kind
        self.activation = activation
        self.activation_module = activation_module
        self.activation_path = activation_path
        params = dict(module.named_parameters(recurse=False))
        if kind in RECURRENT:
            self.weights = [p for n, p in params.items() if n.startswith("weight")]
            self.biases = [p for n, p in params.items() if n.startswith("bias")]
            # Gradscope's weight_norm of a recurrent layer is its recurrent matrix's (RecurrentProbe).
            self.norm_weights = [p for n, p in params.items() if n.startswith("weight_hh")]
            self.inputs = module.input_size
            self.units = module.hidden_size * (2 if module.bidirectional else 1)
        else:
            self.weights = [module.weight]
            self.biases = [module.bias] if module.bias is not None else []
            self.norm_weights = self.weights
            self.inputs = module.in_features if kind == "dense" else module.in_channels
            self.units = module.out_features if kind == "dense" else module.out_channels
        self.weight_count = sum(p.numel() for p in self.weights)
        # The unit axis of the output: channels for a convolution, features otherwise.
        self.unit_dim = 1 if kind == "conv" else -1

    def header(self):
        return {
            "layer": self.number,
            "name": self.name,
            "kind": self.kind,
            "activation": self.activation,
            "inputs": self.inputs,
            "units": self.units,
            "module_kind": type(self.module).__name__,
            "activation_module": self.activation_path,
            "init": init_statistics(self),
        }


def find_layers(model):
    """The model's layers in module order."""
    leaves = [(path, m) for path, m in model.named_modules() if next(m.children(), None) is None]
    parents = {id(child): parent for _, parent in model.named_modules() for child in parent.children()}
    layers = []
    for i, (path, module) in enumerate(leaves):
        kind = layer_kind(module)
        if kind is None:
            continue
        if kind in RECURRENT:
            nonlinearity = getattr(module, "nonlinearity", "tanh")
            activation, act_module, act_path = nonlinearity, None, None
        else:
            activation, act_module, act_path = _following_activation(leaves, i, parents)
        layers.append(Layer(len(layers) + 1, path, module, kind, activation, act_module, act_path))
    return layers


def _following_activation(leaves, index, parents):
    module = leaves[index][1]
    for path, candidate in leaves[index + 1:]:
        name = activations.activation_name(candidate)
        if name is not None:
            return name, candidate, path
        if layer_kind(candidate) is not None:
            same_sequential = parents.get(id(candidate)) is parents.get(id(module))
            in_sequential = isinstance(parents.get(id(module)), nn.Sequential)
            return ("identity" if same_sequential and in_sequential else "unknown"), None, None
    return "identity", None, None


def hidden_activation(layers):
    """The header's activation: the last layer's activation that is known and not the identity.

    With none, "unknown" when some layer applies its activation as a function (the hooks cannot
    tell which), "identity" only when every layer really has none (a linear model).
    """
    for layer in reversed(layers):
        if layer.activation not in ("identity", "unknown"):
            return layer.activation
    return "unknown" if any(layer.activation == "unknown" for layer in layers) else "identity"


@torch.no_grad()
def init_statistics(layer):
    """Weight and bias statistics when recording began (one small read per layer, at watch time)."""
    weights = torch.cat([p.detach().reshape(-1).double() for p in layer.weights])
    first = layer.weights[0]
    receptive = first[0][0].numel() if first.dim() > 2 else 1
    fan_in, fan_out = first.shape[1] * receptive, first.shape[0] * receptive
    std = _std(weights)
    stats = {
        "weight_mean": _finite(weights.mean().item()),
        "weight_std": std,
        "fan_in": fan_in,
        "fan_out": fan_out,
        "gain": None if std is None else std * math.sqrt(fan_in),
        "bias_mean": None,
        "bias_std": None,
    }
    if layer.biases:
        biases = torch.cat([p.detach().reshape(-1).double() for p in layer.biases])
        stats["bias_mean"] = _finite(biases.mean().item())
        stats["bias_std"] = _std(biases)
    return stats


def _std(values):
    # Population standard deviation, as Gradscope's act_std.
    return _finite(values.std(unbiased=False).item()) if values.numel() else None


def _finite(value):
    return value if math.isfinite(value) else None
