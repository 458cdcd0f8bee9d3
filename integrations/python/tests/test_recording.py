"""Step numbering, histograms, non-finite values, file naming and how a recording ends."""

import os
import signal
import subprocess
import sys
import time

import pytest
import torch
from torch import nn

from conftest import PACKAGE_ROOT, lines_of, read_trace
from gradscope_torch import histograms, watch


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.Sigmoid(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 3))


def run(model, path, steps, inject=None, **options):
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    g = torch.Generator().manual_seed(1)
    with watch(model, path, **options) as w:
        for s in range(steps):
            x, y = torch.randn(32, 4, generator=g), torch.randint(0, 3, (32,), generator=g)
            if inject is not None:
                inject(s, model, "forward")
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            if inject is not None:
                inject(s, model, "backward")
            w.step(loss)
            opt.step()
    return read_trace(path)


def test_every_k_records_steps_0_k_2k(tmp_path):
    trace = run(mlp(), tmp_path / "t.jsonl", 8, every=3, histograms_every=2)
    assert [s["step"] for s in lines_of(trace, "step")] == [0, 3, 6]
    assert trace[-1]["steps"] == 3
    # Histograms at recorded steps that are multiples of histograms_every.
    assert sorted({h["step"] for h in lines_of(trace, "histogram")}) == [0, 6]
    assert all(s["update_ratio"][0] is not None for s in lines_of(trace, "step")[1:])


def test_histograms_every_and_their_binning(tmp_path):
    trace = run(mlp(), tmp_path / "t.jsonl", 5, histograms_every=2)
    hist = lines_of(trace, "histogram")
    assert sorted({h["step"] for h in hist}) == [0, 2, 4]
    gradient = [h for h in hist if h["kind"] == "gradient" and h["layer"] == 1][0]
    activation = [h for h in hist if h["kind"] == "activation" and h["layer"] == 1][0]
    assert len(gradient["counts"]) == 332 and sum(gradient["counts"]) == 8 * 4
    assert gradient["min_decade"] == -300
    assert len(activation["counts"]) == 22 and sum(activation["counts"]) == 32 * 8
    assert (activation["low"], activation["high"]) == (-1.0, 1.0)  # the hidden activation: tanh


def test_gradient_decades_are_exact_at_powers_of_ten():
    values = torch.tensor([1e-3, 9.999999e-4, 1.0, 0.0, float("nan"), float("inf"), 1e-310, 1e35, -10.0], dtype=torch.float64)
    counts = histograms.gradient_counts([values]).tolist()
    decade = lambda k: k - histograms.MIN_DECADE  # noqa: E731
    assert counts[decade(-3)] == 1 and counts[decade(-4)] == 1
    assert counts[decade(0)] == 1 and counts[decade(1)] == 1
    assert counts[0] == 1 and counts[329] == 1  # below 1e-300, at or above 1e29
    assert counts[330] == 1 and counts[331] == 2  # zeros, NaN/infinity


def test_nan_in_a_layer_is_located_at_its_step_and_layer(tmp_path):
    def inject(step, model, phase):
        if step == 3 and phase == "forward":
            with torch.no_grad():
                model[2].weight[0, 0] = float("nan")

    trace = run(mlp(), tmp_path / "t.jsonl", 5, inject=inject)
    steps = lines_of(trace, "step")
    assert all(v == 0 for s in steps[:3] for v in s["non_finite"])
    # The NaN spreads to every gradient below it in the same step; the event says where it was born.
    assert steps[3]["non_finite"][1] > 0
    assert steps[3]["grad_norm"][1] is None and steps[3]["loss"] is None
    events = lines_of(trace, "non_finite")
    assert events == [{"type": "non_finite", "step": 3, "layer": 2, "name": "2", "where": "activation"}]
    # Written after its step line, so a reader has the step when it meets the event.
    assert trace.index(events[0]) > trace.index(steps[3])


def test_nan_born_in_a_gradient_is_located_there(tmp_path):
    def inject(step, model, phase):
        if step == 2 and phase == "backward":
            model[0].weight.grad[1, 1] = float("nan")

    trace = run(mlp(), tmp_path / "t.jsonl", 3, inject=inject)
    assert lines_of(trace, "step")[2]["non_finite"] == [1, 0, 0]
    assert lines_of(trace, "non_finite") == [{"type": "non_finite", "step": 2, "layer": 1, "name": "0", "where": "gradient"}]


