#!/usr/bin/python3
"""Models from PyTorch, as they are: does `gradscope inspect` give every tensor PyTorch's gradient?

Builds small models in PyTorch whose state dicts Gradscope must read without any Gradscope
metadata: an nn.Sequential with BatchNorm1d, one with LayerNorm and Dropout, a wrapper module
(`net.` prefix) with Flatten, BatchNorm1d and Dropout between the Linear layers, an
nn.DataParallel-wrapped (`module.` prefix) Sequential of two adjacent Linear layers (no activation
between them), and a custom nn.Module with functional activations described by a --model-spec
file. Each model's state dict is saved as safetensors (written here, without the safetensors
package, with num_batches_tracked as I64) beside a CSV batch; then one forward and backward pass of
the mean softmax cross-entropy runs in PyTorch and in `gradscope inspect --json`, in train mode
(batch statistics) and in eval mode (running statistics), in float64 and in float32. It compares
the loss and, per trainable tensor (by its state-dict name), the gradient's L2 norm.

Dropout: a state dict does not say what p a Dropout had, so Gradscope reads a bare file's gaps as
identities; the train-mode comparison therefore keeps PyTorch's Dropout modules in eval mode
(batch norm still uses batch statistics). Eval mode needs no such care.

Prints one line per case, dtype and mode, and exits 1 when any disagrees beyond the tolerances
(float64: 1e-10 relative; float32: 1e-4 relative; gradient norms below 1e-7 of the model's largest,
such as a bias right before a batch norm in train mode, compared in absolute terms).

Run with Debian's python3-torch: /usr/bin/python3 bench/peers/torch_layouts.py --gradscope PATH [--work DIR]
This is not part of the unit tests.
"""
import argparse
import copy
import json
import os
import subprocess
import tempfile

import numpy
import torch
import torch.nn.functional as F
from torch import nn

from crosscheck import write_csv, relative

TOLERANCE = {"float64": 1e-10, "float32": 1e-4}
INPUTS, CLASSES, ROWS = 6, 3, 32


class Wrapper(nn.Module):
    """A model whose state dict has the `net.` prefix, with modules without tensors in the gaps."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(INPUTS, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, CLASSES))

    def forward(self, x):
        return self.net(x)


class Custom(nn.Module):
    """Not a Sequential: named submodules and functional activations; needs a --model-spec."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.ModuleDict({"fc1": nn.Linear(INPUTS, 12), "norm": nn.LayerNorm(12)})
        self.fc2 = nn.Linear(12, 10)
        self.bn = nn.BatchNorm1d(10)
        self.head = nn.Linear(10, CLASSES)

    def forward(self, x):
        x = F.relu(self.encoder["norm"](self.encoder["fc1"](x)))
        return self.head(torch.tanh(self.bn(self.fc2(x))))


CUSTOM_SPEC = {
    "layers": [
        {"type": "dense", "units": 12, "module": "encoder.fc1"}, {"type": "layernorm", "module": "encoder.norm"},
        {"type": "activation", "name": "relu"},
        {"type": "dense", "units": 10, "module": "fc2"}, {"type": "batchnorm", "module": "bn"},
        {"type": "activation", "name": "tanh"},
    ],
    "output": {"units": CLASSES, "module": "head"},
}


