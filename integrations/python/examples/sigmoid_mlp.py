"""A 20-layer sigmoid MLP trained in plain PyTorch and recorded with gradscope_torch.watch.

    PYTHONPATH=integrations/python /usr/bin/python3 integrations/python/examples/sigmoid_mlp.py run.jsonl
    gradscope diagnose --trace run.jsonl
"""
import sys

import torch
from torch import nn

from gradscope_torch import watch

torch.manual_seed(0)
# Three spiral arms in the plane, 300 points each.
t = torch.linspace(0.0, 4.0, 300)
x = torch.cat([torch.stack([t / 4 * torch.sin(t + 4 * k), t / 4 * torch.cos(t + 4 * k)], 1) for k in range(3)])
y = torch.arange(3).repeat_interleave(300)

layers = []
for i in range(19):
    layers += [nn.Linear(2 if i == 0 else 32, 32), nn.Sigmoid()]
model = nn.Sequential(*layers, nn.Linear(32, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()

with watch(model, sys.argv[1] if len(sys.argv) > 1 else "run.jsonl", optimizer=opt, loss_fn=loss_fn) as w:
    for step in range(200):
        batch = torch.randint(0, len(x), (64,))
        opt.zero_grad()
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        w.step(loss)
        opt.step()
