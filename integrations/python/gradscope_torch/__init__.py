"""Record a PyTorch training run as a Gradscope trace (format v2).

    from gradscope_torch import watch
    with watch(model, "runs/", optimizer=opt, loss_fn=loss_fn) as w:
        for x, y in loader:
            opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward()
            w.step(loss)
            opt.step()

Then ``gradscope diagnose --trace runs/<name>.jsonl``.
"""

from .recorder import Watch, watch
from .safetensors import save_safetensors

__version__ = "0.1.0"
__all__ = ["Watch", "watch", "save_safetensors", "__version__"]
