"""Writes the PyTorch parity fixtures of Kasane's nn layers and losses.

Run with a Python that has torch (here: /usr/bin/python3):

    /usr/bin/python3 nn-layers/src/test/python/gen_nn_fixtures.py

Each case becomes nn-layers/src/test/resources/nn/<case>.txt holding named tensors in a plain text format read
by dev.kasane.nn.Fixtures:

    <name> <f|i|b> <rank> <dim0> <dim1> ...
    <values separated by spaces>

Layer cases hold: state.<key> (the state dict loaded before the forward), input, output, grad_output,
grad_input, grad.<parameter> and after.<key> (the state dict after the forward, e.g. updated running stats).
Loss cases hold input, target, output and grad_input (of the reduced loss, or of sum(output * grad_output)).
The Java tests build the same layers with the same options (see NnParityTest).
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "nn")
# The reference zoo (a verbatim copy of shared/peers/reference_models.py): its BasicBlock and DCGAN generator
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "models-zoo", "src", "test", "python"))
import reference_models  # noqa: E402


def fmt(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bool:
        kind, vals = "b", ["1" if v else "0" for v in t.flatten().tolist()]
    elif t.dtype in (torch.int64, torch.int32):
        kind, vals = "i", [str(v) for v in t.flatten().tolist()]
    else:
        kind, vals = "f", ["%.9g" % v for v in t.double().flatten().tolist()]
    return "%s %d %s\n%s\n" % (kind, t.dim(), " ".join(str(s) for s in t.shape), " ".join(vals))


def write(case, tensors):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, case + ".txt"), "w") as f:
        for name, t in tensors.items():
            f.write(name + " " + fmt(t))


def randomize(module):
    """Gives normalization parameters and running stats non-trivial values (defaults are ones and zeros)."""
    with torch.no_grad():
        for name, b in module.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(torch.randn_like(b) * 0.5)
            elif name.endswith("running_var"):
                b.copy_(torch.rand_like(b) + 0.5)
        for name, p in module.named_parameters():
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm, nn.InstanceNorm2d)):
                p.copy_(torch.randn_like(p) * 0.5 + (1 if name.endswith("weight") else 0))


def layer(case, module, x, train=True, needs_grad=True, call=None):
    randomize(module)
    module.train(train)
    state = {k: v.clone() for k, v in module.state_dict().items()}
    if needs_grad:
        x = x.clone().requires_grad_(True)
    y = module(x) if call is None else call(module, x)
    if isinstance(y, tuple):
        y = y[0]
    gy = torch.randn_like(y)
    y.backward(gy)
    t = {"state." + k: v for k, v in state.items()}
    t["input"] = x
    t["output"] = y
    t["grad_output"] = gy
    if needs_grad:
        t["grad_input"] = x.grad
    for k, p in module.named_parameters():
        if p.grad is not None:
            t["grad." + k] = p.grad
    for k, v in module.state_dict().items():
        t["after." + k] = v
    write(case, t)


def loss(case, fn, x, target):
    x = x.clone().requires_grad_(True)
    y = fn(x, target)
    if y.dim() == 0:
        y.backward()
        t = {"input": x, "target": target, "output": y, "grad_input": x.grad}
    else:
        gy = torch.randn_like(y)
        y.backward(gy)
        t = {"input": x, "target": target, "output": y, "grad_output": gy, "grad_input": x.grad}
    write(case, t)


def r(*shape):
    return torch.randn(*shape)


def layers():
    layer("linear", nn.Linear(5, 3), r(4, 5))
    layer("linear_nobias_3d", nn.Linear(5, 3, bias=False), r(2, 3, 5))
    layer("conv2d_basic", nn.Conv2d(3, 4, 3), r(2, 3, 7, 7))
    layer("conv2d_stride_pad", nn.Conv2d(3, 4, 3, stride=2, padding=1), r(2, 3, 8, 8))
    layer("conv2d_dilation_rect", nn.Conv2d(2, 4, (3, 2), stride=(1, 2), padding=(2, 1), dilation=(2, 1)), r(2, 2, 7, 6))
    layer("conv2d_groups", nn.Conv2d(4, 6, 3, padding=1, groups=2), r(2, 4, 5, 5))
    layer("conv2d_depthwise", nn.Conv2d(3, 3, 3, groups=3, bias=False), r(2, 3, 6, 6))
    layer("conv2d_same_even", nn.Conv2d(2, 3, 4, padding="same"), r(2, 2, 6, 5))
    layer("conv2d_same_dilated", nn.Conv2d(2, 3, 3, padding="same", dilation=2), r(1, 2, 6, 6))
    layer("conv2d_valid", nn.Conv2d(2, 3, 3, padding="valid"), r(1, 2, 5, 6))
    layer("conv2d_reflect", nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), r(2, 2, 5, 5))
    layer("conv1d_stride_pad", nn.Conv1d(3, 4, 3, stride=2, padding=1), r(2, 3, 10))
    layer("conv1d_same_reflect_groups", nn.Conv1d(4, 4, 3, padding="same", groups=2, padding_mode="reflect"), r(2, 4, 7))
    layer("convt_basic", nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), r(2, 3, 4, 4))
    layer("convt_groups_dilation", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2, dilation=2, bias=False),
          r(2, 4, 3, 3))
    layer("convt_dcgan", nn.ConvTranspose2d(4, 2, 4, 2, 1), r(2, 4, 3, 3))
    layer("bn2d_train", nn.BatchNorm2d(3), r(4, 3, 3, 3) * 2 + 1)
    layer("bn2d_eval", nn.BatchNorm2d(3), r(2, 3, 3, 3), train=False)
    layer("bn2d_cma_noaffine", nn.BatchNorm2d(3, momentum=None, affine=False), r(3, 3, 2, 2))
    layer("bn1d_train", nn.BatchNorm1d(5), r(6, 5) * 3 - 1)
    layer("bn1d_train_3d", nn.BatchNorm1d(4), r(3, 4, 5))
    layer("bn1d_eval", nn.BatchNorm1d(5), r(6, 5), train=False)
    layer("layernorm", nn.LayerNorm([4, 5]), r(2, 3, 4, 5))
    layer("groupnorm", nn.GroupNorm(2, 6), r(2, 6, 3, 3))
    layer("instancenorm_affine", nn.InstanceNorm2d(3, affine=True), r(2, 3, 4, 4))
    layer("maxpool2", nn.MaxPool2d(2), r(2, 3, 6, 6))
    layer("maxpool3_s2_p1", nn.MaxPool2d(3, 2, 1), r(2, 2, 7, 7))
    layer("maxpool_dilation_ceil", nn.MaxPool2d(3, stride=2, padding=1, dilation=2, ceil_mode=True), r(1, 2, 8, 9))
    layer("avgpool2", nn.AvgPool2d(2), r(2, 3, 6, 6))
    layer("avgpool3_s2_p1", nn.AvgPool2d(3, 2, 1), r(2, 2, 7, 7))
    layer("avgpool3_s2_p1_excl", nn.AvgPool2d(3, 2, 1, count_include_pad=False), r(2, 2, 7, 7))
    layer("avgpool_ceil", nn.AvgPool2d(3, 2, 1, ceil_mode=True), r(1, 2, 6, 6))
    layer("avgpool_ceil_excl", nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False), r(1, 2, 6, 6))
    layer("adaptive_avg_1", nn.AdaptiveAvgPool2d(1), r(2, 3, 5, 4))
    layer("adaptive_avg_3x2", nn.AdaptiveAvgPool2d((3, 2)), r(2, 3, 7, 5))
    layer("adaptive_max_3x2", nn.AdaptiveMaxPool2d((3, 2)), r(2, 3, 7, 5))
    layer("upsample_nearest_x2", nn.Upsample(scale_factor=2, mode="nearest"), r(1, 2, 3, 4))
    layer("upsample_nearest_size", nn.Upsample(size=(5, 7), mode="nearest"), r(1, 2, 3, 4))
    layer("upsample_bilinear_x2", nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), r(1, 2, 3, 4))
    layer("upsample_bilinear_align", nn.Upsample(size=(5, 7), mode="bilinear", align_corners=True), r(1, 2, 3, 4))
    layer("upsample_bilinear_down", nn.Upsample(size=(3, 2), mode="bilinear", align_corners=False), r(1, 2, 5, 7))
    layer("pixel_shuffle", nn.PixelShuffle(2), r(2, 8, 2, 3))
    layer("pixel_unshuffle", nn.PixelUnshuffle(2), r(2, 2, 4, 6))
    x = torch.linspace(-4, 4, 21).view(3, 7) + 0.013
    for name, m in [("relu", nn.ReLU()), ("relu6", nn.ReLU6()), ("leaky_relu", nn.LeakyReLU(0.2)), ("elu", nn.ELU(0.7)),
                    ("selu", nn.SELU()), ("gelu", nn.GELU()), ("gelu_tanh", nn.GELU(approximate="tanh")),
                    ("silu", nn.SiLU()), ("mish", nn.Mish()), ("tanh", nn.Tanh()), ("sigmoid", nn.Sigmoid()),
                    ("hardtanh", nn.Hardtanh(-0.5, 0.8)), ("softplus", nn.Softplus(beta=2, threshold=3)),
                    ("softmax", nn.Softmax(dim=1)), ("log_softmax", nn.LogSoftmax(dim=1))]:
        layer("act_" + name, m, x * (2 if name == "relu6" else 1))
    layer("embedding_padding", nn.Embedding(10, 4, padding_idx=2), torch.tensor([[1, 2, 5, 2, 9], [0, 3, 3, 7, 2]]),
          needs_grad=False)
    layer("mha_self", nn.MultiheadAttention(8, 2, batch_first=True), r(2, 5, 8), call=lambda m, x: m(x, x, x)[0])
    mha_masked()
    layer("resnet_basic_block", reference_models.BasicBlock(3, 4, 2), r(2, 3, 6, 6))


def torchvision_ops():
    """torchvision.ops layers used by the model zoo's EfficientNet (drawn after every other case, from their own seed,
    so that adding them left the other fixtures unchanged)."""
    import torchvision.ops as ops
    torch.manual_seed(1)
    layer("squeeze_excitation_silu", ops.SqueezeExcitation(6, 2, activation=nn.SiLU), r(2, 6, 4, 5))
    layer("squeeze_excitation_3d", ops.SqueezeExcitation(4, 3), r(4, 3, 2))
    layer("stochastic_depth_eval", ops.StochasticDepth(0.5, "row"), r(3, 2, 2), train=False)
    layer("stochastic_depth_p1", ops.StochasticDepth(1.0, "row"), r(3, 2, 2))
    layer("conv_norm_act_depthwise", ops.Conv2dNormActivation(4, 4, 3, stride=2, groups=4, activation_layer=nn.ReLU6),
          r(2, 4, 7, 6))
    layer("conv_norm_noact", ops.Conv2dNormActivation(3, 5, 1, activation_layer=None), r(2, 3, 4, 4))


def mha_masked():
    m = nn.MultiheadAttention(8, 2, batch_first=True)
    q, k, v = r(2, 4, 8).requires_grad_(True), r(2, 5, 8).requires_grad_(True), r(2, 5, 8).requires_grad_(True)
    kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
    am = torch.triu(torch.ones(4, 5, dtype=torch.bool), diagonal=2)
    state = {k2: t.clone() for k2, t in m.state_dict().items()}
    y, w = m(q, k, v, key_padding_mask=kpm, attn_mask=am, need_weights=True)
    gy = torch.randn_like(y)
    y.backward(gy)
    t = {"state." + k2: t2 for k2, t2 in state.items()}
    t.update({"query": q, "key": k, "value": v, "key_padding_mask": kpm, "attn_mask": am, "output": y, "weights": w,
              "grad_output": gy, "grad_query": q.grad, "grad_key": k.grad, "grad_value": v.grad})
    for k2, p in m.named_parameters():
        t["grad." + k2] = p.grad
    write("mha_masked", t)


def losses():
    x, y = r(4, 3), r(4, 3)
    loss("mse_mean", nn.MSELoss(), x, y)
    loss("mse_sum", nn.MSELoss(reduction="sum"), x, y)
    loss("l1_none", nn.L1Loss(reduction="none"), x, y)
    loss("smooth_l1_beta05", nn.SmoothL1Loss(beta=0.5), x * 2, y)
    loss("huber_delta07", nn.HuberLoss(delta=0.7), x * 2, y)
    logits = r(5, 4) * 2
    target = torch.tensor([0, 3, 1, 2, 1])
    w = torch.tensor([0.5, 2.0, 1.0, 1.5])
    loss("ce_basic", nn.CrossEntropyLoss(), logits, target)
    loss("ce_sum", nn.CrossEntropyLoss(reduction="sum"), logits, target)
    loss("ce_weight_ignore", nn.CrossEntropyLoss(weight=w, ignore_index=1), logits, target)
    loss("ce_smoothing_weight", nn.CrossEntropyLoss(weight=w, label_smoothing=0.2), logits, target)
    loss("ce_smoothing_ignore_none", nn.CrossEntropyLoss(ignore_index=3, label_smoothing=0.1, reduction="none"), logits,
         target)
    loss("ce_probs_smoothing", nn.CrossEntropyLoss(label_smoothing=0.1), logits, torch.softmax(r(5, 4), 1))
    loss("ce_spatial", nn.CrossEntropyLoss(reduction="none"), r(2, 3, 2, 2), torch.tensor([[[0, 1], [2, 2]], [[1, 0], [0, 2]]]))
    loss("nll_weight", nn.NLLLoss(weight=w), torch.log_softmax(logits, 1), target)
    p = torch.sigmoid(r(3, 4))
    t = torch.rand(3, 4)
    loss("bce_weight", nn.BCELoss(weight=torch.tensor([1.0, 2.0, 0.5, 1.0])), p, t)
    loss("bce_logits_pos_weight", nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 3.0, 0.5, 2.0])), r(3, 4) * 3,
         (t > 0.5).float())
    loss("bce_logits_extreme", nn.BCEWithLogitsLoss(reduction="sum"), torch.tensor([[-120.0, -30.0, 0.0, 30.0, 120.0]]),
         torch.tensor([[1.0, 0.0, 1.0, 1.0, 0.0]]))
    logq = torch.log_softmax(r(3, 5), 1)
    loss("kldiv_batchmean", nn.KLDivLoss(reduction="batchmean"), logq, torch.softmax(r(3, 5), 1))
    loss("kldiv_log_target_sum", nn.KLDivLoss(reduction="sum", log_target=True), logq, torch.log_softmax(r(3, 5), 1))


def keys():
    """State-dict keys and shapes of the DCGAN pair of the reference zoo, to check Sequential naming."""
    g, _ = reference_models.dcgan28()
    with open(os.path.join(OUT, "dcgan28_generator_keys.txt"), "w") as f:
        for k, v in g.state_dict().items():
            f.write(" ".join([k] + [str(s) for s in v.shape]) + "\n")


if __name__ == "__main__":
    torch.manual_seed(0)
    layers()
    losses()
    keys()
    torchvision_ops()
