"""``watch(model, path)``: record a PyTorch training run as a Gradscope trace (format v2).

One recorded step costs a handful of reductions per layer on the tensors' device, stacked into one
tensor that crosses to the host with one ``.tolist()`` (on CUDA, the step's only synchronization),
plus, once, a second read when a NaN or infinity appeared and has to be located. A background
thread writes the lines.
"""

import atexit
import math
import os
import socket
import sys
import time
import weakref
from datetime import datetime, timezone

import torch

from . import layers as layer_discovery
from . import probes
from .activations import histogram_range
from .histograms import GRADIENT_BINS
from .order import ExecutionOrder
from .steps import step_line
from .writer import LineWriter

STAT_NAMES = ["grad_norm", "grad_rms", "bias_grad_norm", "delta_rms", "act_mean", "act_std", "saturated", "dead",
              "weight_norm", "update_ratio", "non_finite"]

_OPEN = weakref.WeakSet()
_UNCAUGHT = []


def watch(model, path, every=1, histograms_every=50, name=None, optimizer=None, loss_fn=None):
    """Starts recording ``model``'s training to ``path`` and returns the :class:`Watch`.

    ``path`` is a ``.jsonl`` file, or a directory that gets ``<name>.jsonl`` (a timestamp without
    ``name``). Steps count ``Watch.step`` calls from 0; steps 0, every, 2*every, ... are recorded,
    and histograms at the recorded steps that are multiples of ``histograms_every`` (0: never).
    ``optimizer`` adds its name, settings and learning rate; ``loss_fn`` its class name.
    """
    return Watch(model, path, every, histograms_every, name, optimizer, loss_fn)


class Watch:
    """A recording in progress: call :meth:`step` once per optimizer step, then :meth:`close`."""

    def __init__(self, model, path, every=1, histograms_every=50, name=None, optimizer=None, loss_fn=None):
        if int(every) < 1:
            raise ValueError("every must be a whole number of steps from 1; got %r" % (every,))
        self.every = int(every)
        self.histograms_every = int(histograms_every or 0)
        self.name = name
        self.optimizer = optimizer
        self.path = _trace_path(path, name)
        self.layers = layer_discovery.find_layers(model)
        if not self.layers:
            raise ValueError("the model has no Linear, Conv1d/2d/3d, LSTM, GRU or RNN module to watch")
        # Module order's guess: it fixes the activation histograms' range (each line names it).
        self.value_range = histogram_range(layer_discovery.hidden_activation(self.layers))
        self.activation = None  # the header's, once the first recorded step settled the layers
        self.steps = 0            # step() calls so far: the number of the step being trained
        self.active = True        # hooks measure: step 0 is recorded
        self.histograms_due = self._histograms_due(0)
        self.last_layer = None
        self.closed = False
        self._started = None
        self._last_loss = float("nan")
        self._previous_weight_squares = [float("nan")] * len(self.layers)
        self._non_finite_sent = False
        # The header waits for the first recorded step: only the forward pass tells which activation
        # module follows each layer (order.ExecutionOrder).
        self._header_of = (model, optimizer, loss_fn)
        self._writer = LineWriter(self.path, None)
        self.order = None
        self._probes = [probes.LayerProbe(self, layer, self.value_range) for layer in self.layers]
        self.order = ExecutionOrder(model, self._probes)
        _OPEN.add(self)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close()
        elif issubclass(kind, KeyboardInterrupt):
            self.close("interrupted", "interrupted (Ctrl-C)")
        else:
            self.close("failed", "%s: %s" % (kind.__name__, error))
        return False

    def step(self, loss, scale=None):
        """Ends a training step: records it when it is due (every ``every`` calls, from 0).

        Call it after ``loss.backward()``, before or after ``optimizer.step()``. ``scale`` is a
        GradScaler's ``get_scale()``: gradients are divided by it.
        """
        if self.closed:
            raise RuntimeError("this watch is closed: %s" % self.path)
        number = self.steps
        if number % self.every == 0:
            self._record(number, loss, 1.0 if scale is None else float(scale))
        self.steps += 1
        self.active = self.steps % self.every == 0
        self.histograms_due = self.active and self._histograms_due(self.steps)
        for probe in self._probes:
            probe.reset()
        self.last_layer = None

    def close(self, status="completed", error=None):
        """Writes the ``end`` line and closes the file; later calls do nothing."""
        if self.closed:
            return
        self.closed = True
        _OPEN.discard(self)
        self._settle_layers()
        for probe in self._probes:
            probe.remove()
        self._writer.put({
            "type": "end", "status": status, "steps": None, "ended": _now(),
            "loss": self._last_loss, "train_accuracy": None, "test_accuracy": None, "error": error,
        })
        self._writer.close()
        if self._writer.error is not None:
            raise OSError("cannot write the trace %s: %s" % (self.path, self._writer.error))

    def _settle_layers(self):
        # Once: each layer's activation from the forward pass seen so far, then the header.
        if self.order is None:
            return
        self.order.finish()
        self.order = None
        self.activation = layer_discovery.hidden_activation(self.layers)
        self._writer.put(_header(self, *self._header_of))
        self._header_of = None

    def _histograms_due(self, number):
        return self.histograms_every > 0 and number % self.histograms_every == 0

    @torch.no_grad()
    def _record(self, number, loss, scale):
        now = time.monotonic()
        if self._started is None:
            self._started = now
        self._settle_layers()
        stats = torch.stack([probe.measurements().to(self._device) for probe in self._probes])
        parts = [stats.reshape(-1), _loss_tensor(loss, self._device)]
        histograms = self._histogram_tensors(scale) if self.histograms_due else []
        parts.extend(h for _, _, h in histograms)
        values = torch.cat(parts).tolist()  # the step's one device-to-host transfer
        count = stats.numel()
        raw = [values[i * probes.SLOTS:(i + 1) * probes.SLOTS] for i in range(len(self._probes))]
        loss_value = values[count]
        line = step_line(self, number, loss_value, raw, scale, now - self._started)
        self._writer.put(line)
        self._put_histograms(number, histograms, values[count + 1:])
        self._last_loss = loss_value
        if not self._non_finite_sent and (not math.isfinite(loss_value) or any(v for v in line["non_finite"])):
            self._non_finite_sent = True
            self._writer.put(_locate_non_finite(self, number, loss_value, raw, line["non_finite"]))

    @property
    def _device(self):
        return self.layers[0].weights[0].device

    def _histogram_tensors(self, scale):
        result = []
        for probe in self._probes:
            gradient = probe.gradient_histogram(scale)
            if gradient is not None:
                result.append((probe.layer, "gradient", gradient.to(self._device)))
            if probe.activation_histogram is not None:
                result.append((probe.layer, "activation", probe.activation_histogram.to(self._device)))
        return result

    def _put_histograms(self, number, histograms, values):
        low, high = self.value_range
        at = 0
        for layer, kind, tensor in histograms:
            counts = [int(c) for c in values[at:at + tensor.numel()]]
            at += tensor.numel()
            line = {"type": "histogram", "step": number, "layer": layer.number, "name": layer.name, "kind": kind}
            if kind == "gradient":
                line["min_decade"] = -300
                line["bins"] = "decades [10^k, 10^(k+1)) from min_decade, then exact zeros, then NaN/infinity"
                assert len(counts) == GRADIENT_BINS
            else:
                line["low"], line["high"] = low, high
                line["bins"] = "underflow, equal bins over [low, high], overflow"
            line["counts"] = counts
            self._writer.put(line)


