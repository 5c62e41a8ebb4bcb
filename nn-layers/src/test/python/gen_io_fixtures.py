#!/usr/bin/env python3
"""Safetensors interop fixtures for dev.kasane.io (run with the PyTorch interpreter, /usr/bin/python3).

    /usr/bin/python3 nn-layers/src/test/python/gen_io_fixtures.py            # (re)writes the fixtures
    /usr/bin/python3 nn-layers/src/test/python/gen_io_fixtures.py --verify F # checks a file written by Kasane

Writes to nn-layers/src/test/resources/io/:

* torch_mixed.safetensors + torch_mixed.expected.txt: PyTorch tensors of every dtype Kasane reads (F32, F64, I64,
  I32, U8, BOOL, F16 and BF16), PyTorch state-dict key names, and __metadata__; the text file lists each tensor as
  `name<TAB>dtype<TAB>shape<TAB>values` (float values as float64 reprs of their exact F32 widening).
* kasane_expected.safetensors: the file the reference writer produces for `expected_kasane_tensors()`, which
  SafetensorsInteropTest builds with Kasane and must save byte for byte.

The `safetensors` package is not installed beside this PyTorch, so the file is written by hand exactly as the
reference library (safetensors/src/tensor.rs `prepare`) does: tensors sorted by descending dtype (the reference's
Dtype enum order, which is ascending alignment) and then by name; the header lists them in that order, with
__metadata__ first; compact JSON (serde_json escapes = json.dumps(ensure_ascii=False)); the header padded with
spaces to a multiple of 8 bytes; 8-byte little-endian header length first. Metadata keys are sorted (the reference
writes its HashMap in an unspecified order).
"""
import json
import math
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "io")

# The reference's Dtype enum, in declaration (= ascending alignment) order.
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64",
         "U64"]
NAMES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
         torch.int32: "I32", torch.int64: "I64", torch.uint8: "U8", torch.bool: "BOOL"}
TYPES = {v: k for k, v in NAMES.items()}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.numel() == 0:
        return b""
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    assert sys.byteorder == "little"
    return t.numpy().tobytes()


def save_file(tensors, metadata, path):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(NAMES[kv[1].dtype]), kv[0]))
    header = {}
    if metadata is not None:
        header["__metadata__"] = dict(sorted(metadata.items()))
    offset = 0
    blobs = []
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    hb = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def load_file(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None)
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = bytearray(data[8 + n + begin:8 + n + end])
        dtype = TYPES[info["dtype"]]
        if len(raw) == 0:
            t = torch.empty(info["shape"], dtype=dtype)
        elif dtype == torch.bfloat16:
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16).reshape(info["shape"])
        else:
            t = torch.frombuffer(raw, dtype=dtype).reshape(info["shape"])
        out[name] = t
    return out, metadata


def torch_mixed():
    g = torch.Generator().manual_seed(1234)
    return {
        "layer1.0.conv1.weight": torch.randn(2, 1, 3, 3, generator=g),
        "layer1.0.bn1.running_mean": torch.randn(2, generator=g, dtype=torch.float64),
        "layer1.0.bn1.num_batches_tracked": torch.tensor(7, dtype=torch.int64),
        "fc.bias": torch.tensor([0.5, -1.25, 3.0e-8], dtype=torch.float32),
        "idx": torch.tensor([[-2147483648, -1], [0, 2147483647]], dtype=torch.int32),
        "img": torch.tensor([0, 1, 127, 128, 254, 255], dtype=torch.uint8).reshape(2, 3),
        "mask": torch.tensor([True, False, True, True]),
        "half": torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6.103515625e-05, 5.960464477539063e-08, float("inf"),
                              float("-inf"), float("nan"), 0.1, 1.0 / 3.0], dtype=torch.float16).reshape(3, 4),
        "bf": torch.tensor([1.0, -3.140625, 1e30, 1e-30, float("inf"), float("nan"), 0.1], dtype=torch.bfloat16),
        "empty": torch.zeros(0, 3),
        "big": torch.arange(64, dtype=torch.float32).reshape(4, 16) / 7,
    }


