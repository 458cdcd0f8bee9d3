"""Recurrent and convolutional models, and save_safetensors."""

import json
import struct

import pytest
import torch
from torch import nn

from conftest import lines_of, read_trace
from gradscope_torch import save_safetensors, watch


class ManyToOne(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = cell(input_size=3, hidden_size=5, batch_first=True)
        self.head = nn.Linear(5, 2)
        self.seen = None

    def forward(self, x):
        out, _ = self.rnn(x)
        out.retain_grad()
        self.seen = out
        return self.head(out[:, -1])


@pytest.mark.parametrize("cell,kind", [(nn.LSTM, "lstm"), (nn.GRU, "gru")])
def test_recurrent_model_is_traced(tmp_path, cell, kind):
    torch.manual_seed(0)
    model = ManyToOne(cell).double()
    x, y = torch.randn(8, 6, 3, dtype=torch.float64), torch.randint(0, 2, (8,))
    with watch(model, tmp_path / "r.jsonl") as w:
        nn.functional.cross_entropy(model(x), y).backward()
        w.step(1.0)
    trace = read_trace(tmp_path / "r.jsonl")
    layers = trace[0]["layers"]
    assert [(l["name"], l["kind"], l["activation"], l["inputs"], l["units"]) for l in layers] == [
        ("rnn", kind, "tanh", 3, 5), ("head", "dense", "identity", 5, 2)]
    step = lines_of(trace, "step")[0]
    rnn = model.rnn
    weights = torch.cat([rnn.weight_ih_l0.grad.reshape(-1), rnn.weight_hh_l0.grad.reshape(-1)])
    assert step["grad_norm"][0] == pytest.approx(weights.norm().item(), rel=1e-9)
    assert step["grad_rms"][0] == pytest.approx(weights.pow(2).mean().sqrt().item(), rel=1e-9)
    biases = torch.cat([rnn.bias_ih_l0.grad, rnn.bias_hh_l0.grad])
    assert step["bias_grad_norm"][0] == pytest.approx(biases.norm().item(), rel=1e-9)
    # The gradient at the module's output sequence (not through time).
    assert step["delta_rms"][0] == pytest.approx(model.seen.grad.pow(2).mean().sqrt().item(), rel=1e-9)
    assert step["act_mean"][0] == pytest.approx(model.seen.mean().item(), rel=1e-9)
    assert step["weight_norm"][0] == pytest.approx(rnn.weight_hh_l0.norm().item(), rel=1e-9)
    assert step["saturated"][0] == 0 and step["dead"][0] == 0


def test_conv2d_model_is_traced(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3)).double()
    with torch.no_grad():
        model[0].bias[2] = -50.0  # channel 2 never activates: a dead unit
    x, y = torch.randn(5, 1, 6, 6, dtype=torch.float64), torch.randint(0, 3, (5,))
    conv_out = model[0](x)
    with watch(model, tmp_path / "c.jsonl") as w:
        nn.functional.cross_entropy(model(x), y).backward()
        w.step(1.0)
    trace = read_trace(tmp_path / "c.jsonl")
    assert [(l["kind"], l["activation"], l["inputs"], l["units"], l["module_kind"]) for l in trace[0]["layers"]] == [
        ("conv", "relu", 1, 4, "Conv2d"), ("dense", "identity", 64, 3, "Linear")]
    step = lines_of(trace, "step")[0]
    assert step["grad_norm"][0] == pytest.approx(model[0].weight.grad.norm().item(), rel=1e-9)
    assert step["saturated"][0] == pytest.approx((conv_out <= 0).double().mean().item(), rel=1e-9)
    assert step["dead"][0] == pytest.approx(1 / 4)
    assert step["act_mean"][0] == pytest.approx(torch.relu(conv_out).mean().item(), rel=1e-9)


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}[info["dtype"]]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype).reshape(info["shape"])
    return header, tensors


def test_save_safetensors_round_trips_the_state_dict(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 3))
    model(torch.randn(4, 2))  # running statistics move
    path = tmp_path / "m.safetensors"
    save_safetensors(model, path)
    header, tensors = read_safetensors(path)
    state = model.state_dict()
    assert set(tensors) == set(state)
    for name, value in state.items():
        assert torch.equal(tensors[name], value), name
    assert header["1.num_batches_tracked"]["dtype"] == "I64"
    architecture = json.loads(header["__metadata__"]["gradscope.architecture"])
    assert architecture == {
        "type": "spec", "input": 2,
        "layers": [{"type": "dense", "units": 8, "module": "0"}, {"type": "batchnorm", "module": "1"},
                   {"type": "activation", "name": "relu", "module": "2"}, {"type": "dropout", "p": 0.1, "module": "3"}],
        "output": {"units": 3, "module": "4"}}
    assert header["__metadata__"]["format"] == "pt"