def _locate_non_finite(watch, number, loss, raw, non_finite):
    # Gradscope's order (GradientMonitor.LocateNonFinite): outputs in forward order, then the
    # loss, then the gradients from the last layer back.
    where, index = None, None
    for i, values in enumerate(raw):
        if values[probes.OUTPUT_NON_FINITE] > 0 or values[probes.ACT_NON_FINITE] > 0:
            where, index = "activation", i
            break
    if where is None and not math.isfinite(loss):
        where, index = "loss", len(raw) - 1
    if where is None:
        for i in reversed(range(len(raw))):
            if non_finite[i]:
                where, index = "gradient", i
                break
    layer = watch.layers[index if index is not None else len(raw) - 1]
    return {"type": "non_finite", "step": number, "layer": layer.number, "name": layer.name, "where": where or "gradient"}


def _loss_tensor(loss, device):
    if isinstance(loss, torch.Tensor):
        return loss.detach().reshape(-1)[:1].to(device=device, dtype=torch.float64)
    return torch.tensor([float("nan") if loss is None else float(loss)], dtype=torch.float64, device=device)


def _trace_path(path, name):
    path = os.fspath(path)
    if os.path.isdir(path) or path.endswith(os.sep) or path.endswith("/"):
        os.makedirs(path, exist_ok=True)
        stem = name or datetime.now().strftime("%Y%m%d-%H%M%S")
        candidate = os.path.join(path, stem + ".jsonl")
        suffix = 2
        while name is None and os.path.exists(candidate):
            candidate = os.path.join(path, "%s-%d.jsonl" % (stem, suffix))
            suffix += 1
        return candidate
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    return path


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _header(watch, model, optimizer, loss_fn):
    return {
        "type": "header", "format": "gradscope-trace", "version": 2, "id": None, "name": watch.name,
        "kind": "torch", "tags": [], "parent_id": None, "started": _now(), "gradscope_version": None,
        "host": socket.gethostname(), "spec": None, "data": None, "activation": watch.activation,
        "layers": [layer.header() for layer in watch.layers], "stats": STAT_NAMES,
        "framework": {"name": "pytorch", "version": torch.__version__},
        "optimizer": _optimizer(optimizer),
        "loss_function": type(loss_fn).__name__ if loss_fn is not None else None,
    }


def _optimizer(optimizer):
    if optimizer is None:
        return None
    group = optimizer.param_groups[0]
    settings = {}
    for key, value in group.items():
        if key in ("params", "lr") or isinstance(value, bool):
            continue
        if key == "betas" and isinstance(value, (tuple, list)) and len(value) == 2:
            settings["beta1"], settings["beta2"] = float(value[0]), float(value[1])
        elif isinstance(value, (int, float)):
            settings[key] = float(value)
    lr = group.get("lr")
    return {"name": type(optimizer).__name__, "learning_rate": float(lr) if isinstance(lr, (int, float)) else None,
            "settings": settings}


# A program that ends without close() (an uncaught exception, Ctrl-C outside a with block, or
# simply the end of the script) still leaves a complete trace with its end line.
def _excepthook(kind, error, traceback):
    _UNCAUGHT.append((kind, error))
    _previous_excepthook(kind, error, traceback)


def _close_open_watches():
    status, message = "completed", None
    if _UNCAUGHT:
        kind, error = _UNCAUGHT[-1]
        if issubclass(kind, KeyboardInterrupt):
            status, message = "interrupted", "interrupted (Ctrl-C)"
        else:
            status, message = "failed", "%s: %s" % (kind.__name__, error)
    for open_watch in list(_OPEN):
        try:
            open_watch.close(status, message)
        except OSError as error:
            print("gradscope_torch: %s" % error, file=sys.stderr)


_previous_excepthook = sys.excepthook
sys.excepthook = _excepthook
atexit.register(_close_open_watches)
