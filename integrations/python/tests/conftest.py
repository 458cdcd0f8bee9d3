"""Shared helpers: the package from the source tree, and reading a trace back."""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
if PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)

sys.dont_write_bytecode = True  # keep the repository free of __pycache__ from test runs


def read_trace(path):
    """Every line of a trace as a dictionary (each line must be complete JSON)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def lines_of(trace, kind):
    return [line for line in trace if line["type"] == kind]
