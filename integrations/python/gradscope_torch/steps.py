"""A step line from the raw per-layer sums: Gradscope's statistics, meaning what its monitor means.

grad_norm / grad_rms: L2 norm and RMS of dLoss/dW (a recurrent layer: all its weight matrices);
bias_grad_norm: L2 norm of dLoss/db; delta_rms: RMS of dLoss/d(layer output), the gradient
reaching the layer's output; act_mean / act_std / saturated / dead: the output of the following
activation module (the layer's own output for the identity head and recurrent layers; null when
the activation is a function the hooks cannot see); weight_norm: L2 norm of W (a recurrent
layer's recurrent matrices); update_ratio: ||W - W_prev|| / ||W_prev|| against the previous
recorded step; non_finite: NaN and infinity among dLoss/dW and the layer's output. Gradients are
divided by the GradScaler ``scale``.
"""

import math

from . import probes

NAN = float("nan")


def step_line(watch, number, loss, raw, scale, wall_seconds):
    stats = {name: [] for name in ("grad_norm", "grad_rms", "bias_grad_norm", "delta_rms", "act_mean", "act_std",
                                   "saturated", "dead", "weight_norm", "update_ratio", "non_finite")}
    for i, (probe, values) in enumerate(zip(watch._probes, raw)):
        layer = probe.layer
        if math.isinf(values[probes.GRAD_SQUARES]) or math.isinf(values[probes.WEIGHT_SQUARES]):
            values[probes.GRAD_SQUARES], values[probes.WEIGHT_SQUARES] = probe.exact_squares()
        grad_squares = values[probes.GRAD_SQUARES]
        stats["grad_norm"].append(_sqrt(grad_squares) / scale)
        stats["grad_rms"].append(_sqrt(grad_squares / max(1, layer.weight_count)) / scale)
        stats["bias_grad_norm"].append(_sqrt(values[probes.BIAS_SQUARES]) / scale)
        count = probe.delta_count
        stats["delta_rms"].append(_sqrt(values[probes.DELTA_SQUARES] / count) / scale if count else 0.0)
        _activation(stats, probe, values)
        weight_squares = values[probes.WEIGHT_SQUARES]
        stats["weight_norm"].append(_sqrt(weight_squares))
        before = watch._previous_weight_squares[i]
        ratio = _sqrt(values[probes.UPDATE_SQUARES]) / _sqrt(before) if before > 0 else NAN
        stats["update_ratio"].append(ratio)
        watch._previous_weight_squares[i] = weight_squares
        stats["non_finite"].append(float(_gradient_non_finite(layer, grad_squares) + _output_non_finite(probe, values)))
    learning_rate = NAN
    if watch.optimizer is not None:
        lr = watch.optimizer.param_groups[0].get("lr")
        learning_rate = float(lr) if isinstance(lr, (int, float)) else NAN
    line = {"type": "step", "step": number, "loss": loss, "learning_rate": learning_rate, "wall_seconds": wall_seconds}
    line.update(stats)
    return line


def _activation(stats, probe, values):
    n = probe.activation_count
    if n == 0:
        for name in ("act_mean", "act_std", "saturated", "dead"):
            stats[name].append(NAN)
        return
    mean = values[probes.ACT_SUM] / n
    stats["act_mean"].append(mean)
    variance = values[probes.ACT_SQUARES] / n - mean * mean
    stats["act_std"].append(_sqrt(0.0 if variance < 0 else variance))  # NaN stays NaN, as in C#'s Math.Max
    stats["saturated"].append(values[probes.ACT_SATURATED] / n)
    units = probe.alive.numel() if probe.alive is not None else 0
    stats["dead"].append(values[probes.DEAD_UNITS] / units if units else 0.0)


def _output_non_finite(probe, values):
    # Gradscope counts the activation's output when the layer has one, else the layer's own.
    if probe.layer.activation_module is not None and probe.activation_count:
        return int(values[probes.ACT_NON_FINITE])
    return int(values[probes.OUTPUT_NON_FINITE])


def _gradient_non_finite(layer, grad_squares):
    # A finite sum of squares settles it without a pass; only a non-finite one (or an overflow)
    # is counted value by value: a second read, on the rare step that needs it.
    if math.isfinite(grad_squares):
        return 0
    return sum(int((~p.grad.isfinite()).sum()) for p in layer.weights if p.grad is not None)


def _sqrt(value):
    if value != value or value < 0:
        return NAN
    return math.sqrt(value) if value != math.inf else math.inf
