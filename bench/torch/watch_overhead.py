"""Overhead of gradscope_torch.watch on a training step (issue 18: target under 5% at every=1).

    PYTHONPATH=integrations/python /usr/bin/python3 bench/torch/watch_overhead.py [--rounds 7] [--steps 40] [--threads N]

A 784-512-512-10 ReLU MLP, batch 128, SGD, random data, float32 on the CPU. Three identical
models train side by side: one plain, one under watch(every=1), one under watch(every=10)
(histograms every 50 steps). After a warm-up, each round runs --steps steps of each, the three
interleaved step by step in an order that rotates, so a slow spell on a shared machine hits them
alike. The table gives each variant's median step time over all rounds, by the wall clock and by
this process's CPU time (the writer thread's included; steadier when other processes share the
cores), the overhead of those medians against the plain model, and the median of the per-step
paired overheads (each watched step against the plain step run next to it). Traces go to a
temporary directory.
"""

import argparse
import statistics
import tempfile
import time

import torch
from torch import nn

from gradscope_torch import watch

VARIANTS = ("plain", "every=1", "every=10")


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    return model, torch.optim.SGD(model.parameters(), lr=0.01)


def one_step(model, opt, loss_fn, x, y, recorder):
    """(wall seconds, CPU seconds) of one training step."""
    wall, cpu = time.perf_counter(), time.process_time()
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    if recorder is not None:
        recorder.step(loss)
    opt.step()
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(1)
    data = [(torch.randn(128, 784, generator=g), torch.randint(0, 10, (128,), generator=g)) for _ in range(8)]
    runs = {v: build() for v in VARIANTS}
    times = {v: [] for v in VARIANTS}
    with tempfile.TemporaryDirectory() as out:
        recorders = {"plain": None,
                     "every=1": watch(runs["every=1"][0], out, every=1, histograms_every=50, name="every1"),
                     "every=10": watch(runs["every=10"][0], out, every=10, histograms_every=50, name="every10")}
        for v in VARIANTS:  # warm-up
            for i in range(10):
                one_step(*runs[v], loss_fn, *data[i % 8], recorders[v])
        for r in range(args.rounds):
            for i in range(args.steps):
                turn = (r * args.steps + i) % 3
                for v in VARIANTS[turn:] + VARIANTS[:turn]:
                    times[v].append(one_step(*runs[v], loss_fn, *data[i % 8], recorders[v]))
        for recorder in recorders.values():
            if recorder is not None:
                recorder.close()
    report(times, args)


def report(times, args):
    print("torch %s, %d threads, %d rounds x %d steps, batch 128, 784-512-512-10 ReLU MLP, SGD" % (
        torch.__version__, torch.get_num_threads(), args.rounds, args.steps))
    print("%-10s %10s %9s %10s %9s %14s %14s" % ("variant", "wall ms", "overhead", "cpu ms", "overhead", "paired wall", "paired cpu"))
    base = [statistics.median(t[k] for t in times["plain"]) for k in (0, 1)]
    for v in VARIANTS:
        m = [statistics.median(t[k] for t in times[v]) for k in (0, 1)]
        paired = [statistics.median(a[k] / b[k] - 1 for a, b in zip(times[v], times["plain"])) for k in (0, 1)]
        print("%-10s %10.3f %8.1f%% %10.3f %8.1f%% %13.1f%% %13.1f%%" % (
            v, m[0] * 1e3, (m[0] / base[0] - 1) * 100, m[1] * 1e3, (m[1] / base[1] - 1) * 100, paired[0] * 100, paired[1] * 100))


if __name__ == "__main__":
    main()
