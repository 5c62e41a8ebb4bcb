#!/usr/bin/python3
"""Parity fixtures for the Java model zoo (dev.kasane.vision.models), from reference_models.py.

Run with the interpreter that has PyTorch (here /usr/bin/python3, not the python3 on PATH):

    /usr/bin/python3 models-zoo/src/test/python/gen_zoo_fixtures.py

reference_models.py in this directory is a verbatim copy of the project's contract
(shared/peers/reference_models.py). For each model this writes
models-zoo/src/test/resources/fixtures/zoo_<name>.safetensors holding (float32 unless noted):

  input                 the input batch (float64 for the *_f64 models, whose every array is float64)
  out_eval              output in eval mode (running statistics), before any training step
  out_train             output in train mode (batch statistics; this forward updates running stats)
  grad_input            d loss / d input of the train-mode forward, loss = sum(out_train * R),
                        R[i] = cos(0.37 i + 0.1) over the flat index i of the output
  gsum.<param>          F64 [3]: sum, sum of |.|, max of |.| of d loss / d param
  gidx.<param>          I64 [k]: flat indices sampled from the gradient ...
  gval.<param>          F64 [k]: ... and the gradient there
  gzero.<param>         F64 [1], only for parameters whose gradient is zero in exact arithmetic (a bias
                        followed by train-mode batch norm; found with a float64 run): max |grad| there
  bsum.<buffer>         F64 [1]: sum of each floating buffer after the train-mode forward
  w.<key>               the initial state dict, only for models with stored weights

Models with "formula" weights get every floating state-dict entry from a formula that
ModelParityTest.java repeats: the entries sorted by key are numbered j = 0, 1, ...; over the flat
index i, b[i] in [-1, 1) is an integer hash of (i, j) (exact in any language; see hash_uniform):
  running_var -> 1 + 0.5 |b|; running_mean -> 0.1 b; bias -> 0.1 b;
  1-D weight (norm layers) -> 1 + 0.1 b; other weights -> b * sqrt(3 / (numel / shape[0])).
(A smooth formula such as sin(0.1 i) makes deep train-mode networks chaotic: float32 and float64
PyTorch then disagree at the output of ResNet-50, so no parity tolerance could hold.)
num_batches_tracked entries are 0. Values are computed in float64 and rounded to float32.

zoo_keys.txt lists "model key shape" for every state-dict entry of every model (including
ResNet-34 and the full-size DCGANs, which are only checked for keys and shapes).
"""
import math
import os
import sys
import copy

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import reference_models as R  # noqa: E402

OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))


def hash_uniform(n, j):
    """b[i] = 2 h / 2^32 - 1 with h = mix((i + 1) * 2654435761 + (j + 1) * 2246822519 mod 2^32),
    mix(h): h ^= h >> 15; h = h * 2246822519 mod 2^32; h ^= h >> 13 (32-bit unsigned arithmetic)."""
    m = np.uint64(0xFFFFFFFF)
    with np.errstate(over="ignore"):
        h = ((np.arange(1, n + 1, dtype=np.uint64) * np.uint64(2654435761)) + np.uint64((j + 1) * 2246822519)) & m
        h ^= h >> np.uint64(15)
        h = (h * np.uint64(2246822519)) & m
        h ^= h >> np.uint64(13)
    return h.astype(np.float64) * (2.0 / 4294967296.0) - 1.0


