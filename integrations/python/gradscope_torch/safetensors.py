"""``save_safetensors(model, path)``: a model file Gradscope loads, with no other package.

The tensors are the model's state dict under its own names (``net.0.weight``, batch-norm buffers
included), in the safetensors layout: an 8-byte little-endian header length, the JSON header
(padded with spaces to a multiple of 8), then the raw little-endian bytes. When the model's leaf
modules, in module order, form a plain stack Gradscope can build (Linear, activation, BatchNorm1d,
LayerNorm, Dropout, one LSTM/GRU/RNN first; the last Linear the output), the metadata holds that
architecture as a Gradscope model spec under ``gradscope.architecture`` with each layer's module
path, so ``gradscope inspect/diagnose --model FILE`` needs no ``--activation``.
"""

import json
import os
import struct
import sys

import torch
from torch import nn

from . import activations

_DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
}


def save_safetensors(model, path, metadata=None):
    """Writes ``model``'s state dict to ``path`` (atomically: a temporary file, then a rename).

    ``metadata`` adds string entries (``{"gradscope.classes": json.dumps(["cat", "dog"])}``).
    """
    meta = {"format": "pt"}
    architecture = model_spec(model)
    if architecture is not None:
        meta["gradscope.architecture"] = json.dumps(architecture, separators=(",", ":"))
    meta.update({str(k): str(v) for k, v in (metadata or {}).items()})
    header = {"__metadata__": meta}
    blobs = []
    offset = 0
    for name, tensor in model.state_dict().items():
        data = _bytes(name, tensor)
        header[name] = {"dtype": _DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    temporary = "%s.tmp-%d" % (path, os.getpid())
    with open(temporary, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)))
        out.write(encoded)
        for data in blobs:
            out.write(data)
    os.replace(temporary, path)


def _bytes(name, tensor):
    if tensor.dtype not in _DTYPES:
        raise ValueError("%s: dtype %s has no safetensors code Gradscope reads" % (name, tensor.dtype))
    t = tensor.detach().cpu().contiguous()
    data = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
    if sys.byteorder == "big" and t.element_size() > 1:
        raise ValueError("big-endian hosts are not supported")
    return data


def model_spec(model):
    """The Gradscope model spec of a plain stack of modules, or None when it is not one."""
    leaves = [(path, m) for path, m in model.named_modules() if next(m.children(), None) is None]
    leaves = [(path, m) for path, m in leaves if not isinstance(m, nn.Identity)]
    specs, inputs = [], None
    for index, (path, module) in enumerate(leaves):
        entry = _layer_spec(path, module, first=index == 0)
        if entry is None:
            return None
        if inputs is None:
            inputs = module.in_features if isinstance(module, nn.Linear) else getattr(module, "input_size", None)
        specs.append(entry)
    if not specs or specs[-1]["type"] != "dense":
        return None
    head = specs.pop()
    return {"type": "spec", "input": inputs, "layers": specs, "output": {"units": head["units"], "module": head["module"]}}


def _layer_spec(path, module, first):
    if isinstance(module, nn.Linear):
        return {"type": "dense", "units": module.out_features, "module": path}
    name = activations.activation_name(module)
    if name is not None:
        return {"type": "activation", "name": name, "module": path}
    if isinstance(module, nn.BatchNorm1d):
        return {"type": "batchnorm", "module": path}
    if isinstance(module, nn.LayerNorm):
        return {"type": "layernorm", "module": path}
    if isinstance(module, nn.Dropout):
        return {"type": "dropout", "p": module.p, "module": path}
    if isinstance(module, (nn.LSTM, nn.GRU, nn.RNN)) and first and module.num_layers == 1 and not module.bidirectional:
        kind = "lstm" if isinstance(module, nn.LSTM) else "gru" if isinstance(module, nn.GRU) else "rnn"
        entry = {"type": kind, "hidden": module.hidden_size, "sequence": "last", "module": path}
        if kind == "rnn":
            entry["activation"] = module.nonlinearity
        return entry
    return None