def test_save_safetensors_of_a_model_gradscope_cannot_build_has_tensors_only(tmp_path):
    model = nn.Sequential(nn.Conv1d(1, 2, 3), nn.Flatten(), nn.Linear(4, 2))
    save_safetensors(model, tmp_path / "c.safetensors")
    header, tensors = read_safetensors(tmp_path / "c.safetensors")
    assert "gradscope.architecture" not in header["__metadata__"]
    assert torch.equal(tensors["0.weight"], model[0].weight.detach())


def test_in_place_relu_in_a_nested_module(tmp_path):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(3, 6), nn.ReLU(inplace=True), nn.Linear(6, 2))

        def forward(self, x):
            return self.net(x)

    torch.manual_seed(0)
    model = Net().double()
    x, y = torch.randn(10, 3, dtype=torch.float64), torch.randint(0, 2, (10,))
    h = model.net[0](x).detach().requires_grad_()
    nn.functional.cross_entropy(model.net[2](torch.relu(h)), y).backward()
    model.zero_grad()
    with watch(model, tmp_path / "n.jsonl") as w:
        nn.functional.cross_entropy(model(x), y).backward()
        w.step(1.0)
    trace = read_trace(tmp_path / "n.jsonl")
    assert [(l["name"], l["activation"], l["activation_module"]) for l in trace[0]["layers"]] == [
        ("net.0", "relu", "net.1"), ("net.2", "identity", None)]
    step = lines_of(trace, "step")[0]
    assert step["delta_rms"][0] == pytest.approx(h.grad.pow(2).mean().sqrt().item(), rel=1e-9)
    assert step["saturated"][0] == pytest.approx((h <= 0).double().mean().item())
    assert step["act_mean"][0] == pytest.approx(torch.relu(h).mean().item(), rel=1e-9)


class ConvHeadDeclaredFirst(nn.Module):
    """The output Linear is registered before the activation module the conv layers use."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, 3)
        self.conv2 = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4 * 2 * 2, 3)
        self.act = nn.Tanh()

    def forward(self, x):
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        return self.fc(x.flatten(1))


def test_activation_follows_execution_order_not_registration(tmp_path):
    torch.manual_seed(0)
    model = ConvHeadDeclaredFirst().double()
    x, y = torch.randn(5, 1, 6, 6, dtype=torch.float64), torch.randint(0, 3, (5,))
    with torch.no_grad():
        conv2_out = model.conv2(torch.tanh(model.conv1(x)))
    with watch(model, tmp_path / "c.jsonl") as w:
        for _ in range(2):
            nn.functional.cross_entropy(model(x), y).backward()
            w.step(1.0)
    trace = read_trace(tmp_path / "c.jsonl")
    header = trace[0]
    assert [(l["name"], l["activation"], l["activation_module"]) for l in header["layers"]] == [
        ("conv1", "tanh", "act"), ("conv2", "tanh", "act"), ("fc", "identity", None)]
    assert header["activation"] == "tanh"
    for step in lines_of(trace, "step"):
        # The shared act module is measured for the layer whose output it took.
        assert step["act_mean"][1] == pytest.approx(torch.tanh(conv2_out).mean().item(), rel=1e-9)
        assert step["act_mean"][2] is not None  # the head: its own output


class Functional(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 6)
        self.fc2 = nn.Linear(6, 6)
        self.out = nn.Linear(6, 2)

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def test_functional_activations_are_unknown(tmp_path):
    torch.manual_seed(0)
    model = Functional().double()
    x, y = torch.randn(8, 3, dtype=torch.float64), torch.randint(0, 2, (8,))
    with watch(model, tmp_path / "f.jsonl") as w:
        nn.functional.cross_entropy(model(x), y).backward()
        w.step(1.0)
    trace = read_trace(tmp_path / "f.jsonl")
    header = trace[0]
    assert [(l["activation"], l["activation_module"]) for l in header["layers"]] == [
        ("unknown", None), ("unknown", None), ("identity", None)]
    assert header["activation"] == "unknown"
    step = lines_of(trace, "step")[0]
    assert step["act_mean"][0] is None and step["act_mean"][2] is not None


def test_header_is_written_when_closed_before_any_step(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2))
    watch(model, tmp_path / "e.jsonl").close()
    trace = read_trace(tmp_path / "e.jsonl")
    assert trace[0]["type"] == "header" and trace[-1]["type"] == "end"
    assert [l["activation"] for l in trace[0]["layers"]] == ["sigmoid", "identity"]
