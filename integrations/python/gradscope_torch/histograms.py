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
    zero = magnitude == 0
    positive = magnitude[finite & ~zero]
    table = _powers_of_ten(values.device)
    decade = torch.floor(torch.log10(positive)).long().clamp(_TABLE_LOW + 1, MAX_DECADE + 1)
    decade = decade + (positive >= table[decade + 1 - _TABLE_LOW]).long()
    decade = decade - (positive < table[decade - _TABLE_LOW]).long()
    bins = (decade - MIN_DECADE).clamp(0, DECADE_BINS - 1)
    counts = torch.bincount(bins, minlength=DECADE_BINS).double()
    tail = torch.stack([zero.sum(), (~finite).sum()]).double()
    return torch.cat([counts, tail])


def activation_counts(values, low, high):
    """Counts of values in underflow, ACTIVATION_BINS equal bins over [low, high], overflow."""
    v = values.detach().reshape(-1).double()
    under = torch.isnan(v) | (v < low)
    over = v > high
    inside = v[~under & ~over]
    scale = ACTIVATION_BINS / (high - low)
    bins = ((inside - low) * scale).long().clamp(max=ACTIVATION_BINS - 1)
    counts = torch.bincount(bins, minlength=ACTIVATION_BINS).double()
    return torch.cat([under.sum().double().reshape(1), counts, over.sum().double().reshape(1)])
