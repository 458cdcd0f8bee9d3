"""Per-layer hooks: what one recorded step's forward and backward passes leave behind.

Hooks do work only while their recorder says the step is recorded and autograd is on (an
evaluation pass under ``torch.no_grad()`` is not the training step). Each hook reduces the tensor
it sees to a few scalars on the tensor's device at once and keeps those, never the tensor, so no
activation outlives the step. With gradient accumulation the forward and backward passes since
the last ``step()`` all count, as the weight gradient sums over them.
"""

import torch

from . import activations, histograms

# Slots of the per-call activation vector.
_ACT_SUM, _ACT_SQUARES, _ACT_SATURATED, _ACT_NON_FINITE = range(4)
_ROW_NORMS_FROM = 4096


def sum_of_squares(tensor):
    """Sum of squares as a float64 scalar tensor, close to exact and cheap for big float32 tensors.

    A float32 matrix is reduced row by row in float32 (each row's error stays near float32's
    rounding) and the row norms are summed in float64: a fifth of the time of a float64 copy,
    within about 1e-7 relative of the float64 sum. Everything else is summed in float64.
    """
    t = tensor.detach()
    if t.dtype == torch.float32 and t.dim() >= 2 and t.shape[0] > 1 and t.numel() >= _ROW_NORMS_FROM:
        return torch.linalg.vector_norm(t.reshape(t.shape[0], -1), dim=1).double().pow(2).sum()
    return exact_sum_of_squares(t)


def exact_sum_of_squares(tensor):
    """Sum of squares in float64 throughout (the float32 row norms overflow above about 1e19)."""
    flat = tensor.detach().reshape(-1)
    if flat.dtype != torch.float64:
        flat = flat.double()
    return torch.dot(flat, flat)


def count_non_finite(tensor):
    # x - x is 0 for a finite x and NaN for NaN or infinity: two cheap ops instead of isfinite's six.
    t = tensor.detach()
    return torch.count_nonzero(t - t)


