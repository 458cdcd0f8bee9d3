"""Writes two small PyTorch traces for the C# side's contract test (TorchTraceTests.cs).

    PYTHONPATH=integrations/python /usr/bin/python3 integrations/python/tests/make_trace.py OUT_DIR

OUT_DIR gets mlp.jsonl (a tanh/relu MLP, 6 steps, histograms every 2), lstm.jsonl (an LSTM
many-to-one model, 4 steps, a NaN injected into its head's weights at step 3) and expected.json:
numbers computed here directly from the tensors, which the reader must give back.
"""

import json
import os
import sys

import torch
from torch import nn

from gradscope_torch import watch


def train_mlp(path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3)).double()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    expected = []
    with watch(model, path, histograms_every=2, name="mlp", optimizer=opt, loss_fn=loss_fn) as w:
        for _ in range(6):
            x, y = torch.randn(32, 2, dtype=torch.float64), torch.randint(0, 3, (32,))
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            w.step(loss)
            expected.append({"loss": loss.item(), "grad_norm": [model[i].weight.grad.norm().item() for i in (0, 2, 4)]})
            opt.step()
    return expected


class ManyToOne(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=3, hidden_size=8, batch_first=True)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def train_lstm(path):
    torch.manual_seed(1)
    model = ManyToOne().double()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    with watch(model, path, name="lstm", optimizer=opt, loss_fn=nn.CrossEntropyLoss()) as w:
        for step in range(4):
            if step == 3:
                with torch.no_grad():
                    model.head.weight[0, 0] = float("nan")
            x, y = torch.randn(16, 5, 3, dtype=torch.float64), torch.randint(0, 2, (16,))
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            w.step(loss)
            opt.step()


def main(out):
    os.makedirs(out, exist_ok=True)
    expected = train_mlp(os.path.join(out, "mlp.jsonl"))
    train_lstm(os.path.join(out, "lstm.jsonl"))
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"mlp": expected}, f)


if __name__ == "__main__":
    main(sys.argv[1])
