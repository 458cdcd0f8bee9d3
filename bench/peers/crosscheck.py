#!/usr/bin/python3
"""Same weights, same batch: do PyTorch, TorchSharp and Gradscope compute the same loss and gradients?

For mnist-mlp (784-512-512-10 ReLU) and deep-narrow-sigmoid (2, 20 x 64 sigmoid, 2 classes) this
writes deterministic float32 weights as a safetensors file with PyTorch's nn.Sequential names
(0.weight, 0.bias, 2.weight, ...) and a 128-row batch as CSV (header row, label last), then
computes one forward and backward pass of the mean softmax cross-entropy three ways:
PyTorch in this process, `TorchSharpStep loss` and `gradscope inspect --json`. It prints the
losses and the largest relative difference of the per-layer weight-gradient norms, and exits 1
when any two disagree beyond float32 tolerance (loss 1e-5, gradient norms 1e-4 relative).

Usage: crosscheck.py --work DIR --torchsharp PATH --gradscope PATH   (either PATH may be "-": skipped)
"""
import argparse
import json
import os
import struct
import subprocess

import numpy
import torch

import pytorch_step

CHECKS = ["mnist-mlp", "deep-narrow-sigmoid"]
LOSS_TOLERANCE = 1e-5
GRAD_TOLERANCE = 1e-4


def weights(config):
    """Linear layers as {name: float32 array}: Glorot/He-scaled normal weights, small nonzero biases."""
    inputs, hidden, classes, activation, _ = pytorch_step.CONFIGS[config]
    rng = numpy.random.default_rng(7)
    tensors = {}
    fan_in = inputs
    for index, width in enumerate(hidden + [classes]):
        scale = numpy.sqrt((2.0 if activation == "relu" else 1.0) / fan_in)
        tensors[f"{2 * index}.weight"] = (rng.standard_normal((width, fan_in)) * scale).astype(numpy.float32)
        tensors[f"{2 * index}.bias"] = rng.uniform(-0.1, 0.1, width).astype(numpy.float32)
        fan_in = width
    return tensors


def batch(config):
    inputs, _, classes, _, rows = pytorch_step.CONFIGS[config]
    rng = numpy.random.default_rng(8)
    x = rng.standard_normal((rows, inputs)).astype(numpy.float32)
    y = numpy.arange(rows) % classes  # every class present, so a CSV reader maps labels to themselves
    return x, y


def write_safetensors(path, tensors):
    header, offset = {}, 0
    for name, array in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for array in tensors.values():
            f.write(numpy.ascontiguousarray(array, dtype="<f4").tobytes())


def write_csv(path, x, y):
    # repr of the float32 value as a double is exact, so every reader parses the same float32.
    with open(path, "w") as f:
        f.write(",".join(f"f{i}" for i in range(x.shape[1])) + ",label\n")
        for row, label in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + f",{int(label)}\n")


def pytorch_loss(config, tensors, x, y):
    inputs, hidden, classes, activation, _ = pytorch_step.CONFIGS[config]
    model = pytorch_step.build(inputs, hidden, classes, activation)
    model.load_state_dict({name: torch.from_numpy(array) for name, array in tensors.items()})
    loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
    loss.backward()
    norms = [(name, float(p.grad.norm())) for name, p in model.named_parameters() if name.endswith("weight")]
    return {"loss": float(loss), "layers": [{"name": n.split(".")[0], "grad_norm": g} for n, g in norms]}


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return {"error": (result.stderr or result.stdout).strip().splitlines()[-1:]}
    return json.loads(result.stdout)


def relative(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-30)


def compare(reference, other):
    """(loss relative difference, largest gradient-norm relative difference)."""
    grads = [relative(r["grad_norm"], o["grad_norm"]) for r, o in zip(reference["layers"], other["layers"])]
    if len(reference["layers"]) != len(other["layers"]):
        grads.append(float("inf"))
    return relative(reference["loss"], other["loss"]), max(grads)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--torchsharp", default="-")
    parser.add_argument("--gradscope", default="-")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    ok = True
    for config in CHECKS:
        activation = pytorch_step.CONFIGS[config][3]
        tensors, (x, y) = weights(config), batch(config)
        model, data = os.path.join(args.work, f"{config}.safetensors"), os.path.join(args.work, f"{config}.csv")
        write_safetensors(model, tensors)
        write_csv(data, x, y)
        results = {"pytorch": pytorch_loss(config, tensors, x, y)}
        if args.torchsharp != "-":
            results["torchsharp"] = run_json([args.torchsharp, "loss", "--model", model, "--data", data, "--activation", activation])
        if args.gradscope != "-":
            results["gradscope"] = run_json([args.gradscope, "inspect", "--model", model, "--data", data,
                                             "--activation", activation, "--json"])
        for peer, result in results.items():
            if "error" in result:
                print(f"  {config:20} {peer:10} FAILED: {result['error']}")
                ok = False
                continue
            if peer == "pytorch":
                print(f"  {config:20} {peer:10} loss {result['loss']:.8f}  (reference)")
                continue
            loss_diff, grad_diff = compare(results["pytorch"], result)
            agree = loss_diff <= LOSS_TOLERANCE and grad_diff <= GRAD_TOLERANCE
            ok &= agree
            print(f"  {config:20} {peer:10} loss {result['loss']:.8f}  vs PyTorch: loss rel diff {loss_diff:.1e}, "
                  f"max weight-grad-norm rel diff {grad_diff:.1e}  {'agree' if agree else 'DISAGREE'}")
    print(f"cross-check: {'PASS' if ok else 'FAIL'} (same weights and batch; tolerance loss {LOSS_TOLERANCE:g}, "
          f"gradient norms {GRAD_TOLERANCE:g} relative)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
