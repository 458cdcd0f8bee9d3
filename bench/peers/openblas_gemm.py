#!/usr/bin/python3
"""OpenBLAS sgemm through numpy: C = A @ B.T (float32, n x n) at the GEMM benchmark's sizes.

Prints one JSON object per line and size: {"peer": "openblas", "n": ..., "threads": ...,
"gflops": 2 n^3 / median time, "ms_median": ...}, after one line {"peer": "openblas", "library":
..., "corename": ..., "config": ..., "threads": ...} that shows which OpenBLAS build numpy really
called (the library mapped into the process, its kernel and its thread count), so the comparison
is known to be against OpenBLAS and not a reference BLAS.

Run with Debian's /usr/bin/python3 (python3-numpy) and OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=N when
the OpenMP build is first on LD_LIBRARY_PATH (run.sh does that; see README.md).

Usage: openblas_gemm.py [--threads N] [--sizes 64,128,...] [--seconds 0.3]
"""
import argparse
import ctypes
import json
import statistics
import time

import numpy


def openblas():
    """The OpenBLAS library mapped into this process and a ctypes handle on it (None when none is)."""
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "libopenblas" in line and "/" in line})
    if not paths:
        return None, None
    return paths[0], ctypes.CDLL(paths[0])


def describe(path, library):
    if library is None:
        return {"library": "none: numpy is not using OpenBLAS"}
    library.openblas_get_corename.restype = ctypes.c_char_p
    library.openblas_get_config.restype = ctypes.c_char_p
    return {
        "library": path,
        "corename": library.openblas_get_corename().decode(),
        "config": library.openblas_get_config().decode().strip(),
        "threads": library.openblas_get_num_threads(),
    }


def measure(n, seconds):
    rng = numpy.random.default_rng(1)
    a = rng.standard_normal((n, n), dtype=numpy.float32)
    b = rng.standard_normal((n, n), dtype=numpy.float32)
    c = numpy.empty((n, n), dtype=numpy.float32)
    bt = b.T  # a view: numpy passes it to sgemm as a transposed operand, no copy
    warmup, start = 0, time.perf_counter()
    while warmup < 3 or time.perf_counter() - start < 0.25:  # as GradscopeGemm does (its JIT needs it)
        numpy.matmul(a, bt, out=c)
        warmup += 1
    once = time.perf_counter()
    warmup, start = 0, time.perf_counter()
    while warmup < 3 or time.perf_counter() - start < 0.25:  # as GradscopeGemm does (its JIT needs it)
        numpy.matmul(a, bt, out=c)
        warmup += 1
    once = time.perf_counter() - once
    repeats = max(5, min(1000, int(seconds / max(once, 1e-7))))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        numpy.matmul(a, bt, out=c)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return 2.0 * n ** 3 / median / 1e9, median * 1000, repeats


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sizes", default="64,128,256,512,1024,2048")
    parser.add_argument("--seconds", type=float, default=0.3, help="time spent per size (at least 5 repeats)")
    args = parser.parse_args()
    numpy.matmul(numpy.ones((64, 64), numpy.float32), numpy.ones((64, 64), numpy.float32))  # loads BLAS
    path, library = openblas()
    if library is not None:
        library.openblas_set_num_threads(args.threads)
    print(json.dumps({"peer": "openblas", "numpy": numpy.__version__, **describe(path, library)}), flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        gflops, ms, repeats = measure(n, args.seconds)
        print(json.dumps({"peer": "openblas", "n": n, "threads": args.threads, "repeats": repeats,
                          "gflops": round(gflops, 2), "ms_median": round(ms, 4)}), flush=True)


if __name__ == "__main__":
    main()
