#!/usr/bin/python3
"""Parity fixtures of the zoo's torchvision classifiers (AlexNet, VGG, GoogLeNet, MobileNetV2, EfficientNet),
built by torchvision itself (Debian's python3-torchvision 0.14). Run with the interpreter that has it:

    /usr/bin/python3 models-zoo/src/test/python/gen_torchvision_fixtures.py

Writes to models-zoo/src/test/resources/fixtures:

zoo_tv_<case>.safetensors, one per parity case. The weights are gen_zoo_fixtures.formula_state's integer-hash
formula (ModelParityTest repeats it), the input is formula_input(input_shape, input_phase) rounded to float32
(ModelParityTest regenerates it), dropout and stochastic depth are off (p = 0). Each file holds:

  input_shape, input_phase  I64 [4] and F64 [1]: the input's formula arguments
  input_sum             F64 [2]: sum and sum of |.| of the input, to check the regenerated one
  out_eval, out_train   outputs in eval mode and in train mode (GoogLeNet's train output is its logits, aux1's and
                        aux2's logits concatenated along dim 1), in the model's dtype
  gsum/gidx/gval.input  d loss / d input summarised as the parameters' gradients are (below), with 33 samples
  gsum/gidx/gval/gzero.<param>, bsum.<buffer>: as in gen_zoo_fixtures.py, for loss = sum(out_train * R)

Cases computed in float64 (suffix _f64) are those where float32 and float64 PyTorch differ by more than 1e-5
relative in train mode (deep nets with few values per batch-norm channel at these small sizes).
AlexNet and VGG keep torchvision's features but get a classifier of width 32 or 64 (torchvision's is 4096, whose
25088 x 4096 matrix would make each test allocate hundreds of megabytes): the Java models take the width as an
argument, and the keys file checks the full width's shapes for AlexNet.

zoo_tv_keys.txt.gz lists "model key shape" for the state dict of every torchvision model the Java zoo builds by
name (gzip: about 140 KB of text).
"""
import gzip
import os
import sys

import torch
import torch.nn as nn
import torchvision
from torchvision.models import vgg as tv_vgg
from torchvision.models.efficientnet import EfficientNet, _efficientnet_conf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import gen_zoo_fixtures as G  # noqa: E402
import reference_models as R  # noqa: E402

OUT = G.OUT
INPUT_SAMPLES = 33


def run(name, model, shape, phase, double=False, train_forward=None):
    torch.manual_seed(0)
    G.formula_state(model)
    x = G.formula_input(shape, phase)
    out = {"input_shape": torch.tensor(shape, dtype=torch.int64),
           "input_phase": torch.tensor([phase], dtype=torch.float64),
           "input_sum": torch.tensor([x.double().sum().item(), x.double().abs().sum().item()], dtype=torch.float64)}
    if double:
        model, x = model.double(), x.double()
    forward = train_forward or (lambda m, v: m(v))
    exact, xi, y = G.eval_and_train(out, model, x, forward)
    r = G.loss_weights(y)
    (y * r).sum().backward()
    G.summarize_gradient(out, "input", xi.grad, INPUT_SAMPLES)
    for k, p in model.named_parameters():
        G.summarize_gradient(out, k, p.grad)
    G.add_zero_gradients(out, exact, forward, x, r)
    G.add_buffer_sums(out, model)
    path = os.path.join(OUT, f"zoo_tv_{name}.safetensors")
    R.save_safetensors(path, out)
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, {os.path.getsize(path)} bytes")


def narrow_classifier(model, linear_indices, width, num_classes):
    """Replaces the three Linear layers of AlexNet's or VGG's classifier by ones of the given hidden width."""
    c = model.classifier
    a, b, d = linear_indices
    c[a] = nn.Linear(c[a].in_features, width)
    c[b] = nn.Linear(width, width)
    c[d] = nn.Linear(width, num_classes)
    return model


