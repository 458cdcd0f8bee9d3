#!/usr/bin/python3
"""PyTorch peer of `gradscope bench`: time the training step of the issue's five configurations.

A step is forward, mean softmax cross-entropy, backward and a plain SGD update, in float32, on one
fixed batch of random data (seeded). Prints one JSON object per line and configuration:
{"peer": "pytorch", "config": ..., "threads": N, "ms_per_step_median": ..., "ms_per_step_min": ...,
 "blas": "<path of the BLAS library torch loaded>"}.

Run it with Debian's /usr/bin/python3 (python3-torch), with the OpenMP build of OpenBLAS first on
LD_LIBRARY_PATH and OMP_NUM_THREADS equal to --threads; run.sh does that (see README.md).

Usage: pytorch_step.py [--threads N] [--configs a,b] [--steps 50] [--warmup 10]
"""
import argparse
import json
import statistics
import time

import torch

# Same as bench/Gradscope.Benchmarks/StepConfiguration.cs:
# name -> (input, hidden widths, classes, activation, batch size)
CONFIGS = {
    "deep-narrow-sigmoid": (2, [64] * 20, 2, "sigmoid", 128),
    "deep-narrow-relu": (2, [64] * 20, 2, "relu", 128),
    "mnist-mlp": (784, [512, 512], 10, "relu", 128),
    "wide": (784, [2048, 2048], 10, "relu", 256),
    "deep-mnist-tanh": (784, [256] * 10, 10, "tanh", 64),
}

ACTIVATIONS = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}


def build(inputs, hidden, classes, activation):
    """nn.Sequential(Linear, act, ..., Linear): parameter names 0.weight, 0.bias, 2.weight, ...

    Initialized as `gradscope bench` does (He-normal for ReLU, Glorot-uniform otherwise, zero
    biases): timing hardly depends on it, but saturated or dead units would.
    """
    layers = []
    fan_in = inputs
    for index, width in enumerate(hidden + [classes]):
        linear = torch.nn.Linear(fan_in, width)
        with torch.no_grad():
            if activation == "relu":
                torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            else:
                torch.nn.init.xavier_uniform_(linear.weight)
            linear.bias.zero_()
        layers.append(linear)
        if index < len(hidden):
            layers.append(ACTIVATIONS[activation]())
        fan_in = width
    return torch.nn.Sequential(*layers)


def measure(name, steps, warmup):
    inputs, hidden, classes, activation, batch = CONFIGS[name]
    torch.manual_seed(1)
    model = build(inputs, hidden, classes, activation)
    torch.manual_seed(2)
    x = torch.randn(batch, inputs)
    y = torch.randint(0, classes, (batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        # set_to_none skips a memset of every gradient (the default from PyTorch 2.0 on).
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def loaded_blas():
    """The BLAS shared library this process mapped, to show which OpenBLAS build torch uses."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line and "/" in line}
    return ", ".join(sorted(paths)) or "none"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.configs.split(","):
        median, minimum = measure(name, args.steps, args.warmup)
        print(json.dumps({
            "peer": "pytorch", "config": name, "threads": torch.get_num_threads(), "steps": args.steps,
            "ms_per_step_median": round(median, 4), "ms_per_step_min": round(minimum, 4),
            "torch": torch.__version__, "blas": loaded_blas(),
        }), flush=True)


if __name__ == "__main__":
    main()