def expected_kasane_tensors():
    """Mirrors SafetensorsInteropTest.kasaneTensors(); keep the two in sync."""
    return {
        "b.weight": (torch.arange(6, dtype=torch.float32) * 0.5 - 1).reshape(2, 3),
        "a.bias": torch.tensor([0.1, -2.5, 1e-300], dtype=torch.float64),
        "steps": torch.tensor(123456789012, dtype=torch.int64),
        "idx": torch.tensor([-1, 0, 1, 2147483647], dtype=torch.int32),
        "img": torch.tensor([[0, 127], [128, 255]], dtype=torch.uint8),
        "mask": torch.tensor([True, False, True]),
        "empty": torch.zeros(0, 3),
        "\u00fcnicode.w\u00e9ight": torch.tensor([1.5], dtype=torch.float32),
        "quote\"d\\name\n": torch.tensor([2, 3], dtype=torch.int64),
        "layer1.0.conv1.weight": torch.ones(1, 1, 2, 2),
    }


KASANE_METADATA = {"format": "pt", "kasane": "0.1", "z\u00e9\"": "line\nbreak\t\u0001"}


def fmt(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def write_expected(tensors, path):
    with open(path, "w", encoding="utf-8") as f:
        for name, t in tensors.items():
            if t.dtype in (torch.float16, torch.bfloat16, torch.float32):
                vals = t.to(torch.float32).double().flatten().tolist()
                kasane = NAMES[t.dtype]
            elif t.dtype == torch.float64:
                vals = t.flatten().tolist()
                kasane = "F64"
            else:
                vals = t.flatten().tolist()
                kasane = NAMES[t.dtype]
            shape = ",".join(str(s) for s in t.shape)
            f.write("%s\t%s\t%s\t%s\n" % (name, kasane, shape, " ".join(fmt(v) for v in vals)))


def generate():
    os.makedirs(OUT, exist_ok=True)
    mixed = torch_mixed()
    save_file(mixed, {"format": "pt", "source": "gen_io_fixtures.py"}, os.path.join(OUT, "torch_mixed.safetensors"))
    write_expected(mixed, os.path.join(OUT, "torch_mixed.expected.txt"))
    save_file(expected_kasane_tensors(), KASANE_METADATA, os.path.join(OUT, "kasane_expected.safetensors"))
    # Round trip through our own reader as a self-check.
    back, meta = load_file(os.path.join(OUT, "torch_mixed.safetensors"))
    for k, t in mixed.items():
        assert torch.equal(back[k], t) or (t.is_floating_point() and torch.allclose(back[k].float(), t.float(),
                                                                                     equal_nan=True)), k
    print("wrote fixtures to", os.path.normpath(OUT))


def verify_file(path, expected, metadata, reference):
    """Checks a file Kasane wrote: PyTorch loads `expected` (bit for bit) and `metadata`, and its bytes are `reference`'s."""
    tensors, meta = load_file(path)
    assert meta == metadata, meta
    assert set(tensors) == set(expected), (sorted(tensors), sorted(expected))
    for k, t in expected.items():
        got = tensors[k]
        bits = (lambda x: x.view(torch.int16)) if t.element_size() == 2 else (lambda x: x)
        assert got.dtype == t.dtype and got.shape == t.shape and torch.equal(bits(got), bits(t)), (k, got, t)
    with open(path, "rb") as f, open(reference, "rb") as g:
        assert f.read() == g.read(), "bytes differ from the reference writer's"
    print("ok")


def verify(path):
    verify_file(path, expected_kasane_tensors(), KASANE_METADATA, os.path.join(OUT, "kasane_expected.safetensors"))


def main(generate_fn, verify_fn):
    """`script.py` runs generate_fn(); `script.py --verify FILE` runs verify_fn(FILE)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        verify_fn(sys.argv[2])
    else:
        generate_fn()


if __name__ == "__main__":
    main(generate, verify)