class LayerProbe:
    """Hooks on one layer (and its activation module) and what they measured this step."""

    def __init__(self, recorder, layer, histogram_range):
        self.recorder = recorder
        self.layer = layer
        self.histogram_range = histogram_range
        self.previous_weights = None
        self.handles = [layer.module.register_forward_hook(self._on_layer_output)]
        # Until the first recorded step settles the layer's activation (order.ExecutionOrder), its
        # outputs wait here: they are its activation's statistics if it turns out to be the identity.
        self.discovering = False
        self.pending = []
        self.reset()

    def settle(self):
        """The layer's activation is known: measure it from now on (and this step's waiting outputs)."""
        self.discovering = False
        layer = self.layer
        if layer.activation_module is not None:
            self.handles.append(layer.activation_module.register_forward_hook(self._on_activation))
        elif layer.activation != "unknown":
            for out in self.pending:
                self._add_activation(out, None)
        self.pending = []

    def reset(self):
        self.deltas = []          # sum of squares of dLoss/d(output), one per backward
        self.delta_count = 0
        self.output_non_finite = []
        self.activation = []      # [sum, squares, saturated, non-finite] per forward
        self.activation_count = 0
        self.alive = None         # per unit: some sample was not saturated
        self.activation_histogram = None

    def remove(self):
        for handle in self.handles:
            handle.remove()
        self.handles = []

    # The layer's forward: its output (a recurrent layer's output sequence) and a hook for its gradient.
    def _on_layer_output(self, module, inputs, output):
        if not self.recorder.active or not torch.is_grad_enabled():
            return
        out = output[0] if isinstance(output, tuple) else output
        self.recorder.last_layer = self
        if self.recorder.order is not None:
            self.recorder.order.on_layer(self, inputs, out)
        self.output_non_finite.append(count_non_finite(out))
        if out.requires_grad:
            out.register_hook(self._on_output_gradient)
        layer = self.layer
        if self.discovering:
            self.pending.append(out.detach())
        elif layer.activation_module is None and layer.activation != "unknown":
            saturated = None
            if layer.kind == "rnn" and layer.activation == "tanh":
                saturated = out.detach().abs() > 0.99  # RecurrentProbe's test for a tanh RNN
            self._add_activation(out, saturated)

    def _on_output_gradient(self, gradient):
        self.deltas.append(sum_of_squares(gradient))
        self.delta_count += gradient.numel()

    def _on_activation(self, module, inputs, output):
        if not self.recorder.active or not torch.is_grad_enabled():
            return
        # A module used after several layers (self.act after each one) is measured for the last to run.
        if self.recorder.last_layer is not self:
            return
        self.on_activation(module, inputs, output)

    def on_activation(self, module, inputs, output):
        """Measures the layer's activation module's output."""
        x = inputs[0].detach() if inputs else output.detach()
        y = output.detach()
        self._add_activation(y, activations.saturated_mask(module, x, y))

    def _add_activation(self, y, saturated):
        y = y.detach()
        total = y.sum(dtype=torch.float64)
        sat = saturated.sum(dtype=torch.float64) if saturated is not None else torch.zeros_like(total)
        self.activation.append(torch.stack([total, sum_of_squares(y), sat, count_non_finite(y).double()]))
        self.activation_count += y.numel()
        if saturated is not None and self.layer.activation_module is not None and y.dim() > 0:
            # Per unit, how many of its values were saturated: alive when fewer than all of them.
            unit_dim = self.layer.unit_dim % y.dim()
            per_unit = saturated.sum(dim=[d for d in range(y.dim()) if d != unit_dim]) if y.dim() > 1 else saturated.long()
            alive = per_unit < y.numel() // max(1, y.shape[unit_dim])
            self.alive = alive if self.alive is None else (self.alive | alive)
        if self.recorder.histograms_due:
            low, high = self.histogram_range
            counts = histograms.activation_counts(y, low, high)
            prior = self.activation_histogram
            self.activation_histogram = counts if prior is None else prior + counts

    def measurements(self):
        """This step's raw sums as one float64 vector of SLOTS on the layer's device."""
        layer = self.layer
        device = layer.weights[0].device
        zero = torch.zeros((), dtype=torch.float64, device=device)
        grad_squares = _total([sum_of_squares(p.grad) for p in layer.weights if p.grad is not None], zero)
        bias_squares = _total([sum_of_squares(p.grad) for p in layer.biases if p.grad is not None], zero)
        delta = _total(self.deltas, zero)
        act = torch.stack(self.activation).sum(dim=0) if self.activation else torch.zeros(4, dtype=torch.float64, device=device)
        dead = (~self.alive).sum().double() if self.alive is not None else zero
        out_non_finite = _total(self.output_non_finite, zero).double()
        weight_squares, distance = self._weights()
        return torch.stack([grad_squares, bias_squares, delta, act[_ACT_SUM], act[_ACT_SQUARES], act[_ACT_SATURATED],
                            act[_ACT_NON_FINITE], dead, out_non_finite, weight_squares, distance])

    @torch.no_grad()
    def _weights(self):
        # Weights now, and their distance from the previous recorded step's copy (kept on the
        # device); the copy's norm is the previous step's weight_norm, which the recorder kept.
        current = [p.detach() for p in self.layer.norm_weights]
        squares = _total([sum_of_squares(w) for w in current], None)
        previous = self.previous_weights
        if previous is None:
            distance = torch.full((), float("nan"), dtype=torch.float64, device=squares.device)
            self.previous_weights = [w.clone() for w in current]
        else:
            distance = _total([sum_of_squares(w - p) for w, p in zip(current, previous)], None)
            for w, p in zip(current, previous):
                p.copy_(w)
        return squares, distance

    def exact_squares(self):
        """Weight-gradient and weight sums of squares in float64 (a second read: only after an overflow)."""
        grads = sum(exact_sum_of_squares(p.grad).item() for p in self.layer.weights if p.grad is not None)
        return grads, sum(exact_sum_of_squares(p).item() for p in self.layer.norm_weights)

    def gradient_histogram(self, scale):
        grads = [p.grad for p in self.layer.weights if p.grad is not None]
        if not grads:
            return None
        return histograms.gradient_counts(grads, scale)


# Slots of LayerProbe.measurements.
(GRAD_SQUARES, BIAS_SQUARES, DELTA_SQUARES, ACT_SUM, ACT_SQUARES, ACT_SATURATED, ACT_NON_FINITE, DEAD_UNITS,
 OUTPUT_NON_FINITE, WEIGHT_SQUARES, UPDATE_SQUARES) = range(11)
SLOTS = 11


def _total(values, zero):
    if not values:
        return zero
    if len(values) == 1:
        return values[0]
    return torch.stack(values).sum()