def formula_state(model):
    sd = model.state_dict()
    new = {}
    for j, k in enumerate(sorted(sd)):
        t = sd[k]
        if not t.is_floating_point():
            new[k] = torch.zeros_like(t)
            continue
        n = t.numel()
        b = hash_uniform(n, j)
        leaf = k.rsplit(".", 1)[-1]
        if leaf == "running_var":
            v = 1 + 0.5 * np.abs(b)
        elif leaf == "running_mean" or leaf == "bias":
            v = 0.1 * b
        elif leaf == "weight" and t.dim() == 1:
            v = 1 + 0.1 * b
        else:
            v = b * math.sqrt(3.0 / (n // t.shape[0]))
        new[k] = torch.tensor(v.reshape(t.shape), dtype=torch.float32)
    model.load_state_dict(new, strict=True)


def formula_input(shape, phase):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    return torch.tensor((np.sin(0.05 * i + phase) + 0.5 * np.cos(0.013 * i)).reshape(shape), dtype=torch.float32)


def sample_indices(n):
    return sorted(set([0, n // 3, n // 2, (2 * n) // 3, n - 1]))


def summarize_gradient(out, key, grad, samples=None):
    """gsum.<key>: sum, sum of |.|, max of |.|; gidx.<key>/gval.<key>: the gradient at sample_indices, or at
    `samples` evenly spaced indices."""
    g = grad.detach().double().flatten()
    out["gsum." + key] = torch.tensor([g.sum().item(), g.abs().sum().item(), g.abs().max().item()], dtype=torch.float64)
    n = g.numel()
    idx = sample_indices(n) if samples is None else sorted(set(int(i) for i in np.linspace(0, n - 1, samples)))
    out["gidx." + key] = torch.tensor(idx, dtype=torch.int64)
    out["gval." + key] = g[idx].clone()


def eval_and_train(out, model, x, forward):
    """Records out_eval (eval mode, no grad) and out_train (train mode, `forward(model, xi)`); returns a float64 copy
    of the model taken first (for add_zero_gradients), the input leaf xi and the train-mode output."""
    exact = copy.deepcopy(model).double()
    model.eval()
    with torch.no_grad():
        out["out_eval"] = model(x.clone())
    model.train()
    xi = x.clone().requires_grad_(True)
    y = forward(model, xi)
    out["out_train"] = y.detach().clone()
    return exact, xi, y


def add_zero_gradients(out, exact, forward, x, r):
    """gzero.<param>: gradients that are exactly zero in theory (a bias followed by train-mode batch norm) are
    rounding noise in float32; found with a float64 run of `exact` (a float64 copy of the model) and flagged."""
    exact.train()
    ye = forward(exact, x.clone().double())
    (ye * r.double()).sum().backward()
    scale = max(p.grad.abs().max().item() for p in exact.parameters())
    for k, p in exact.named_parameters():
        if p.grad.abs().max().item() <= 1e-9 * scale:
            out["gzero." + k] = torch.tensor([p.grad.abs().max().item()], dtype=torch.float64)


def add_buffer_sums(out, model):
    """bsum.<buffer>: the sum of each floating buffer."""
    for k, b in model.named_buffers():
        if b.is_floating_point():
            out["bsum." + k] = torch.tensor([b.double().sum().item()], dtype=torch.float64)


def loss_weights(y):
    """R[i] = cos(0.37 i + 0.1) over the flat index of y, in y's shape and dtype."""
    return torch.tensor(np.cos(0.37 * np.arange(y.numel(), dtype=np.float64) + 0.1).reshape(y.shape), dtype=y.dtype)


def run(name, model, x, stored_weights, double=False):
    if not stored_weights:
        formula_state(model)
    if double:
        model = model.double()
        x = x.double()
    out = {"input": x.clone()}
    if stored_weights:
        for k, v in model.state_dict().items():
            out["w." + k] = v.clone()
    exact, xi, y = eval_and_train(out, model, x, lambda m, v: m(v))
    r = loss_weights(y)
    loss = (y * r).sum()
    loss.backward()
    out["grad_input"] = xi.grad.clone()
    for k, p in model.named_parameters():
        summarize_gradient(out, k, p.grad)
    add_zero_gradients(out, exact, lambda m, v: m(v), x, r)
    add_buffer_sums(out, model)
    path = os.path.join(OUT, f"zoo_{name}.safetensors")
    R.save_safetensors(path, out)
    print(f"{name}: {sum(v.numel() for v in out.values())} values, {os.path.getsize(path)} bytes, "
          f"loss {loss.item():.6g}")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    run("lenet5", R.LeNet5(10), formula_input((2, 1, 28, 28), 0.0), True)
    torch.manual_seed(1)
    run("unet", R.UNet(1, 2, 4), formula_input((2, 1, 32, 32), 0.3), True)
    g28, d28 = R.dcgan28(100)
    run("dcgan28_g", g28, formula_input((4, 100), 0.5), False)
    run("dcgan28_d", d28, formula_input((4, 1, 28, 28), 0.7), False)
    g64, d64 = R.dcgan64(latent=16, channels=3, ngf=8, ndf=8)
    run("dcgan64_g", g64, formula_input((2, 16, 1, 1), 0.9), False)
    run("dcgan64_d", d64, formula_input((2, 3, 64, 64), 1.1), False)
    run("resnet18_cifar", R.resnet18(10, cifar=True), formula_input((2, 3, 32, 32), 1.3), False)
    # ResNet-50 in train mode with few values per batch-norm channel is too ill-conditioned for a float32 parity
    # test at 1e-4 (float32 and float64 PyTorch differ by ~1e-4 relative), so it is compared in float64.
    run("resnet50_f64", R.resnet50(10, cifar=False), formula_input((2, 3, 48, 48), 1.5), False, double=True)

    models = {
        "lenet5": R.LeNet5(10),
        "unet_1_2_4": R.UNet(1, 2, 4),
        "unet_3_1_16": R.UNet(3, 1, 16),
        "dcgan28_g": R.dcgan28(100)[0],
        "dcgan28_d": R.dcgan28(100)[1],
        "dcgan64_g": R.dcgan64()[0],
        "dcgan64_d": R.dcgan64()[1],
        "resnet18": R.resnet18(1000),
        "resnet18_cifar": R.resnet18(10, cifar=True),
        "resnet34": R.resnet34(1000),
        "resnet50": R.resnet50(1000),
    }
    with open(os.path.join(OUT, "zoo_keys.txt"), "w") as f:
        f.write("# model key shape  (from gen_zoo_fixtures.py: state_dict() of reference_models.py)\n")
        for m, mod in models.items():
            for k, v in mod.state_dict().items():
                f.write(f"{m} {k} {','.join(str(s) for s in v.shape)}\n")
    print("wrote zoo_keys.txt")


if __name__ == "__main__":
    main()
