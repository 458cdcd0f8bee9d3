#!/usr/bin/env python3
"""Assembles run.sh's results (JSON files in OUT) into the two tables it prints.

Step table: median ms per training step per configuration; the ratios are the best peer's median
over Gradscope's (above 1: Gradscope is faster), once against Gradscope without a monitor and once
with the cheap monitor. GEMM table: GFLOP/s of C = A B^T, and Gradscope's as a fraction of
OpenBLAS's, on one and two threads.

Usage: tables.py OUT
"""
import glob
import json
import os
import statistics
import sys

CONFIGS = ["deep-narrow-sigmoid", "deep-narrow-relu", "mnist-mlp", "wide", "deep-mnist-tanh"]


def json_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def median_per_key(pairs):
    """{key: median of its values} from (key, value) pairs: one value per round."""
    values = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    return {key: statistics.median(v) for key, v in values.items()}


def gradscope_steps(out):
    """{(config, monitor): median ms} from the gradscope-CONFIG-MONITOR.roundN.json files of `gradscope bench --json`."""
    pairs = []
    for path in glob.glob(os.path.join(out, "gradscope-*.json")):
        name = os.path.basename(path)[len("gradscope-"):-len(".json")]
        name = name.split(".round")[0]
        config, monitor = name.rsplit("-", 1)
        with open(path) as f:
            text = f.read().strip()
        if text:
            pairs.append(((config, monitor), json.loads(text)["ms_per_step_median"]))
    return median_per_key(pairs)


def peer_steps(out, peer):
    rows = json_lines(os.path.join(out, f"{peer}.jsonl"))
    return median_per_key(((r["config"], r["threads"]), r["ms_per_step_median"]) for r in rows)


def cell(value, digits=3):
    return "n/a" if value is None else f"{value:.{digits}f}"


def print_table(header, rows):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    line = lambda row: " | ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(row, widths)))
    print(line(header))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def step_table(out):
    gradscope = gradscope_steps(out)
    pytorch, torchsharp = peer_steps(out, "pytorch"), peer_steps(out, "torchsharp")
    rows = []
    for config in CONFIGS:
        off, cheap = gradscope.get((config, "off")), gradscope.get((config, "cheap"))
        peers = [pytorch.get((config, 1)), pytorch.get((config, 2)), torchsharp.get((config, 1)), torchsharp.get((config, 2))]
        known = [p for p in peers if p is not None]
        best = min(known) if known else None
        ratio = lambda own: None if best is None or not own else best / own
        rows.append([config, cell(off), cell(cheap)] + [cell(p) for p in peers] + [cell(ratio(off), 2), cell(ratio(cheap), 2)])
    print("Training step, median ms per step (float32, SGD, softmax cross-entropy; lower is faster;")
    print("with several rounds, the median of the rounds' medians)")
    print_table(["config", "Gradscope off", "Gradscope cheap", "PyTorch 1t", "PyTorch 2t", "TorchSharp 1t", "TorchSharp 2t",
                 "best peer / Gradscope off", "best peer / Gradscope cheap"], rows)


def gemm_table(out):
    # Records of one (peer, n, threads) in file order: the k-th of Gradscope and of OpenBLAS were
    # measured back to back in round k.
    rounds = {}
    for peer in ("gradscope", "openblas"):
        for record in json_lines(os.path.join(out, f"gemm-{peer}.jsonl")):
            if "n" in record:
                rounds.setdefault((peer, record["n"], record["threads"]), []).append(record["gflops"])
    by_peer = {key: statistics.median(values) for key, values in rounds.items()}
    sizes = sorted({n for (_, n, _) in by_peer})
    rows = []
    for n in sizes:
        row = [str(n)]
        for threads in (1, 2):
            own, blas = by_peer.get(("gradscope", n, threads)), by_peer.get(("openblas", n, threads))
            pairs = list(zip(rounds.get(("gradscope", n, threads), []), rounds.get(("openblas", n, threads), [])))
            ratios = [g / b for g, b in pairs if b]
            ratio = statistics.median(ratios) if ratios else None
            row += [cell(own, 1), cell(blas, 1), cell(ratio, 2)]
        rows.append(row)
    print("GEMM C = A B^T, float32, n x n, GFLOP/s (2 n^3 / median time; higher is faster; with several")
    print("rounds, the median of the rounds, and the ratio is the median of each round's back-to-back pair)")
    print_table(["n", "Gradscope 1t", "OpenBLAS 1t", "Gradscope/OpenBLAS 1t", "Gradscope 2t", "OpenBLAS 2t", "Gradscope/OpenBLAS 2t"], rows)
    described = set()  # one line per thread count, not one per round
    for record in json_lines(os.path.join(out, "gemm-openblas.jsonl")):
        line = f"OpenBLAS (threads {record.get('threads')}): {record.get('library')}, kernel {record.get('corename')}, {record.get('config')}"
        if "library" in record and line not in described:
            described.add(line)
            print(line)


def main():
    out = sys.argv[1]
    step_table(out)
    print()
    gemm_table(out)


if __name__ == "__main__":
    main()
