#!/usr/bin/env python3
"""Mixed-precision fixtures for dev.kasane.amp and the BF16/F16 dtypes (run with the PyTorch interpreter, /usr/bin/python3).

    /usr/bin/python3 nn-layers/src/test/python/gen_amp_fixtures.py             # (re)writes the fixtures
    /usr/bin/python3 nn-layers/src/test/python/gen_amp_fixtures.py --verify F  # checks a file written by Kasane

Writes to nn-layers/src/test/resources/amp/:

* conversions.safetensors: `x` (F32: signed zeros, subnormals, the F16 and BF16 rounding and overflow thresholds,
  infinities, NaN and random values over 40 binades) with PyTorch's `x.to(torch.bfloat16)` and `x.to(torch.float16)`,
  which Kasane must load bit for bit and reproduce bit for bit with toType.
* kasane_half.safetensors: the file the reference writer produces for `kasane_half_tensors()`, which HalfSafetensorsTest
  builds from the same bit patterns and must save byte for byte (and PyTorch loads bit for bit with --verify,
  which also compares the bytes).
* autocast_bf16.safetensors: a Conv2d -> ReLU -> Linear net (parameters, input, target) and, under
  `torch.autocast("cpu", dtype=torch.bfloat16)`, its output, MSE loss and parameter gradients (all stored as F32).
* gradscaler.txt: the scale and growth tracker after each update() of torch.cuda.amp.GradScaler for a fixed sequence
  of found-inf flags. The update is the CUDA kernel `_amp_update_scale_` (aten/src/ATen/native/cuda/AmpKernels.cu),
  which has no CPU implementation in PyTorch 1.13; it is transcribed below with F32 tensors, as the kernel computes.
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_io_fixtures import main, save_file, verify_file  # noqa: E402  (the reference writer and its check)

OUT = os.path.join(HERE, "..", "resources", "amp")


def conversion_inputs():
    special = [0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 65504.0, 65519.99, 65520.0, 65536.0, -65520.0, 6.103515625e-05,
               6.1e-05, 5.960464477539063e-08, 2.98e-08, 2.9802322387695312e-08, 1e-45, 1.17e-38, 3.3895e38, 3.39e38,
               3.4028234663852886e38, float("inf"), float("-inf"), float("nan"), 1.00390625, 1.01171875, 1.0009765625,
               1.0029296875, 256.5, -2049.0, 1e-30, 1e30]
    g = torch.Generator().manual_seed(23)
    mant = torch.rand(2000, generator=g) + 1.0
    exps = torch.randint(-30, 10, (2000,), generator=g)
    signs = torch.randint(0, 2, (2000,), generator=g) * 2 - 1
    rnd = (mant * torch.pow(2.0, exps.float()) * signs).float()
    # values one float ulp off the midpoints between neighbouring bfloat16 values (the hard cases of rounding)
    bf = torch.randn(500, generator=g).to(torch.bfloat16).float()
    nxt = torch.nextafter(bf, torch.full_like(bf, float("inf"))).to(torch.bfloat16).float()
    mid = bf + (nxt - bf) / 2
    near = torch.cat([mid, torch.nextafter(mid, torch.full_like(mid, float("inf"))),
                      torch.nextafter(mid, torch.full_like(mid, float("-inf")))])
    return torch.cat([torch.tensor(special, dtype=torch.float32), rnd, near])


def kasane_half_tensors():
    """Mirrors HalfSafetensorsTest.kasaneHalfTensors(): the same bit patterns, built in Kasane from shorts."""
    bits = torch.tensor([0x0000, 0x8000, 0x3C00, 0xC500, 0x7BFF, 0x0001, 0x03FF, 0x7C00, 0xFC00, 0x3555],
                        dtype=torch.int32)
    bbits = torch.tensor([0x3F80, 0xC049, 0x7F7F, 0x0001, 0x7F80, 0xFF80, 0x3DCD, 0x8000], dtype=torch.int32)
    return {
        "h": bits.to(torch.int16).view(torch.float16).reshape(2, 5),
        "b": bbits.to(torch.int16).view(torch.bfloat16),
        "f": torch.tensor([1.5, -2.25], dtype=torch.float32),
    }


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4 * 5 * 5, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).flatten(1))


def autocast_case():
    torch.manual_seed(7)
    net = Net()
    x = torch.randn(3, 2, 5, 5)
    target = torch.randn(3, 3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y = net(x)
        loss = torch.nn.functional.mse_loss(y, target)
    assert y.dtype == torch.bfloat16 and loss.dtype == torch.float32
    loss.backward()
    out = {"x": x, "target": target, "y": y.float().detach(), "loss": loss.detach().reshape(1)}
    for name, p in net.named_parameters():
        out[name] = p.detach().clone()
        out[name + ".grad"] = p.grad.detach().clone()
    return out


def update_scale(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval):
    """torch._amp_update_scale_ as the CUDA kernel computes it, on one-element F32 / I32 tensors, in place."""
    if found_inf.item() != 0:
        scale.copy_(scale.double() * backoff_factor)  # float * double, stored as float
        growth_tracker.fill_(0)
    else:
        successful = growth_tracker.item() + 1
        if successful == growth_interval:
            new_scale = (scale.double() * growth_factor).float()
            if torch.isfinite(new_scale).item():
                scale.copy_(new_scale)
            growth_tracker.fill_(0)
        else:
            growth_tracker.fill_(successful)


SCALER_CASES = [
    # init_scale, growth_factor, backoff_factor, growth_interval, found-inf flags per update
    (65536.0, 2.0, 0.5, 3, "0001000000100000011110000000"),
    (2.0 ** 126, 2.0, 0.5, 2, "000000100000"),
    (1000.0, 3.0, 0.3, 2, "0000010000001100"),
]


def gradscaler_lines():
    lines = []
    for init, growth, backoff, interval, flags in SCALER_CASES:
        scale = torch.tensor([init], dtype=torch.float32)
        tracker = torch.tensor([0], dtype=torch.int32)
        lines.append("case %r %r %r %d %s" % (init, growth, backoff, interval, flags))
        for f in flags:
            update_scale(scale, tracker, torch.tensor([float(f)]), growth, backoff, interval)
            lines.append("%s %s %d" % (f, repr(scale.item()), tracker.item()))
    return lines


def generate():
    os.makedirs(OUT, exist_ok=True)
    x = conversion_inputs()
    save_file({"x": x, "x_bf16": x.to(torch.bfloat16), "x_f16": x.to(torch.float16)}, None,
              os.path.join(OUT, "conversions.safetensors"))
    save_file(kasane_half_tensors(), None, os.path.join(OUT, "kasane_half.safetensors"))
    save_file(autocast_case(), None, os.path.join(OUT, "autocast_bf16.safetensors"))
    with open(os.path.join(OUT, "gradscaler.txt"), "w") as f:
        f.write("\n".join(gradscaler_lines()) + "\n")
    print("wrote fixtures to", os.path.normpath(OUT))


def verify(path):
    verify_file(path, kasane_half_tensors(), None, os.path.join(OUT, "kasane_half.safetensors"))


if __name__ == "__main__":
    main(generate, verify)
