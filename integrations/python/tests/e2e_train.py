"""End-to-end helper: train a deep MLP (or an LSTM) on a spiral in PyTorch with ``watch``.

    PYTHONPATH=integrations/python /usr/bin/python3 integrations/python/tests/e2e_train.py \
        --depth 20 --width 32 --activation sigmoid --init default --steps 50 --out DIR [--lstm] [--seed 1]

Writes DIR/run.jsonl (the trace, every step recorded), DIR/model.safetensors (the weights at the
end) and DIR/direct.json: per recorded step, the loss and per layer grad_norm, grad_rms and
delta_rms computed here directly from the tensors (float64), in the trace's layer order, for a
test that compares what ``gradscope diagnose --trace`` reads with them:

    {"layers": ["0", "2", ...], "steps": [{"step": 0, "loss": ..., "grad_norm": [...],
     "grad_rms": [...], "delta_rms": [...]}, ...]}

--depth counts Linear layers (the last is the 3-class output); --init he is Kaiming normal for
ReLU, xavier is Xavier normal with the activation's gain, default is PyTorch's own.
"""

import argparse
import json
import math
import os

import torch
from torch import nn

from gradscope_torch import save_safetensors, watch

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}


def spiral(rows_per_class, seed):
    """Three interleaved spiral arms in 2-D (like Gradscope's built-in 'spiral')."""
    g = torch.Generator().manual_seed(seed)
    xs, ys = [], []
    for k in range(3):
        r = torch.linspace(0.0, 1.0, rows_per_class)
        t = torch.linspace(k * 4.0, (k + 1) * 4.0, rows_per_class) + 0.2 * torch.randn(rows_per_class, generator=g)
        xs.append(torch.stack([r * torch.sin(t), r * torch.cos(t)], dim=1))
        ys.append(torch.full((rows_per_class,), k, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys)


def mlp(depth, width, activation, init):
    sizes = [2] + [width] * (depth - 1) + [3]
    modules = []
    for i in range(depth):
        linear = nn.Linear(sizes[i], sizes[i + 1])
        if init == "he":
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            nn.init.zeros_(linear.bias)
        elif init == "xavier":
            nn.init.xavier_normal_(linear.weight, gain=nn.init.calculate_gain(activation))
            nn.init.zeros_(linear.bias)
        modules.append(linear)
        if i < depth - 1:
            modules.append(ACTIVATIONS[activation]())
    return nn.Sequential(*modules)


class ManyToOne(nn.Module):
    """An LSTM over a point's path from the origin (8 steps), its last hidden state into a head."""

    steps = 8

    def __init__(self, width):
        super().__init__()
        self.lstm = nn.LSTM(input_size=2, hidden_size=width, batch_first=True)
        self.head = nn.Linear(width, 3)

    def forward(self, x):
        fractions = torch.arange(1, self.steps + 1, dtype=x.dtype) / self.steps
        out, _ = self.lstm(x[:, None, :] * fractions[None, :, None])
        out.retain_grad()
        self.outputs = [out]
        return self.head(out[:, -1])


def forward_keeping_deltas(model, x):
    """The training forward pass, keeping each layer's output so its gradient can be read."""
    if isinstance(model, ManyToOne):
        logits = model(x)
        logits.retain_grad()  # the head's output
        return logits, model.outputs + [logits]
    outputs, h = [], x
    for module in model:
        h = module(h)
        if isinstance(module, nn.Linear):
            h.retain_grad()
            outputs.append(h)
    return h, outputs


def layer_modules(model):
    if isinstance(model, ManyToOne):
        return [model.lstm, model.head]
    return [m for m in model if isinstance(m, nn.Linear)]


def weight_grads(module):
    return [p.grad.double().reshape(-1) for n, p in module.named_parameters() if n.startswith("weight")]


def direct_statistics(model, outputs):
    modules = layer_modules(model)
    grad_norm, grad_rms, delta_rms = [], [], []
    for module, out in zip(modules, outputs):
        g = torch.cat(weight_grads(module))
        grad_norm.append(g.norm().item())
        grad_rms.append(g.pow(2).mean().sqrt().item())
        delta_rms.append(out.grad.double().pow(2).mean().sqrt().item())
    return grad_norm, grad_rms, delta_rms


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depth", type=int, default=20)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--activation", choices=sorted(ACTIVATIONS), default="sigmoid")
    parser.add_argument("--init", choices=["default", "he", "xavier"], default="default")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--out", required=True)
    parser.add_argument("--lstm", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    x, y = spiral(300, args.seed)
    model = ManyToOne(args.width) if args.lstm else mlp(args.depth, args.width, args.activation, args.init)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    os.makedirs(args.out, exist_ok=True)
    g = torch.Generator().manual_seed(args.seed)
    steps = []
    with watch(model, os.path.join(args.out, "run.jsonl"), every=1, name="e2e", optimizer=opt, loss_fn=loss_fn) as w:
        names = [layer.name for layer in w.layers]
        for step in range(args.steps):
            rows = torch.randint(0, x.shape[0], (args.batch,), generator=g)
            opt.zero_grad()
            logits, outputs = forward_keeping_deltas(model, x[rows])
            loss = loss_fn(logits, y[rows])
            loss.backward()
            w.step(loss)
            grad_norm, grad_rms, delta_rms = direct_statistics(model, outputs)
            steps.append({"step": step, "loss": loss.item(), "grad_norm": grad_norm, "grad_rms": grad_rms, "delta_rms": delta_rms})
            opt.step()
    save_safetensors(model, os.path.join(args.out, "model.safetensors"))
    with open(os.path.join(args.out, "direct.json"), "w", encoding="utf-8") as f:
        json.dump({"layers": names, "steps": steps}, f)
    last = steps[-1]["delta_rms"]
    print("%d steps, loss %.4f; delta_rms layer 1 %.3e, layer %d %.3e (ratio 10^%.1f)" % (
        args.steps, steps[-1]["loss"], last[0], len(last), last[-1], math.log10(last[0] / last[-1]) if last[0] > 0 else float("-inf")))


if __name__ == "__main__":
    main()
