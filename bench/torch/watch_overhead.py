"""Overhead of gradscope_torch.watch on a training step (issue 18: target under 5% at every=1).

    PYTHONPATH=integrations/python /usr/bin/python3 bench/torch/watch_overhead.py [--rounds 7] [--steps 40] [--threads N]

A 784-512-512-10 ReLU MLP, batch 128, SGD, random data, float32 on the CPU. After a warm-up, each
round times --steps training steps without watch, with watch(every=1) and with watch(every=10),
in an order that rotates from round to round (so a slow spell on a shared machine hits each
variant alike); the table gives each variant's median step time over all rounds' steps, by the
wall clock and by this process's CPU time (the writer thread's included; steadier when other
processes share the cores), and its overhead against the plain loop. Traces go to a temporary
directory.
"""

import argparse
import statistics
import tempfile
import time

import torch
from torch import nn

from gradscope_torch import watch


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    return model, torch.optim.SGD(model.parameters(), lr=0.01), nn.CrossEntropyLoss()


def timed_steps(model, opt, loss_fn, data, steps, recorder):
    """Per step: (wall seconds, this process's CPU seconds, the writer thread's included)."""
    times = []
    for i in range(steps):
        x, y = data[i % len(data)]
        wall, cpu = time.perf_counter(), time.process_time()
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        if recorder is not None:
            recorder.step(loss)
        opt.step()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    model, opt, loss_fn = build()
    g = torch.Generator().manual_seed(1)
    data = [(torch.randn(128, 784, generator=g), torch.randint(0, 10, (128,), generator=g)) for _ in range(8)]
    timed_steps(model, opt, loss_fn, data, 20, None)  # warm-up
    variants = ["plain", "every=1", "every=10"]
    times = {v: [] for v in variants}
    with tempfile.TemporaryDirectory() as out:
        for r in range(args.rounds):
            for v in variants[r % 3:] + variants[:r % 3]:
                if v == "plain":
                    times[v] += timed_steps(model, opt, loss_fn, data, args.steps, None)
                    continue
                w = watch(model, out, every=int(v.split("=")[1]), histograms_every=50, name="r%d-%s" % (r, v[6:]))
                times[v] += timed_steps(model, opt, loss_fn, data, args.steps, w)
                w.close()
    print("torch %s, %d threads, %d rounds x %d steps, batch 128, 784-512-512-10 ReLU MLP, SGD" % (
        torch.__version__, torch.get_num_threads(), args.rounds, args.steps))
    print("%-10s %12s %9s %12s %9s" % ("variant", "wall ms", "overhead", "cpu ms", "overhead"))
    base = [statistics.median(t[k] for t in times["plain"]) for k in (0, 1)]
    for v in variants:
        m = [statistics.median(t[k] for t in times[v]) for k in (0, 1)]
        print("%-10s %12.3f %8.1f%% %12.3f %8.1f%%" % (v, m[0] * 1e3, (m[0] / base[0] - 1) * 100, m[1] * 1e3, (m[1] / base[1] - 1) * 100))


if __name__ == "__main__":
    main()