def cases():
    """name -> (model, extra gradscope arguments)."""
    return {
        "sequential-batchnorm": (nn.Sequential(nn.Linear(INPUTS, 16), nn.BatchNorm1d(16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(),
                                               nn.Linear(16, CLASSES)), ["--activation", "tanh"]),
        "sequential-layernorm-dropout": (nn.Sequential(nn.Linear(INPUTS, 16), nn.LayerNorm(16), nn.ReLU(), nn.Dropout(0.3),
                                                       nn.Linear(16, CLASSES)), ["--activation", "relu"]),
        "wrapped-net-prefix": (Wrapper(), ["--activation", "relu"]),
        "dataparallel-adjacent-linear": (nn.DataParallel(nn.Sequential(nn.Linear(INPUTS, 16), nn.Linear(16, CLASSES))), []),
        "custom-module-spec": (Custom(), ["--model-spec", "SPEC"]),
    }


def randomize(model, seed):
    """Float32-representable weights and non-trivial norm parameters and running statistics."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if tensor.dtype == torch.int64:
                tensor.fill_(7)
            elif name.endswith("running_var"):
                tensor.copy_(0.5 + torch.rand(tensor.shape, generator=generator))
            elif name.endswith("running_mean") or name.endswith("bias"):
                tensor.copy_(0.3 * torch.randn(tensor.shape, generator=generator))
            elif tensor.dim() == 1:
                tensor.copy_(1 + 0.2 * torch.randn(tensor.shape, generator=generator))
            else:
                tensor.copy_(torch.randn(tensor.shape, generator=generator) / tensor.shape[1] ** 0.5)


def write_state_dict(path, state):
    header, offset, blobs = {}, 0, []
    for name, tensor in state.items():
        array = tensor.detach().cpu().numpy()
        dtype, array = ("I64", array.astype("<i8")) if tensor.dtype == torch.int64 else ("F32", array.astype("<f4"))
        blob = numpy.ascontiguousarray(array).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def pytorch_pass(model, x, y, mode, dtype):
    """Loss and {tensor name: gradient norm} of one pass; Dropout stays off (see the docstring)."""
    model = copy.deepcopy(model).to(dtype)
    model.train(mode == "train")
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.eval()
    loss = F.cross_entropy(model(torch.from_numpy(x).to(dtype)), torch.from_numpy(y))
    loss.backward()
    return float(loss), {name: float(p.grad.norm()) for name, p in model.named_parameters()}


def gradscope_pass(binary, model_path, data_path, extra, mode, dtype):
    command = [binary, "inspect", "--model", model_path, "--data", data_path, "--json", "--mode", mode, "--dtype", dtype, *extra]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"exit {result.returncode}: {(result.stderr or result.stdout).strip()}")
    output = json.loads(result.stdout)
    return output["loss"], [(p["name"], p["grad_norm"]) for p in output["parameters"]]


def compare(reference, other):
    """(loss relative difference, largest gradient-norm difference, names in the same order?)."""
    (loss, grads), (other_loss, other_grads) = reference, other
    names_agree = [n for n, _ in other_grads] == list(grads)
    scale = max(grads.values())
    worst = 0.0
    for name, norm in other_grads:
        expected = grads.get(name, float("inf"))
        small = max(abs(expected), abs(norm)) < 1e-7 * scale  # e.g. a bias before a batch norm: exactly 0 in theory
        worst = max(worst, abs(expected - norm) / scale if small else relative(expected, norm))
    return relative(loss, other_loss), worst, names_agree and len(other_grads) == len(grads)


def arguments(doc, prefix):
    """The cross-check scripts' command line (--gradscope, --work) and the work folder, created."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gradscope", required=True, help="the gradscope executable (src/Gradscope.Cli/bin/Release/net10.0/Gradscope.Cli)")
    parser.add_argument("--work", default=None, help="folder for the files (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(work, exist_ok=True)
    return args, work


def main():
    args, work = arguments(__doc__, "gradscope-torch-layouts-")
    rng = numpy.random.default_rng(3)
    x = rng.standard_normal((ROWS, INPUTS)).astype(numpy.float32)
    y = numpy.arange(ROWS) % CLASSES
    data_path = os.path.join(work, "batch.csv")
    write_csv(data_path, x, y)
    spec_path = os.path.join(work, "custom.json")
    with open(spec_path, "w") as f:
        json.dump(CUSTOM_SPEC, f)

    ok = True
    for seed, (name, (model, extra)) in enumerate(cases().items()):
        randomize(model, seed)
        model_path = os.path.join(work, f"{name}.safetensors")
        write_state_dict(model_path, model.state_dict())
        extra = [spec_path if a == "SPEC" else a for a in extra]
        for dtype in ("float64", "float32"):
            for mode in ("train", "eval"):
                reference = pytorch_pass(model, x, y, mode, torch.float64 if dtype == "float64" else torch.float32)
                try:
                    other = gradscope_pass(args.gradscope, model_path, data_path, extra, mode, dtype)
                except RuntimeError as error:
                    print(f"  {name:30} {dtype:8} {mode:5} FAILED: {error}")
                    ok = False
                    continue
                loss_diff, grad_diff, names = compare(reference, other)
                agree = names and loss_diff <= TOLERANCE[dtype] and grad_diff <= TOLERANCE[dtype]
                ok &= agree
                print(f"  {name:30} {dtype:8} {mode:5} {len(other[1]):2} tensors  loss {other[0]:.10f}  rel diff {loss_diff:.1e}  "
                      f"max grad-norm diff {grad_diff:.1e}  names {'same' if names else 'DIFFER'}  {'agree' if agree else 'DISAGREE'}")
    print(f"torch layouts: {'PASS' if ok else 'FAIL'} (tolerance float64 {TOLERANCE['float64']:g}, float32 {TOLERANCE['float32']:g}, relative; files in {work})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
