"""Each layer's following activation, from the order modules run in the first recorded forward pass.

The order modules are registered in says nothing about the order ``forward`` calls them: a model
may declare its output ``Linear`` before the ``nn.Tanh()`` its hidden layers use. So until the
first recorded step ends, hooks on every leaf module follow the layers' outputs: a layer's
activation is the activation module that runs next, on the layer's output (through dropout,
normalization, pooling or flattening modules that ran on it), before any other layer. A layer whose
output the next layer takes directly has the identity, as has the last layer to run (the head); a
layer whose output reached the next layer some other way (a function the hooks cannot see) has
"unknown". Layers that did not run keep what module order says (:func:`layers.find_layers`).
"""

import torch

from . import activations
from .layers import RECURRENT, layer_kind


class ExecutionOrder:
    """Follows one training forward pass and settles each layer's activation module."""

    def __init__(self, model, probes):
        self.paths = {id(module): path for path, module in model.named_modules()}
        self.undecided = {}
        for probe in probes:
            if probe.layer.kind in RECURRENT:
                probe.settle()  # its activation is its own nonlinearity
            else:
                probe.discovering = True
                self.undecided[id(probe)] = probe
        self.current = None   # the last layer to run: (probe, tensors that carry its output on)
        self.handles = []
        for _, module in model.named_modules():
            if next(module.children(), None) is None and layer_kind(module) is None:
                self.handles.append(module.register_forward_hook(self._on_module))

    def on_layer(self, probe, inputs, output):
        """A layer ran: the layer before it is decided by whether this one took its output."""
        if self.current is not None:
            previous, chain = self.current
            self._decide(previous, "identity" if _takes(inputs, chain) else "unknown", None, None)
        self.current = (probe, [output])

    def finish(self):
        """The first recorded step ended: the last layer to run is the head, the others are settled."""
        if self.current is not None:
            self._decide(self.current[0], "identity", None, None)
        for probe in list(self.undecided.values()):
            self._settle(probe)  # did not run: module order stands
        for handle in self.handles:
            handle.remove()
        self.handles = []
        self.current = None

    def _on_module(self, module, inputs, output):
        probe = self.current[0] if self.current is not None else None
        if probe is None or id(probe) not in self.undecided or not probe.recorder.active or not torch.is_grad_enabled():
            return
        chain = self.current[1]
        if not _takes(inputs, chain):
            return
        name = activations.activation_name(module)
        if name is None:
            chain.append(output)  # dropout, normalization, pooling, flatten: the output goes on
            return
        self._decide(probe, name, module, self.paths.get(id(module)))
        probe.on_activation(module, inputs, output)

    def _decide(self, probe, activation, module, path):
        if self.undecided.pop(id(probe), None) is None:
            return
        layer = probe.layer
        layer.activation, layer.activation_module, layer.activation_path = activation, module, path
        self._settle(probe)

    def _settle(self, probe):
        self.undecided.pop(id(probe), None)
        probe.settle()


def _takes(inputs, chain):
    return any(x is t for x in inputs for t in chain)
