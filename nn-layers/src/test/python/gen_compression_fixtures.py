"""Writes the PyTorch parity fixtures of Kasane's quantization, pruning and distillation (QuantizationParityTest,
PruneParityTest, DistillationLossTest).

Run with a Python that has torch (here: /usr/bin/python3, PyTorch 1.13):

    /usr/bin/python3 nn-layers/src/test/python/gen_compression_fixtures.py

Same format as gen_nn_fixtures.py (whose writer it uses): each case becomes nn-layers/src/test/resources/nn/<case>.txt.
Seeded on its own, so it changes no fixture of the other generators.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune
from torch.ao.quantization import observer as obs

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_nn_fixtures import write  # noqa: E402


def observer_case(case, make, batches):
    o = make()
    out = {}
    for i, b in enumerate(batches):
        out["batch%d" % i] = b
        o(b)
    scale, zp = o.calculate_qparams()
    out["min"] = o.min_val.reshape(-1)
    out["max"] = o.max_val.reshape(-1)
    out["scale"] = scale.reshape(-1).float()
    out["zero_point"] = zp.reshape(-1).long()
    write(case, out)


def observers():
    batches = [torch.randn(4, 3, 5) * 2 + 0.3, torch.randn(4, 3, 5) * 3 - 0.5, torch.rand(4, 3, 5) * 4]
    observer_case("quant_minmax_affine", lambda: obs.MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_affine),
                  batches)
    observer_case("quant_minmax_symmetric", lambda: obs.MinMaxObserver(dtype=torch.qint8,
                                                                       qscheme=torch.per_tensor_symmetric), batches)
    observer_case("quant_minmax_positive", lambda: obs.MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_affine),
                  [torch.rand(10) + 0.5])
    observer_case("quant_moving_average", lambda: obs.MovingAverageMinMaxObserver(
        averaging_constant=0.01, dtype=torch.quint8, qscheme=torch.per_tensor_affine), batches)
    observer_case("quant_per_channel_symmetric", lambda: obs.PerChannelMinMaxObserver(
        ch_axis=0, dtype=torch.qint8, qscheme=torch.per_channel_symmetric), [b.permute(1, 0, 2) for b in batches])
    observer_case("quant_moving_average_per_channel", lambda: obs.MovingAveragePerChannelMinMaxObserver(
        averaging_constant=0.1, ch_axis=1, dtype=torch.quint8, qscheme=torch.per_channel_affine), batches)


def quantize():
    x = torch.randn(3, 4, 5) * 2
    # exact halves (ties round to even) and values beyond the range (clamped)
    x[0, 0, :] = torch.tensor([0.25, 0.75, -0.25, 1.25, 100.0])
    scale, zp = 0.5, 7
    q = torch.quantize_per_tensor(x, scale, zp, torch.quint8)
    write("quant_per_tensor", {"x": x, "scale": torch.tensor([scale]), "zero_point": torch.tensor([zp]),
                               "q": q.int_repr().long(), "dequantized": q.dequantize()})
    scales = torch.tensor([0.05, 0.5, 0.02, 0.25])
    zps = torch.tensor([0, -3, 5, 0])
    qc = torch.quantize_per_channel(x, scales.double(), zps, 1, torch.qint8)
    write("quant_per_channel", {"x": x, "scale": scales, "zero_point": zps, "q": qc.int_repr().long(),
                                "dequantized": qc.dequantize()})
    xf = x.clone().requires_grad_(True)
    y = torch.fake_quantize_per_tensor_affine(xf, 0.1, 3, 0, 255)
    g = torch.randn_like(y)
    y.backward(g)
    write("quant_fake_per_tensor", {"x": x, "scale": torch.tensor([0.1]), "zero_point": torch.tensor([3]),
                                    "output": y, "grad_output": g, "grad_input": xf.grad})
    xf = x.clone().requires_grad_(True)
    y = torch.fake_quantize_per_channel_affine(xf, scales, zps.int(), 1, -128, 127)
    y.backward(g)
    write("quant_fake_per_channel", {"x": x, "scale": scales, "zero_point": zps, "output": y, "grad_output": g,
                                     "grad_input": xf.grad})


def pruning():
    lin = nn.Linear(8, 6)
    conv = nn.Conv2d(3, 5, 3)
    state = {"linear.weight": lin.weight.detach().clone(), "linear.bias": lin.bias.detach().clone(),
             "conv.weight": conv.weight.detach().clone(), "conv.bias": conv.bias.detach().clone()}
    prune.l1_unstructured(lin, "weight", 0.3)
    out = {"l1_first": lin.weight_mask.clone()}
    prune.l1_unstructured(lin, "weight", 0.5)
    out["l1_second"] = lin.weight_mask.clone()
    prune.ln_structured(conv, "weight", 0.4, 2, 0)
    out["ln2_dim0"] = conv.weight_mask.clone()
    prune.ln_structured(conv, "weight", 0.5, 1, 1)
    out["ln1_dim1"] = conv.weight_mask.clone()
    prune.remove(lin, "weight")
    out["removed_weight"] = lin.weight.detach().clone()
    lin2 = nn.Linear(8, 6)
    conv2 = nn.Conv2d(3, 5, 3)
    state.update({"linear2.weight": lin2.weight.detach().clone(), "conv2.weight": conv2.weight.detach().clone()})
    prune.global_unstructured([(lin2, "weight"), (conv2, "weight")], prune.L1Unstructured, amount=0.45)
    out["global_linear"] = lin2.weight_mask.clone()
    out["global_conv"] = conv2.weight_mask.clone()
    write("prune_masks", {**{"state." + k: v for k, v in state.items()}, **out})


def distillation():
    s = torch.randn(5, 7, requires_grad=True)
    t = torch.randn(5, 7) * 2
    target = torch.tensor([0, 3, 6, 2, 2])
    temperature, alpha = 4.0, 0.7
    soft = F.kl_div(F.log_softmax(s / temperature, dim=1), F.softmax(t / temperature, dim=1), reduction="batchmean")
    loss = alpha * temperature * temperature * soft + (1 - alpha) * F.cross_entropy(s, target)
    loss.backward()
    write("distillation_loss", {"student": s, "teacher": t, "target": target, "output": loss.reshape(1),
                                "grad_student": s.grad})


def main():
    torch.manual_seed(23)
    observers()
    quantize()
    pruning()
    distillation()


if __name__ == "__main__":
    main()
