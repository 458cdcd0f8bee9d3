"""Gradscope's fixed histogram binnings, counted on the tensor's device (Histograms.cs, DecadeBins.cs).

Gradient: 332 counts, one per decade [10^k, 10^(k+1)) for k from -300 to 29 (smaller magnitudes in
the first, larger in the last), then exact zeros, then NaN or infinity. Activation: 22 counts,
underflow (NaN included), 20 equal bins over [low, high], overflow.
"""

import torch

MIN_DECADE = -300
MAX_DECADE = 30
DECADE_BINS = MAX_DECADE - MIN_DECADE  # 330
GRADIENT_BINS = DECADE_BINS + 2
ACTIVATION_BINS = 20

_TABLE_LOW = MIN_DECADE - 2
_POWERS = {}


def _powers_of_ten(device):
    # 10^k as the parser rounds it, so a value exactly at a power of ten lands in its own decade
    # whatever log10 returns for it (C#'s DecadeBins does the same).
    table = _POWERS.get(device)
    if table is None:
        values = [float("1e%d" % k) for k in range(_TABLE_LOW, MAX_DECADE + 3)]
        table = torch.tensor(values, dtype=torch.float64, device=device)
        _POWERS[device] = table
    return table


def gradient_counts(tensors, scale=1.0):
    """Decade counts of |g| / scale over all the tensors, as a float64 tensor of GRADIENT_BINS."""
    values = torch.cat([t.detach().reshape(-1).double() for t in tensors])
    if scale != 1.0:
        values = values / scale
    magnitude = values.abs()
    finite = torch.isfinite(magnitude)
    positive = finite & (magnitude > 0)
    safe = torch.where(positive, magnitude, torch.ones_like(magnitude))
    table = _powers_of_ten(values.device)
    decade = torch.floor(torch.log10(safe)).long().clamp(_TABLE_LOW + 1, MAX_DECADE + 1)
    decade = decade + (safe >= table[decade + 1 - _TABLE_LOW]).long()
    decade = decade - (safe < table[decade - _TABLE_LOW]).long()
    bins = (decade - MIN_DECADE).clamp(0, DECADE_BINS - 1)
    bins = torch.where(positive, bins, torch.where(finite, DECADE_BINS, DECADE_BINS + 1))
    return _count(bins, GRADIENT_BINS)


def activation_counts(values, low, high):
    """Counts of values in underflow, ACTIVATION_BINS equal bins over [low, high], overflow."""
    v = values.detach().reshape(-1).double()
    under = torch.isnan(v) | (v < low)
    over = v > high
    inside = torch.where(under | over, torch.full_like(v, low), v)
    bins = 1 + ((inside - low) * (ACTIVATION_BINS / (high - low))).long().clamp(max=ACTIVATION_BINS - 1)
    bins = torch.where(under, 0, torch.where(over, ACTIVATION_BINS + 1, bins))
    return _count(bins, ACTIVATION_BINS + 2)


def _count(bins, size):
    # index_add_ into a fixed-size tensor: no output shape that depends on the data, so on CUDA
    # counting does not wait for the device (bincount and boolean indexing would).
    counts = torch.zeros(size, dtype=torch.float64, device=bins.device)
    return counts.index_add_(0, bins, torch.ones(bins.shape, dtype=torch.float64, device=bins.device))