def test_directory_path_gets_the_name_or_a_timestamp(tmp_path):
    model = mlp()
    with watch(model, tmp_path, name="baseline") as w:
        pass
    assert w.path == os.path.join(str(tmp_path), "baseline.jsonl")
    first = watch(model, str(tmp_path) + "/")
    second = watch(model, tmp_path)
    first.close(); second.close()
    names = sorted(os.path.basename(p) for p in (first.path, second.path))
    assert names[0] != names[1] and all(n.endswith(".jsonl") and n[:8].isdigit() for n in names)
    assert read_trace(first.path)[-1] == {**read_trace(first.path)[-1], "status": "completed", "steps": 0}


def test_context_manager_closes_on_an_exception(tmp_path):
    path = tmp_path / "t.jsonl"
    with pytest.raises(ValueError):
        with watch(mlp(), path) as w:
            w.step(1.0)
            raise ValueError("bad batch")
    end = read_trace(path)[-1]
    assert end["type"] == "end" and end["status"] == "failed" and "ValueError: bad batch" in end["error"]
    assert end["steps"] == 1


def test_context_manager_marks_keyboard_interrupt(tmp_path):
    path = tmp_path / "t.jsonl"
    with pytest.raises(KeyboardInterrupt):
        with watch(mlp(), path):
            raise KeyboardInterrupt
    assert read_trace(path)[-1]["status"] == "interrupted"


CHILD = """
import sys, torch
from torch import nn
from gradscope_torch import watch
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
w = watch(model, sys.argv[1], histograms_every=1)   # no with block: atexit closes it
step = 0
while True:
    opt.zero_grad()
    loss = model(torch.randn(16, 4)).pow(2).mean()
    loss.backward()
    w.step(loss)
    opt.step()
    step += 1
    if step == 5:
        print("ready", flush=True)
"""


def test_ctrl_c_leaves_a_readable_trace_with_an_end_line(tmp_path):
    path = tmp_path / "t.jsonl"
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT, PYTHONDONTWRITEBYTECODE="1")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(0.2)
        child.send_signal(signal.SIGINT)
        child.wait(timeout=30)
    finally:
        child.kill()
    detail = child.stderr.read().decode(errors="replace")[-2000:]
    assert child.returncode != 0, detail
    trace = read_trace(path)  # every line complete JSON
    end = trace[-1]
    assert end["type"] == "end" and end["status"] == "interrupted", (end, detail)
    assert end["steps"] == len(lines_of(trace, "step")) >= 5, (end, detail)


def test_uncaught_exception_outside_a_with_block_ends_the_trace_failed(tmp_path):
    path = tmp_path / "t.jsonl"
    script = (
        "import sys, torch\n"
        "from gradscope_torch import watch\n"
        "model = torch.nn.Linear(3, 2)\n"
        "w = watch(model, sys.argv[1])\n"
        "for _ in range(2):\n"
        "    model.zero_grad(); loss = model(torch.randn(4, 3)).sum(); loss.backward(); w.step(loss)\n"
        "raise RuntimeError('data loader died')\n"
    )
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, env=env, timeout=60)
    assert done.returncode == 1 and b"data loader died" in done.stderr  # the user's traceback is untouched
    end = read_trace(path)[-1]
    assert end["status"] == "failed" and end["error"] == "RuntimeError: data loader died" and end["steps"] == 2


def test_misuse_is_refused_with_a_message(tmp_path):
    with pytest.raises(ValueError, match="every"):
        watch(mlp(), tmp_path / "a.jsonl", every=0)
    with pytest.raises(ValueError, match="no Linear"):
        watch(nn.Sequential(nn.ReLU()), tmp_path / "b.jsonl")
    w = watch(mlp(), tmp_path / "c.jsonl")
    w.close()
    w.close()  # a second close does nothing
    with pytest.raises(RuntimeError, match="closed"):
        w.step(1.0)


def test_activation_bins_match_gradscopes_loop():
    values = [-1.0, 1.0, 0.0, 0.0999, 0.1, -0.95, 0.95, 1.5, -7.0, float("nan"), float("inf"), float("-inf")]
    values += torch.empty(200, dtype=torch.float64).uniform_(-1.2, 1.2, generator=torch.Generator().manual_seed(2)).tolist()
    expected = [0] * 22  # Histograms.Activation, line by line
    for d in values:
        if d != d or d < -1.0:
            expected[0] += 1
        elif d > 1.0:
            expected[-1] += 1
        else:
            expected[1 + min(19, int((d + 1.0) * 10.0))] += 1
    counts = histograms.activation_counts(torch.tensor(values, dtype=torch.float64), -1.0, 1.0)
    assert counts.tolist() == expected
