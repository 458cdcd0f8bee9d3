"""Every statistic of a step line against a direct computation on a small float64 model."""

import copy
import math

import pytest
import torch
from torch import nn

from conftest import lines_of, read_trace
from gradscope_torch import watch

REL = 1e-6


def small_model():
    torch.manual_seed(3)
    return nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 2)).double()


def batch(seed=0, rows=16):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(rows, 3, generator=g, dtype=torch.float64), torch.randint(0, 2, (rows,), generator=g)


def direct_statistics(model, x, y):
    """The statistics by hand: a manual forward keeping each pre-activation's gradient."""
    model = copy.deepcopy(model)
    l1, _, l2, _, l3 = model
    h1 = l1(x); h1.retain_grad(); a1 = torch.tanh(h1)
    h2 = l2(a1); h2.retain_grad(); a2 = torch.relu(h2)
    h3 = l3(a2); h3.retain_grad()
    nn.functional.cross_entropy(h3, y).backward()
    saturated = [(1 - a1 * a1) < 0.01, h2 <= 0, torch.zeros_like(h3, dtype=torch.bool)]
    rows = []
    for layer, h, a, sat in zip((l1, l2, l3), (h1, h2, h3), (a1, a2, h3), saturated):
        g = layer.weight.grad
        rows.append({
            "grad_norm": g.norm().item(),
            "grad_rms": g.pow(2).mean().sqrt().item(),
            "bias_grad_norm": layer.bias.grad.norm().item(),
            "delta_rms": h.grad.pow(2).mean().sqrt().item(),
            "act_mean": a.mean().item(),
            "act_std": a.std(unbiased=False).item(),
            "saturated": sat.double().mean().item(),
            "dead": sat.all(dim=0).double().mean().item() if sat.any() else 0.0,
            "weight_norm": layer.weight.norm().item(),
        })
    return rows


def train_one(model, path, steps=1, **options):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with watch(model, path, optimizer=opt, loss_fn=nn.CrossEntropyLoss(), **options) as w:
        for s in range(steps):
            x, y = batch(s)
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            w.step(loss)
            opt.step()
    return read_trace(path)


def test_every_statistic_matches_a_direct_computation(tmp_path):
    model = small_model()
    with torch.no_grad():  # a dead ReLU unit: its bias so negative no sample activates it
        model[2].bias[0] = -100.0
    expected = direct_statistics(model, *batch(0))
    trace = train_one(model, tmp_path / "run.jsonl")
    step = lines_of(trace, "step")[0]
    for l, row in enumerate(expected):
        for name, value in row.items():
            assert step[name][l] == pytest.approx(value, rel=REL, abs=1e-12), (name, l)
    assert step["dead"][1] == pytest.approx(1 / 5)
    assert step["non_finite"] == [0, 0, 0]
    assert step["update_ratio"] == [None, None, None]  # nothing to compare with at the first recorded step


def test_header_describes_layers_optimizer_and_loss(tmp_path):
    trace = train_one(small_model(), tmp_path / "run.jsonl")
    header = trace[0]
    assert header["kind"] == "torch" and header["spec"] is None and header["version"] == 2
    assert [(l["layer"], l["name"], l["kind"], l["activation"], l["inputs"], l["units"]) for l in header["layers"]] == [
        (1, "0", "dense", "tanh", 3, 6), (2, "2", "dense", "relu", 6, 5), (3, "4", "dense", "identity", 5, 2)]
    assert [l["activation_module"] for l in header["layers"]] == ["1", "3", None]
    assert header["layers"][0]["module_kind"] == "Linear"
    init = header["layers"][0]["init"]
    assert init["fan_in"] == 3 and init["gain"] == pytest.approx(init["weight_std"] * math.sqrt(3))
    assert header["optimizer"]["name"] == "SGD" and header["optimizer"]["learning_rate"] == 0.1
    assert header["optimizer"]["settings"]["momentum"] == 0.0 and "nesterov" not in header["optimizer"]["settings"]
    assert header["loss_function"] == "CrossEntropyLoss"
    assert header["framework"]["name"] == "pytorch"
    assert trace[-1]["type"] == "end" and trace[-1]["status"] == "completed"


def _update_ratios(step_before_optimizer):
    model = small_model()
    lr = 0.1
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    weights, grads = [], []
    path = "run.jsonl"
    with watch(model, path) as w:
        for s in range(4):
            x, y = batch(s)
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            if not step_before_optimizer:
                opt.step()
            grads.append(model[0].weight.grad.clone())
            weights.append(model[0].weight.detach().clone())
            w.step(0.0)
            if step_before_optimizer:
                opt.step()
    steps = lines_of(read_trace(path), "step")
    return [s["update_ratio"][0] for s in steps], weights, grads, lr


@pytest.mark.parametrize("before", [True, False])
def test_update_ratio_compares_consecutive_recorded_steps(tmp_path, monkeypatch, before):
    monkeypatch.chdir(tmp_path)
    ratios, weights, grads, lr = _update_ratios(before)
    assert ratios[0] is None
    for k in range(1, 4):
        expected = (weights[k] - weights[k - 1]).norm() / weights[k - 1].norm()
        assert ratios[k] == pytest.approx(expected.item(), rel=REL)
        # Plain SGD moved the weights by lr * the gradient of one step: the step just before (when
        # step() runs before opt.step()) or this very step (after it).
        moved = grads[k - 1] if before else grads[k]
        assert ratios[k] == pytest.approx((lr * moved.norm() / weights[k - 1].norm()).item(), rel=1e-9)


def test_gradscaler_scale_unscales_gradients(tmp_path):
    plain = lines_of(train_one(small_model(), tmp_path / "plain.jsonl"), "step")[0]
    model = small_model()
    scale = 1024.0
    with watch(model, tmp_path / "scaled.jsonl") as w:
        x, y = batch(0)
        loss = nn.functional.cross_entropy(model(x), y)
        (loss * scale).backward()
        w.step(loss, scale=scale)
    scaled = lines_of(read_trace(tmp_path / "scaled.jsonl"), "step")[0]
    for name in ("grad_norm", "grad_rms", "bias_grad_norm", "delta_rms", "act_mean", "weight_norm"):
        assert scaled[name] == pytest.approx(plain[name], rel=1e-9), name
    assert scaled["loss"] == pytest.approx(plain["loss"])


def test_functional_activation_has_no_activation_statistics(tmp_path):
    class Functional(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(3, 4), nn.Linear(4, 2)

        def forward(self, x):
            return self.fc2(torch.relu(self.fc1(x)))

    model = Functional().double()
    with watch(model, tmp_path / "f.jsonl") as w:
        x, y = batch(0)
        nn.functional.cross_entropy(model(x), y).backward()
        w.step(1.0)
    trace = read_trace(tmp_path / "f.jsonl")
    assert [l["activation"] for l in trace[0]["layers"]] == ["unknown", "identity"]
    step = lines_of(trace, "step")[0]
    assert step["act_mean"][0] is None and step["saturated"][0] is None
    assert step["delta_rms"][0] > 0 and step["act_mean"][1] is not None