def vgg(cfg, batch_norm, num_classes=1000, width=None, dropout=0.5):
    model = tv_vgg.VGG(tv_vgg.make_layers(tv_vgg.cfgs[cfg], batch_norm), num_classes=num_classes, dropout=dropout)
    return model if width is None else narrow_classifier(model, (0, 3, 6), width, num_classes)


def efficientnet(arch, width_mult, depth_mult, num_classes=1000, dropout=0.2, stochastic_depth_prob=0.2):
    setting, last = _efficientnet_conf(arch, width_mult=width_mult, depth_mult=depth_mult)
    return EfficientNet(setting, dropout, stochastic_depth_prob=stochastic_depth_prob, num_classes=num_classes,
                        last_channel=last)


def googlenet_train_forward(model, x):
    """The train output: logits, then the logits of head aux1, then of head aux2 (taken from the heads by name:
    torchvision's GoogLeNetOutputs names aux1's logits aux_logits2 and aux2's aux_logits1)."""
    logits = {}
    hooks = [getattr(model, h).register_forward_hook(lambda m, i, o, h=h: logits.__setitem__(h, o)) for h in ("aux1", "aux2")]
    main = model(x).logits
    for h in hooks:
        h.remove()
    return torch.cat([main, logits["aux1"], logits["aux2"]], 1)


def parity():
    run("alexnet", narrow_classifier(torchvision.models.alexnet(num_classes=10, dropout=0.0), (1, 4, 6), 64, 10),
        (2, 3, 64, 64), 0.2)
    run("vgg11", vgg("A", False, 10, width=32, dropout=0.0), (2, 3, 32, 32), 0.4)
    run("vgg11_bn", vgg("A", True, 10, width=32, dropout=0.0), (2, 3, 32, 32), 0.6)
    run("googlenet_f64", torchvision.models.googlenet(num_classes=10, aux_logits=True, transform_input=True,
                                                      init_weights=True, dropout=0.0, dropout_aux=0.0),
        (2, 3, 64, 64), 0.8, double=True, train_forward=googlenet_train_forward)
    run("mobilenet_v2_035_f64", torchvision.models.mobilenet_v2(num_classes=10, width_mult=0.35, dropout=0.0),
        (2, 3, 64, 64), 1.0, double=True)
    run("efficientnet_b0_f64", efficientnet("efficientnet_b0", 1.0, 1.0, 10, 0.0, 0.0), (2, 3, 64, 64), 1.2,
        double=True)


def keys():
    models = {
        "alexnet": torchvision.models.alexnet(),
        "vgg11_w64": vgg("A", False, width=64),
        "vgg11_bn_w64": vgg("A", True, width=64),
        "vgg13_w64": vgg("B", False, width=64),
        "vgg16_bn_w64": vgg("D", True, width=64),
        "vgg19_bn_w64": vgg("E", True, width=64),
        "googlenet": torchvision.models.googlenet(init_weights=True),
        "googlenet_noaux": torchvision.models.googlenet(aux_logits=False, init_weights=True),
        "mobilenet_v2": torchvision.models.mobilenet_v2(),
        "mobilenet_v2_035": torchvision.models.mobilenet_v2(width_mult=0.35),
        "mobilenet_v2_140": torchvision.models.mobilenet_v2(width_mult=1.4),
        "efficientnet_b0": torchvision.models.efficientnet_b0(),
        "efficientnet_b1": torchvision.models.efficientnet_b1(),
        "efficientnet_b2": torchvision.models.efficientnet_b2(),
        "efficientnet_b3": torchvision.models.efficientnet_b3(),
    }
    lines = ["# model key shape  (from gen_torchvision_fixtures.py: state_dict() of torchvision "
             + torchvision.__version__ + ")"]
    for name, model in models.items():
        lines += [f"{name} {k} {','.join(str(s) for s in v.shape)}" for k, v in model.state_dict().items()]
        lines.append(f"{name} #parameters {sum(p.numel() for p in model.parameters())}")
    path = os.path.join(OUT, "zoo_tv_keys.txt.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode())
    print(f"zoo_tv_keys.txt.gz: {len(lines)} lines, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    parity()
    keys()
