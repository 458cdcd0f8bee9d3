#!/usr/bin/python3
"""Recurrent layers from PyTorch: does `gradscope inspect` give every tensor PyTorch's gradient?

Builds many-to-one models in PyTorch, `rnn = nn.RNN(tanh) | nn.RNN(relu) | nn.LSTM | nn.GRU(F, H,
batch_first=True)` (one layer) and `head = nn.Linear(H, C)` reading the last step's output;
many-to-many ones whose head reads every step (labels y [N, T], the loss the mean cross-entropy
over every step); and stacked ones (`rnn1` with every step's output feeding `rnn2`), with
float32-representable random weights (biases included, so every gate's bias matters). Each state
dict is written as safetensors (here, without the safetensors package) beside a model spec naming
the modules, and a batch x [N, T, F] (float32), y [N] (int64) as .npz with numpy.savez; then one
forward and backward pass of the mean softmax cross-entropy runs in PyTorch and in
`gradscope inspect --json --grad-out FILE`, in float64 and in float32, at a short (T = 7) and a
long (T = 40) length. It compares the loss, every tensor's gradient norm (the JSON) and every
gradient element (the --grad-out file, read back here).

Tolerances: float64 1e-10 relative (loss and norms), elements 1e-10 of the tensor's largest
gradient; float32 1e-4 relative, elements 1e-4 of the tensor's largest gradient (float32 sums in
another order differ by a few ulps, and 40 steps of backpropagation through time add them up).

Prints one line per case and dtype with the largest differences, and exits 1 when any disagrees.
Run with Debian's python3-torch: /usr/bin/python3 bench/peers/torch_recurrent.py --gradscope PATH [--work DIR]
This is not part of the unit tests.
"""
import copy
import json
import os
import subprocess

import numpy
import torch
import torch.nn.functional as F
from torch import nn

from crosscheck import relative
from torch_layouts import arguments, write_state_dict

TOLERANCE = {"float64": 1e-10, "float32": 1e-4}
FEATURES, HIDDEN, CLASSES, ROWS = 3, 5, 3, 16
LENGTHS = (7, 40)


class Single(nn.Module):
    """A recurrent layer, then a linear head reading its last step (logits [N, C]) or every step ([N, T, C])."""

    def __init__(self, rnn, per_step):
        super().__init__()
        self.rnn = rnn
        self.head = nn.Linear(HIDDEN, CLASSES)
        self.per_step = per_step

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.head(output if self.per_step else output[:, -1])


class Stacked(nn.Module):
    """rnn1 (every step) -> rnn2 -> head, reading rnn2's last step or every step."""

    def __init__(self, first, second, per_step):
        super().__init__()
        self.rnn1, self.rnn2 = first, second
        self.head = nn.Linear(HIDDEN, CLASSES)
        self.per_step = per_step

    def forward(self, x):
        hidden, _ = self.rnn1(x)
        output, _ = self.rnn2(hidden)
        return self.head(output if self.per_step else output[:, -1])


def cell(kind, inputs):
    """A one-layer PyTorch recurrent module and its model-spec layer (without module and sequence)."""
    if kind == "rnn-tanh":
        return nn.RNN(inputs, HIDDEN, batch_first=True, nonlinearity="tanh"), {"type": "rnn", "activation": "tanh"}
    if kind == "rnn-relu":
        return nn.RNN(inputs, HIDDEN, batch_first=True, nonlinearity="relu"), {"type": "rnn", "activation": "relu"}
    if kind == "lstm":
        return nn.LSTM(inputs, HIDDEN, batch_first=True), {"type": "lstm"}
    return nn.GRU(inputs, HIDDEN, batch_first=True), {"type": "gru"}


def single(kind, per_step):
    rnn, layer = cell(kind, FEATURES)
    model = Single(rnn, per_step)
    return model, [{**layer, "module": "rnn", "hidden": HIDDEN, "sequence": "all" if per_step else "last"}], per_step


def stacked(first_kind, second_kind, per_step):
    first, first_layer = cell(first_kind, FEATURES)
    second, second_layer = cell(second_kind, HIDDEN)
    layers = [{**first_layer, "module": "rnn1", "hidden": HIDDEN, "sequence": "all"},
              {**second_layer, "module": "rnn2", "hidden": HIDDEN, "sequence": "all" if per_step else "last"}]
    return Stacked(first, second, per_step), layers, per_step


def cases():
    """name -> (model, its model-spec layers, whether every step is labelled)."""
    return {
        "rnn-tanh": single("rnn-tanh", False),
        "rnn-relu": single("rnn-relu", False),
        "lstm": single("lstm", False),
        "gru": single("gru", False),
        "rnn-tanh-all": single("rnn-tanh", True),
        "lstm-all": single("lstm", True),
        "gru-all": single("gru", True),
        "lstm-gru": stacked("lstm", "gru", False),
        "gru-rnn-all": stacked("gru", "rnn-tanh", True),
    }


