#!/usr/bin/python3
"""PyTorch parity fixture of dev.kasane.vision.models.InceptionV3 against torchvision 0.14's inception_v3, at a
reduced input size, with deterministic weights (no Inception weights can be shipped, and a random state dict of
27M parameters is too big to commit): every floating state-dict entry is filled from a formula over its flat
index and its position among the sorted keys, which InceptionV3ParityTest repeats.

    /usr/bin/python3 models-zoo/src/test/python/gen_inception_fixtures.py

Writes models-zoo/src/test/resources/fixtures/inception_v3.safetensors (features, logits, the features with
transform_input, all float64 from a float64 model) and inception_v3_keys.txt (every state-dict key and its shape).
"""
import math
import os
import sys

import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import reference_models as R  # noqa: E402

OUT = os.path.join(HERE, "..", "resources", "fixtures")


def wave(n, k):
    """sin(0.7 i + 1.3 k + 0.1) for i in [0, n): the pattern of entry k."""
    i = torch.arange(n, dtype=torch.float64)
    return torch.sin(0.7 * i + 1.3 * k + 0.1)


def fill(model):
    """The formula of InceptionV3ParityTest.fill: weights scaled by 2 / sqrt(fan_in) (He-like), batch norm weights
    near 1, biases and running means near 0, running variances in [1, 1.2]."""
    sd = model.state_dict()
    with torch.no_grad():
        for k, name in enumerate(sorted(sd)):
            t = sd[name]
            if not t.is_floating_point():
                continue
            v = wave(t.numel(), k).reshape(t.shape)
            if name.endswith("running_var"):
                t.copy_(1 + 0.1 * (v + 1))
            elif name.endswith("bn.weight"):
                t.copy_(1 + 0.1 * v)
            elif t.dim() > 1:
                t.copy_(v * 2 / math.sqrt(t[0].numel()))
            else:
                t.copy_(0.1 * v)


def image(shape):
    n = math.prod(shape)
    i = torch.arange(n, dtype=torch.float64)
    return (torch.sin(0.37 * i) * torch.cos(0.011 * i)).reshape(shape)


def main():
    model = torchvision.models.inception_v3(weights=None, aux_logits=True, num_classes=10, init_weights=False).double()
    fill(model)
    model.eval()
    x = image((2, 3, 79, 83))
    with torch.no_grad():
        feats = {}
        model.avgpool.register_forward_hook(lambda m, i, o: feats.__setitem__("pool3", o.flatten(1)))
        logits = model(x)
        pool3 = feats["pool3"]
        model.transform_input = True
        model(x)
        pool3_t = feats["pool3"]
    print("pool3 mean %.4g max %.4g, logits %s" % (pool3.mean(), pool3.max(), logits[0, :3].tolist()))
    R.save_safetensors(os.path.join(OUT, "inception_v3.safetensors"),
                       {"features": pool3, "logits": logits, "features_transform_input": pool3_t})
    with open(os.path.join(OUT, "inception_v3_keys.txt"), "w") as f:
        for name, t in model.state_dict().items():
            f.write("%s %s\n" % (name, " ".join(str(s) for s in t.shape)))


if __name__ == "__main__":
    main()