def randomize(model, seed, scale):
    """Float32-representable weights; `scale` keeps a 40-step relu RNN from overflowing."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for tensor in model.state_dict().values():
            tensor.copy_(scale * torch.randn(tensor.shape, generator=generator) / HIDDEN ** 0.5)


def pytorch_pass(model, x, y, dtype):
    """Loss and {tensor name: gradient as float64 numpy} of one pass."""
    model = copy.deepcopy(model).to(dtype)
    logits = model(torch.from_numpy(x).to(dtype))
    loss = F.cross_entropy(logits.reshape(-1, CLASSES), torch.from_numpy(y).reshape(-1))
    loss.backward()
    return float(loss), {name: p.grad.detach().double().numpy() for name, p in model.named_parameters()}


def read_safetensors(path):
    """{name: float64 numpy array} of a safetensors file of F32 or F64 tensors."""
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
        body = f.read()
    arrays = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = {"F32": "<f4", "F64": "<f8"}[entry["dtype"]]
        arrays[name] = numpy.frombuffer(body[start:end], dtype=dtype).astype(numpy.float64).reshape(entry["shape"])
    return arrays


def gradscope_pass(binary, model_path, data_path, spec_path, grads_path, dtype):
    command = [binary, "inspect", "--model", model_path, "--data", data_path, "--model-spec", spec_path, "--json",
               "--dtype", dtype, "--grad-out", grads_path]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"exit {result.returncode}: {(result.stderr or result.stdout).strip()}")
    output = json.loads(result.stdout)
    return output["loss"], {p["name"]: p["grad_norm"] for p in output["parameters"]}, read_safetensors(grads_path)


def compare(reference, other):
    """(loss rel diff, largest norm rel diff, largest element diff relative to its tensor's largest, same names?)."""
    (loss, grads), (other_loss, norms, elements) = reference, other
    names = list(norms) == list(grads) and list(elements) == list(grads)
    norm_diff = element_diff = 0.0
    for name, expected in grads.items():
        norm_diff = max(norm_diff, relative(float(numpy.linalg.norm(expected)), norms.get(name, float("inf"))))
        actual = elements.get(name)
        if actual is None or actual.shape != expected.shape:
            element_diff = float("inf")
            continue
        scale = max(float(numpy.abs(expected).max()), 1e-30)
        element_diff = max(element_diff, float(numpy.abs(expected - actual).max()) / scale)
    return relative(loss, other_loss), norm_diff, element_diff, names


def main():
    args, work = arguments(__doc__, "gradscope-torch-recurrent-")
    rng = numpy.random.default_rng(5)

    ok = True
    for steps in LENGTHS:
        x = rng.standard_normal((ROWS, steps, FEATURES)).astype(numpy.float32)
        y = numpy.arange(ROWS, dtype=numpy.int64) % CLASSES
        y_steps = rng.integers(0, CLASSES, (ROWS, steps), dtype=numpy.int64)
        y_steps[:, 0] = numpy.arange(ROWS) % CLASSES  # every class present
        paths = {False: os.path.join(work, f"batch-t{steps}.npz"), True: os.path.join(work, f"batch-steps-t{steps}.npz")}
        numpy.savez(paths[False], x=x, y=y)
        numpy.savez(paths[True], x=x, y=y_steps)
        for seed, (name, (model, layers, per_step)) in enumerate(cases().items()):
            labels, data_path = (y_steps, paths[True]) if per_step else (y, paths[False])
            randomize(model, seed + steps, 0.8 if name == "rnn-relu" else 1.5)
            case = f"{name}-t{steps}"
            model_path, spec_path = os.path.join(work, f"{case}.safetensors"), os.path.join(work, f"{case}.json")
            write_state_dict(model_path, model.state_dict())
            with open(spec_path, "w") as f:
                json.dump({"layers": layers, "output": {"module": "head"}}, f)
            for dtype in ("float64", "float32"):
                reference = pytorch_pass(model, x, labels, torch.float64 if dtype == "float64" else torch.float32)
                try:
                    other = gradscope_pass(args.gradscope, model_path, data_path, spec_path, os.path.join(work, f"{case}-{dtype}-grads.safetensors"), dtype)
                except RuntimeError as error:
                    print(f"  {case:18} {dtype:8} FAILED: {error}")
                    ok = False
                    continue
                loss_diff, norm_diff, element_diff, names = compare(reference, other)
                tolerance = TOLERANCE[dtype]
                agree = names and loss_diff <= tolerance and norm_diff <= tolerance and element_diff <= tolerance
                ok &= agree
                print(f"  {case:18} {dtype:8} {len(other[1])} tensors  loss {other[0]:.10f}  rel diff {loss_diff:.1e}  "
                      f"max grad-norm diff {norm_diff:.1e}  max element diff {element_diff:.1e}  names {'same' if names else 'DIFFER'}  "
                      f"{'agree' if agree else 'DISAGREE'}")
    print(f"torch recurrent: {'PASS' if ok else 'FAIL'} (tolerance float64 {TOLERANCE['float64']:g}, float32 {TOLERANCE['float32']:g}; files in {work})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
